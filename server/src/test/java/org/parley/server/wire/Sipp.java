package org.parley.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a SIPp scenario (C14 interop; RFC 3261 peers) kept in src/test/resources/sipp against a running server and reports
 * SIPp's verdict. SIPp is a real third-party SIP peer: `./parley test` installs it (Debian
 * package sip-tester); without it these tests fail with the command to install it.
 */
public final class Sipp {
    /** What one SIPp run ended with: exit 0 means every call passed. */
    public record Result(int exitCode, String output) {
        public boolean passed() {
            return exitCode == 0;
        }
    }

    private Sipp() {
    }

    public static Path scenario(String name) {
        try {
            return Path.of(Sipp.class.getResource("/sipp/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no SIPp scenario " + name, e);
        }
    }

    /**
     * @param transport "u1" (UDP), "t1" (TCP) or "l1" (TLS)
     * @param injection lines of the injection file, without the SEQUENTIAL header
     */
    public static Result run(String scenario, int serverPort, String transport, List<String> injection, int calls,
                             String... extra) throws IOException, InterruptedException {
        return start(scenario, serverPort, transport, injection, calls, extra).await();
    }

    /**
     * Starts SIPp in the background on a free local port, for a scenario that has to run while
     * the test does something else (a user agent waiting for a request); {@link Running#await}
     * gives the verdict.
     */
    public static Running start(String scenario, int serverPort, String transport, List<String> injection, int calls,
                                String... extra) throws IOException {
        return startOn(freePort(), scenario, serverPort, transport, injection, calls, extra);
    }

    /**
     * As {@link #start}, on the local port given: a user agent that another SIPp run registered
     * (its Contact names that port) can then be played by this one.
     */
    public static Running startOn(int localPort, String scenario, int serverPort, String transport, List<String> injection,
                                  int calls, String... extra) throws IOException {
        Path work = Files.createTempDirectory("sipp");
        Path csv = work.resolve("users.csv");
        List<String> lines = new ArrayList<>();
        lines.add("SEQUENTIAL");
        lines.addAll(injection);
        Files.write(csv, lines, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.find("sipp", "sip-tester"), "127.0.0.1:" + serverPort,
                "-sf", scenario(scenario).toString(), "-inf", csv.toString(), "-t", transport,
                "-i", "127.0.0.1", "-p", Integer.toString(localPort), "-m", Integer.toString(calls), "-timeout", "20", "-timeout_error",
                "-trace_err", "-error_file", work.resolve("errors.log").toString(), "-nostdin"));
        cmd.addAll(List.of(extra));
        // Into a file, not a pipe: nobody reads a background run's screen until it ends, and a full pipe would stall SIPp.
        Path out = work.resolve("sipp.out");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        return new Running(scenario, localPort, p, work, out);
    }

    /** A SIPp run under way. */
    public static final class Running implements AutoCloseable {
        private final String scenario;
        private final int localPort;
        private final Process process;
        private final Path work;
        private final Path out;

        private Running(String scenario, int localPort, Process process, Path work, Path out) {
            this.scenario = scenario;
            this.localPort = localPort;
            this.process = process;
            this.work = work;
            this.out = out;
        }

        /** The port SIPp sends from and listens on ([local_port] in the scenario). */
        public int localPort() {
            return localPort;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /**
         * Waits for SIPp to end (at most 60 s; its own -timeout is 20 s) and returns its verdict;
         * its scratch directory is gone afterwards, whatever the verdict.
         */
        public Result await() throws IOException, InterruptedException {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("SIPp did not finish in 60 s: " + scenario + "\n" + output());
                }
                return new Result(process.exitValue(), output());
            } finally {
                close();
            }
        }

        /** SIPp's screen and error log; leniently decoded, as the screen may hold bytes that are not UTF-8. */
        private String output() throws IOException {
            Path errors = work.resolve("errors.log");
            return new String(Files.readAllBytes(out), StandardCharsets.UTF_8)
                    + (Files.exists(errors) ? new String(Files.readAllBytes(errors), StandardCharsets.UTF_8) : "");
        }

        /** Ends SIPp if it still runs (a test that failed before awaiting it) and removes its scratch directory. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.onExit().join();
            }
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove SIPp's scratch directory " + dir, e);
        }
    }

    /** SIPp's "-p 0" still means 5060 in 3.6; a free port avoids colliding with anything there. */
    public static int freePort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket t = new java.net.ServerSocket(s.getLocalPort(), 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.net.BindException e) {
            return freePort();
        }
    }
}
