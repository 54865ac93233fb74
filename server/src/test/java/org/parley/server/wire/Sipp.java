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
 * Runs a SIPp scenario kept in src/test/resources/sipp against a running server and reports
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
        Path work = Files.createTempDirectory("sipp");
        Path csv = work.resolve("users.csv");
        List<String> lines = new ArrayList<>();
        lines.add("SEQUENTIAL");
        lines.addAll(injection);
        Files.write(csv, lines, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.find("sipp", "sip-tester"), "127.0.0.1:" + serverPort,
                "-sf", scenario(scenario).toString(), "-inf", csv.toString(), "-t", transport,
                "-i", "127.0.0.1", "-p", Integer.toString(freePort()), "-m", Integer.toString(calls), "-timeout", "20", "-timeout_error",
                "-trace_err", "-error_file", work.resolve("errors.log").toString(), "-nostdin"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("SIPp did not finish in 60 s: " + scenario);
        }
        String errors = Files.exists(work.resolve("errors.log")) ? Files.readString(work.resolve("errors.log")) : "";
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8) + errors);
    }

    /** SIPp's "-p 0" still means 5060 in 3.6; a free port avoids colliding with anything there. */
    private static int freePort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket t = new java.net.ServerSocket(s.getLocalPort(), 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.net.BindException e) {
            return freePort();
        }
    }
}
