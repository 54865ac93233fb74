package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Real pager-mode clients in chat rooms through Parley (as in Kamailio's imc; C14): a SIPp
 * member, a sipsak member and the project's test client in one room, baresip in another. They join with #join, and each one's
 * text reaches the others from the room's URI with the sender named (PP-27, PP-29, PP-31, PP-32).
 */
@DisplayName("PP-27, PP-29, PP-31, PP-32, C14 (interop): SIPp, sipsak, baresip and a test client in chat rooms")
class ConferenceSippTest {
    private static final String ROOM = "sip:room_interop@groups.localhost";

    @TempDir
    Path work;

    @Test
    @DisplayName("PP-27, PP-29, PP-31, PP-32 (interop): a SIPp member, a sipsak member and the test client in one room")
    void sippAndSipsakInOneRoom() throws Exception {
        try (TestServer server = TestServer.start(work.resolve("data"), new SystemScheduler(), Map.of())) {
            for (String u : List.of("alice", "bob", "carol")) {
                server.addUser(u, u + "-secret", null, List.of());
            }
            int udp = server.sipPort(Transport.UDP);
            try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret")) {
                alice.send(TrustedSender.message(alice, "alice", ROOM, "#create"));
                assertThat(alice.receiveResponse().status()).isEqualTo(200);

                // bob's SIPp device: one run registers its port, the next takes the room's messages on it
                int device = Sipp.freePort();
                Sipp.Result registered = Sipp.startOn(device, "register-digest.xml", udp, "u1",
                        List.of("bob;bob-secret;localhost;600"), 1, "-au", "bob", "-ap", "bob-secret").await();
                assertThat(registered.passed()).as(registered.output()).isTrue();
                Path log = work.resolve("bob-device.log");
                try (Sipp.Running bobDevice = Sipp.startOn(device, "room-receive.xml", udp, "u1", List.of("bob"), 3,
                        "-trace_logs", "-log_file", log.toString())) {
                    Sipp.Result join = Sipp.run("room-message-uac.xml", udp, "u1",
                            List.of("bob;bob-secret;localhost;" + ROOM + ";#join"), 1);
                    assertThat(join.passed()).as(join.output()).isTrue();

                    sipsak(udp, work, "#join");
                    sipsak(udp, work, "Hello from sipsak");
                    Sipp.Result hello = Sipp.run("room-message-uac.xml", udp, "u1",
                            List.of("bob;bob-secret;localhost;" + ROOM + ";Hello from SIPp"), 1);
                    assertThat(hello.passed()).as(hello.output()).isTrue();

                    Sipp.Result taken = bobDevice.await();
                    assertThat(taken.passed()).as(taken.output()).isTrue();
                }
                String received = Files.readString(log);
                assertThat(received).contains("body: Welcome to interop as bob",
                        "body: carol (sip:carol@localhost) joined",
                        "\"carol (sip:carol@localhost)\" <" + ROOM + ">", "body: Hello from sipsak");

                SipRequest fromSipsak = until(alice, "Hello from sipsak");
                assertThat(fromSipsak.from().displayName()).isEqualTo("carol (sip:carol@localhost)");
                SipRequest fromSipp = until(alice, "Hello from SIPp");
                assertThat(fromSipp.from().displayName()).isEqualTo("bob (sip:bob@localhost)");
                assertThat(fromSipp.from().uri().toString()).isEqualTo(ROOM);
            }
        }
    }

    @Test
    @DisplayName("PP-27, PP-29, PP-31, PP-32 (interop): baresip joins a room with #join, gets a member's text and is heard")
    void baresipInARoom() throws Exception {
        String binary = ExternalTool.find("baresip", "baresip-core");
        String room = "sip:room_bare@groups.localhost";
        try (TestServer server = TestServer.start(work.resolve("data"), new SystemScheduler(), Map.of())) {
            server.addUser("alice", "alice-secret", null, List.of());
            server.addUser("dave", "dave-secret", null, List.of());
            int udp = server.sipPort(Transport.UDP);
            try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret");
                 Baresip dave = Baresip.start(binary, work.resolve("dave"), "dave", "dave-secret", room, udp)) {
                alice.send(TrustedSender.message(alice, "alice", room, "#create"));
                assertThat(alice.receiveResponse().status()).isEqualTo(200);
                dave.await("200 OK");
                dave.message("#join");
                assertThat(new String(until(alice, t -> t.endsWith(" joined")).body(), StandardCharsets.UTF_8))
                        .isEqualTo("dave (sip:dave@localhost) joined");
                dave.awaitRequest("MESSAGE", "Welcome to bare as dave");

                alice.send(TrustedSender.message(alice, "alice", room, "Hello baresip"));
                assertThat(alice.receiveResponse().reason()).isEqualTo("Sent to 1 members");
                dave.awaitRequest("MESSAGE", "Hello baresip");
                assertThat(dave.output()).contains("\"alice (sip:alice@localhost)\" <" + room + ">");

                dave.message("Hello from baresip");
                SipRequest heard = until(alice, t -> t.equals("Hello from baresip"));
                assertThat(heard.from().displayName()).isEqualTo("dave (sip:dave@localhost)");
                assertThat(heard.from().uri().toString()).isEqualTo(room);
            }
        }
    }

    private static SipRequest until(SipTestClient c, java.util.function.Predicate<String> text) throws Exception {
        for (int i = 0; i < 10; i++) {
            SipRequest r = c.receiveRequest();
            c.send(r.createResponse(200, "OK"));
            if (text.test(new String(r.body(), StandardCharsets.UTF_8))) {
                return r;
            }
        }
        throw new AssertionError("no such message");
    }

    private static SipRequest until(SipTestClient c, String text) throws Exception {
        for (int i = 0; i < 10; i++) {
            SipRequest r = c.receiveRequest();
            c.send(r.createResponse(200, "OK"));
            if (new String(r.body(), StandardCharsets.UTF_8).equals(text)) {
                return r;
            }
        }
        throw new AssertionError("no message " + text);
    }

    /** carol sends a MESSAGE to the room with sipsak, answering the 407 itself; sipsak must end with the room's 200. */
    private static void sipsak(int udp, Path work, String text) throws Exception {
        String sipsak = ExternalTool.find("sipsak", "sipsak");
        // sipsak's own message mode (-M) crashes in 0.9.8.1 (sipsak issue #95): the MESSAGE comes from a file
        Path message = work.resolve("message-" + UUID.randomUUID() + ".txt");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        Files.writeString(message, "MESSAGE " + ROOM + " SIP/2.0\n"
                + "From: <sip:carol@localhost>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\n"
                + "To: <" + ROOM + ">\n"
                + "Call-ID: " + UUID.randomUUID() + "@127.0.0.1\n"
                + "CSeq: 1 MESSAGE\n"
                + "Max-Forwards: 70\n"
                + "Content-Type: text/plain;charset=UTF-8\n"
                + "Content-Length: " + body.length + "\n\n" + text);
        // the room's host is no DNS name here: sipsak is pointed at the server, the file keeps the room as Request-URI
        Process p = new ProcessBuilder(sipsak, "-f", message.toString(), "-s", "sip:room_interop@127.0.0.1:" + udp, "-u", "carol", "-a", "carol-secret",
                "-p", "127.0.0.1:" + udp, "-vvv").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("sipsak did not finish: " + out);
        }
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("407", "200");
    }
}
