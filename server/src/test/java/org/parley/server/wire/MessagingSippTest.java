package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Pager-mode messaging between third-party user agents through Parley, over UDP (RFC 3428;
 * PP-13, UC 5.13, GIM-3, C14): SIPp to SIPp, and sipsak to SIPp. Senders are challenged with 407
 * and answer it; the registered device gets the text and its 200 goes back to the sender. SIPp
 * 3.6 and sipsak answer MD5 challenges only, the default algorithm.
 */
@DisplayName("PP-13, UC 5.13, GIM-3, C14 (interop): MESSAGE between SIPp and sipsak user agents through Parley")
class MessagingSippTest {
    static TestServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        for (String u : List.of("alice", "bob", "carol")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int udpPort() {
        return server.sipPort(Transport.UDP);
    }

    @Test
    @DisplayName("SIPp UAS registers bob (401 -> 200) and takes the MESSAGE a SIPp UAC sends after a 407")
    void sippToSipp() throws Exception {
        String text = "Hello bob, SIPp to SIPp through Parley";
        Path log = work.resolve("uas-logs.log");
        // The same Call-ID for both runs: see message-uas.xml for why SIPp needs it.
        String callId = "c14-" + UUID.randomUUID() + "@127.0.0.1";
        try (Sipp.Running bob = Sipp.start("message-uas.xml", udpPort(), "u1", List.of("bob;bob-secret;localhost"), 1,
                "-cid_str", callId, "-trace_logs", "-log_file", log.toString())) {
            awaitRegistered("bob", bob.localPort(), bob);
            Sipp.Result alice = Sipp.run("message-uac.xml", udpPort(), "u1",
                    List.of("alice;alice-secret;localhost;bob;" + text), 1, "-cid_str", callId);
            assertThat(alice.passed()).as(alice.output()).isTrue();
            Sipp.Result uas = bob.await();
            assertThat(uas.passed()).as(uas.output()).isTrue();
        }
        assertThat(Files.readString(log)).contains("received body: " + text);
        // The UAS removed its binding at the end.
        assertThat(server.admin("/admin/v1/registrations?aor=sip:bob@localhost")).doesNotContain("SIPp message-uas");
    }

    @Test
    @DisplayName("sipsak sends a MESSAGE (407 answered) to carol's SIPp device; sipsak exits 0 and the device has the text")
    void sipsakToSipp() throws Exception {
        String sipsak = ExternalTool.find("sipsak", "sipsak");
        String text = "Hello carol, sipsak to SIPp through Parley";
        Path log = work.resolve("receive-logs.log");
        // carol's device: one SIPp run registers the port, the next one plays the device on it.
        int device = Sipp.freePort();
        Sipp.Result registered = Sipp.startOn(device, "register-digest.xml", udpPort(), "u1",
                List.of("carol;carol-secret;localhost;600"), 1, "-au", "carol", "-ap", "carol-secret").await();
        assertThat(registered.passed()).as(registered.output()).isTrue();
        try (Sipp.Running carol = Sipp.startOn(device, "message-receive.xml", udpPort(), "u1", List.of("carol"), 1,
                "-trace_logs", "-log_file", log.toString())) {
            awaitListening(carol);
            // sipsak's own message mode (-M) crashes in 0.9.8.1 before it sends anything (sipsak issue #95),
            // so it sends this MESSAGE from a file; it still answers the 407 itself (-u, -a).
            Path message = work.resolve("message.txt");
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            Files.writeString(message, "MESSAGE sip:carol@localhost SIP/2.0\n"
                    + "From: <sip:alice@localhost>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\n"
                    + "To: <sip:carol@localhost>\n"
                    + "Call-ID: " + UUID.randomUUID() + "@127.0.0.1\n"
                    + "CSeq: 1 MESSAGE\n"
                    + "Max-Forwards: 70\n"
                    + "Content-Type: text/plain;charset=UTF-8\n"
                    + "Content-Length: " + body.length + "\n\n" + text);
            Process p = new ProcessBuilder(sipsak, "-f", message.toString(), "-s", "sip:carol@localhost",
                    "-u", "alice", "-a", "alice-secret", "-p", "127.0.0.1:" + udpPort(), "-vvv")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("sipsak did not finish: " + out);
            }
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("407");
            Sipp.Result uas = carol.await();
            assertThat(uas.passed()).as(uas.output()).isTrue();
        }
        assertThat(Files.readString(log)).contains("received body: " + text);
    }

    /** Polls the admin API until the SIPp device's binding is there (bounded: the REGISTERs take milliseconds). */
    private static void awaitRegistered(String user, int port, Sipp.Running sipp) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (server.admin("/admin/v1/registrations?aor=sip:" + user + "@localhost").contains("127.0.0.1:" + port)) {
                return;
            }
            if (!sipp.isAlive()) {
                fail("SIPp ended before registering " + user + ": " + sipp.await().output());
            }
            Thread.sleep(50);
        }
        fail(user + " was not registered within 10 s: " + sipp.await().output());
    }

    /**
     * Waits until the background SIPp has bound its UDP port, so that the MESSAGE cannot reach
     * the port before anyone listens (bounded; SIPp starts in milliseconds). Read from the kernel's
     * socket table rather than probed with a bind, which could take the port from SIPp.
     */
    private static void awaitListening(Sipp.Running sipp) throws Exception {
        String local = String.format(":%04X", sipp.localPort()); // local_address is HEXIP:HEXPORT
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(Path.of("/proc/net/udp")).stream()
                    .anyMatch(l -> l.trim().split("\\s+")[1].endsWith(local))) {
                return;
            }
            if (!sipp.isAlive()) {
                fail("SIPp ended before listening: " + sipp.await().output());
            }
            Thread.sleep(20);
        }
        fail("SIPp did not bind port " + sipp.localPort() + " within 10 s");
    }
}
