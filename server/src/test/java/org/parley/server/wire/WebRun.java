package org.parley.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fixture of ParleyWebTest (C14: GIM-20, UC 5.19.8), not a test itself.
 * One scenario of src/test/browser/parley-web.mjs: users of Parley Web in the system's headless
 * Chromium, each step a JSON line. The test reads the lines as they come and answers the
 * scenario's "await" lines once it has done its part (restarted the server, made baresip talk).
 */
final class WebRun implements AutoCloseable {
    private static final long STEP_SECONDS = 90;
    /** Put in the queue when the scenario's output ends. */
    private static final String END = "<end>";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> incoming = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    private boolean ended;

    private WebRun(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    incoming.add(line);
                }
            } catch (IOException e) {
                incoming.add("{\"event\":\"reader-failed\"}");
            }
            incoming.add(END);
        });
    }

    /**
     * Starts {@code scenario} against the page at {@code baseUrl}; screenshots go to {@code shots};
     * {@code accounts} are "user:password".
     */
    static WebRun start(String scenario, String baseUrl, Path shots, Path profile, String... accounts) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalTool.find("node", "nodejs"), "parley-web.mjs", scenario,
                baseUrl, shots.toAbsolutePath().toString(), Files.createDirectories(profile).toAbsolutePath().toString()));
        command.addAll(List.of(accounts));
        return new WebRun(new ProcessBuilder(command).directory(BrowserProject.DIR.toFile()).redirectErrorStream(true).start());
    }

    /** Waits for the scenario to ask for {@code what} ({"event":"await","what":...}); fails when it ends first. */
    void awaitRequest(String what) throws InterruptedException {
        String wanted = "{\"event\":\"await\",\"what\":\"" + what + "\"}";
        while (true) {
            String line = next();
            if (line.equals(wanted)) {
                return;
            }
            if (line.equals(END)) {
                fail("the scenario ended before asking for " + what + ":\n" + transcript());
            }
        }
    }

    /** Lets the scenario go on after its "await". */
    void proceed() throws IOException {
        stdin.write("go\n");
        stdin.flush();
    }

    /** Waits for the scenario to end; returns its JSON lines (all of them, in order). */
    List<String> finish() throws InterruptedException {
        String line;
        do {
            line = next();
        } while (!line.equals(END));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("the browser did not exit:\n" + String.join("\n", output));
        }
        return output.stream().filter(l -> l.startsWith("{")).toList();
    }

    int exitCode() {
        return process.exitValue();
    }

    String transcript() {
        return String.join("\n", output);
    }

    private String next() throws InterruptedException {
        if (ended) {
            return END;
        }
        String line = incoming.poll(STEP_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            fail("no step of the browser for " + STEP_SECONDS + " s:\n" + transcript());
        }
        if (line.equals(END)) {
            ended = true;
        } else {
            output.add(line);
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
