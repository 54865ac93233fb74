package org.parley.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a running SIPp scenario says how far it got: an {@code <exec command="echo STEP >> [fieldN]"/>}
 * action appends a line to this file (RFC 6665 subscriptions in wire tests). The Asterisk test
 * suite waited for AMI TestEvents (SUBSCRIPTION_ESTABLISHED and the like) before changing state;
 * Parley has no AMI, and a fixed sleep would race, so the scenario reports the step itself and
 * the test waits for it before it publishes, registers or sends the next change.
 */
final class ScenarioSteps {
    private final Path file;

    private ScenarioSteps(Path file) {
        this.file = file;
    }

    /** A new, empty steps file in {@code dir} (the test's temporary directory). */
    static ScenarioSteps in(Path dir) throws IOException {
        return new ScenarioSteps(Files.createTempFile(dir, "sipp-steps", ".txt"));
    }

    /** The file's absolute path, for the scenario's injection file. */
    String path() {
        return file.toAbsolutePath().toString();
    }

    /** Waits (at most 20 s) until the scenario reported {@code step}; fails early if SIPp ended without it. */
    void await(String step, Sipp.Running sipp) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(l -> l.strip().equals(step))) {
                return;
            }
            if (!sipp.isAlive()) {
                Sipp.Result r = sipp.await();
                fail("SIPp ended (exit " + r.exitCode() + ") before step '" + step + "'\n" + r.output());
            }
            Thread.sleep(20);
        }
        fail("SIPp did not reach step '" + step + "' within 20 s");
    }
}
