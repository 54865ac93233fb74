package org.parley.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a third-party peer on PATH (SIPp, sipsak, baresip: C14 interop, RFC 3261 peers), or fails
 * the test with the command that installs it.
 */
final class ExternalTool {
    private ExternalTool() {
    }

    static String find(String binary, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return Path.of(dir, binary).toString();
            }
        }
        fail(binary + " is not installed: run `apt-get install " + debianPackage + "` (./parley test does this when run as root)");
        return null;
    }
}
