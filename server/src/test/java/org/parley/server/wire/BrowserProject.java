package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Fixture of the C14 browser tests (GIM-20, UC 5.19.8; RFC 7118 SIP over WebSocket), not a test itself.
 * The npm project the browser tests drive Chromium with (src/test/browser: puppeteer-core, the SIP
 * libraries, versions pinned in its package-lock.json): {@code npm ci} fills its node_modules once,
 * and again only when the lockfile is newer.
 */
final class BrowserProject {
    /** The npm project, relative to the server module, where the tests run. */
    static final Path DIR = Path.of("src/test/browser");

    private BrowserProject() {
    }

    static void install(Path scratch) throws IOException, InterruptedException {
        ExternalTool.find("chromium", "chromium");
        String npm = ExternalTool.find("npm", "npm");
        Path installed = DIR.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed)
                && !Files.getLastModifiedTime(installed).toInstant().isBefore(
                        Files.getLastModifiedTime(DIR.resolve("package-lock.json")).toInstant())) {
            return;
        }
        Path out = scratch.resolve("npm-ci.log");
        Process p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("npm ci did not finish in 5 minutes:\n" + Files.readString(out));
        }
        assertThat(p.exitValue()).as("npm ci in " + DIR + "\n" + Files.readString(out)).isZero();
    }
}
