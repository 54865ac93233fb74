package org.parley.testkit;

import java.util.Map;
import java.util.Optional;
import org.parley.config.Config;

/** The documented defaults with some keys set, as if given as flags: what a module's {@code from(Config)} test needs. */
public final class Configs {
    private Configs() {
    }

    public static Config overriding(Map<String, String> values) {
        return Config.load(Optional.empty(), Map.of(), values);
    }
}
