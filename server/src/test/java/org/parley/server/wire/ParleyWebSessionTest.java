package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.msrp.MsrpTransport;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.testkit.msrp.PythonMsrpPeer;

/**
 * Chat sessions and file transfer in Parley Web (issue 10 in the browser, issue 12; C6, C14, MU-1,
 * UC 5.2): the page's own MSRP client over WebSocket (RFC 7977) through Parley's relay, which it
 * AUTHs at with the user's digest (RFC 4976 §5), the INVITE through JsSIP, in the system's headless
 * Chromium (src/test/browser/sessions.mjs): two browsers, a browser and the Python MSRP peer,
 * deferred delivery, and the page's MSRP parser fed malformed frames.
 */
@DisplayName("C6, C14, MU-1, UC 5.2: Parley Web chat sessions and file transfer over MSRP on WebSocket in Chromium")
class ParleyWebSessionTest {
    static final String ALICE = "alice:alice secret phrase";
    static final String BOB = "bob:bob-secret-pw";

    @TempDir
    Path dir;

    @BeforeAll
    static void installOnce(@TempDir Path scratch) throws IOException, InterruptedException {
        BrowserProject.install(scratch);
    }

    @Test
    @DisplayName("MU-1, MU-4, MU-5, UC 5.2, RFC 4975, RFC 4976 §5, RFC 7977, RFC 3994, RFC 5547, PP2-6: two browsers — a "
            + "session offered, accepted, typing and UTF-8 messages both ways with success reports (Delivered), markup "
            + "as text; a file sent, accepted with progress and saved byte for byte, one declined, one over the operator's "
            + "size limit refused with 488 and its Warning; the callee ends the session (BYE) and the caller is told")
    void twoBrowsersInASession() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(),
                Map.of("chat.max-file-bytes", "300000"))) {
            addUsers(server);
            befriend(server);
            try (WebRun run = WebRun.start("chat-session", base(server), ParleyWebTest.SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"offer\",\"user\":\"bob\",\"text\":\"ally asks for a chat session\"}",
                        "{\"event\":\"notice\",\"user\":\"bob\",\"text\":\"In a session with ally.\"}",
                        "{\"event\":\"notice\",\"user\":\"alice\",\"text\":\"In a session with bob.\"}",
                        "{\"event\":\"typing\",\"user\":\"bob\",\"text\":\"ally is typing…\"}",
                        "{\"event\":\"received\",\"user\":\"bob\",\"text\":\"Hello bob, in a session 👋 — grüße, 你好\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Hello bob, in a session 👋 — grüße, 你好\",\"status\":\"Delivered\"}",
                        "{\"event\":\"received\",\"user\":\"alice\",\"text\":\"Session reply <b>bold</b>\"}",
                        "{\"event\":\"status\",\"user\":\"bob\",\"text\":\"Session reply <b>bold</b>\",\"status\":\"Delivered\"}",
                        "{\"event\":\"markup\",\"user\":\"alice\",\"elements\":0}",
                        "{\"event\":\"offer\",\"user\":\"bob\",\"text\":\"ally sends you photo of the 🌊.bin (195.3 KB)\"}",
                        "{\"event\":\"file-saved\",\"user\":\"bob\",\"bytes\":200000,\"same\":true}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"photo of the 🌊.bin (195.3 KB) \",\"status\":\"Delivered\"}",
                        "{\"event\":\"progress\",\"user\":\"alice\",\"value\":\"200000/200000\"}",
                        "{\"event\":\"offer\",\"user\":\"bob\",\"text\":\"ally sends you unwanted.txt (1000 bytes)\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"unwanted.txt (1000 bytes) \",\"status\":\"bob declined unwanted.txt.\"}",
                        "{\"event\":\"limit\",\"user\":\"alice\",\"text\":\"Not accepted: Not Acceptable Here (file too large). "
                                + "file of 400000 bytes is over the limit of 300000 bytes\"}",
                        "{\"event\":\"notice\",\"user\":\"bob\",\"text\":\"You ended the session.\"}",
                        "{\"event\":\"notice\",\"user\":\"alice\",\"text\":\"bob ended the session.\"}",
                        "{\"event\":\"controls\",\"user\":\"alice\",\"start\":true}",
                        "{\"event\":\"received\",\"user\":\"bob\",\"text\":\"Back to pager mode\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("RFC 5547 §6, issue 10 (resumed transfers), C14: a file transfer between two browsers is cut after three "
            + "chunks (the test closes the receiver's MSRP WebSocket after its third success REPORT); the receiver keeps "
            + "those 48 KiB, the sender's page offers Resume after the octets the reports confirmed; the new offer (same "
            + "file-selector and SHA-1, a=file-range) is matched to the kept part by its hash, the rest joined to it, the "
            + "saved file identical to the one sent, and no octet sent twice (the receiver counts 200 000 in all)")
    void fileTransferResumed() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            befriend(server);
            try (WebRun run = WebRun.start("file-resume", base(server), ParleyWebTest.SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"offer\",\"user\":\"bob\",\"text\":\"ally sends you resume me.bin (195.3 KB)\"}",
                        "{\"event\":\"kept\",\"user\":\"bob\",\"text\":\"resume me.bin: 48.0 KB of 195.3 KB kept; the sender "
                                + "can resume it.\",\"octets\":49152}",
                        "{\"event\":\"interrupted\",\"user\":\"alice\",\"text\":\"Interrupted after 48.0 KB of 195.3 KB: Resume "
                                + "sends the rest.\",\"progress\":\"49152/200000\"}",
                        "{\"event\":\"notice\",\"user\":\"bob\",\"text\":\"ally resumes resume me.bin after 48.0 KB.\"}",
                        "{\"event\":\"file-saved\",\"user\":\"bob\",\"bytes\":200000,\"same\":true,\"damaged\":false}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"resume me.bin (195.3 KB) \",\"status\":\"Delivered\"}",
                        "{\"event\":\"octets-received\",\"user\":\"bob\",\"octets\":200000}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("RFC 5547 §6, issue 10 (resumed transfers), C14: a transfer cut after three chunks, then the receiver's "
            + "page reloaded: the part it kept survives the reload (IndexedDB); signed in again, it takes the sender's "
            + "Resume, receives only the rest (48 KiB before the reload, 200 000 - 49 152 octets after) and saves the "
            + "file that was sent")
    void fileTransferResumedAfterTheReceiverReloaded() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            befriend(server);
            try (WebRun run = WebRun.start("file-resume-reload", base(server), ParleyWebTest.SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"offer\",\"user\":\"bob\",\"text\":\"ally sends you reloaded.bin (195.3 KB)\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"notice\",\"user\":\"bob\",\"text\":\"ally resumes reloaded.bin after 48.0 KB.\"}",
                        "{\"event\":\"file-saved\",\"user\":\"bob\",\"bytes\":200000,\"same\":true}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"reloaded.bin (195.3 KB) \",\"status\":\"Delivered\"}",
                        "{\"event\":\"octets-received\",\"user\":\"bob\",\"before\":49152,\"after\":150848}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("MU-3, MU-1, OMA SIMPLE IM deferred messaging: a session to a browser user with no device online is "
            + "answered by Parley with the Warning, which the page shows (delivered when they come online); the messages "
            + "sent in it reach the user's browser in order when they sign in")
    void sessionToAnOfflineBrowserIsDeferred() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            befriend(server);
            try (WebRun run = WebRun.start("session-deferred", base(server), ParleyWebTest.SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"notice\",\"user\":\"alice\",\"text\":\"bob is offline: the messages of this session are "
                                + "delivered when bob comes online.\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Kept for later, 1\",\"status\":\"Sent (waiting until they are online)\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Kept for later, 2 ✓\",\"status\":\"Sent (waiting until they are online)\"}",
                        "{\"event\":\"notice\",\"user\":\"alice\",\"text\":\"You ended the session.\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"deferred-delivery\",\"user\":\"bob\",\"messages\":[\"Kept for later, 1\",\"Kept for later, 2 ✓\"]}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("MU-1, UC 5.2, RFC 4975, RFC 4976 §7, RFC 7977: a browser and a SIP device with the independent Python MSRP "
            + "peer (TCP) chat in a session through the relay — the browser's offer names its relay URI and its own .invalid "
            + "ws URI, text both ways with a success report, and the device's BYE ends it in the page")
    void browserAndPythonPeerInASession() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of("msrp.tcp.port", "0"))) {
            addUsers(server);
            befriend(server);
            try (SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret-pw");
                 PythonMsrpPeer peer = PythonMsrpPeer.start();
                 WebRun run = WebRun.start("session-peer", base(server), ParleyWebTest.SHOTS, dir.resolve("profile"), ALICE)) {
                int port = server.server().msrpPort(MsrpTransport.TCP);
                peer.connect("tcp", port, null);
                String relay = peer.auth("msrp://127.0.0.1:" + port + ";tcp", "bob", "bob-secret-pw").get("use-path");
                assertThat(relay).startsWith("msrp://127.0.0.1:");

                run.awaitRequest("invite");
                // the server's own requests to the device (a notice of the contact request) come first: answered
                SipRequest invite = bob.receiveRequest();
                while (!invite.method().equals("INVITE")) {
                    bob.send(invite.createResponse(200, "bobtag"));
                    invite = bob.receiveRequest();
                }
                String offer = new String(invite.body(), StandardCharsets.UTF_8);
                assertThat(offer).contains("m=message 9 TCP/TLS/MSRP *", "a=accept-types:message/cpim text/plain");
                Matcher path = Pattern.compile("a=path:(msrps://127\\.0\\.0\\.1:\\d+/\\S+;ws) (msrps://[0-9a-f]+\\.invalid:9/\\S+;ws)\r\n")
                        .matcher(offer);
                assertThat(path.find()).as(offer).isTrue();
                String answer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:" + relay + " " + peer.uri() + "\r\n";
                SipResponse ok = invite.createResponse(200, "bobtag");
                for (String rr : invite.headers().values("Record-Route")) {
                    ok = ok.withHeader("Record-Route", rr);
                }
                ok = ok.withHeader("Contact", "<sip:bob@127.0.0.1:" + bob.localPort() + ";transport=tcp>")
                        .withBody("application/sdp", answer.getBytes(StandardCharsets.UTF_8));
                bob.send(ok);
                assertThat(bob.receiveRequest().method()).isEqualTo("ACK");
                run.proceed();

                PythonMsrpPeer.Reply hello = peer.receive();
                assertThat(hello.text()).as(hello.fields().toString()).isEqualTo("Hello Python peer 🐍");
                // the answer took text/plain only: no CPIM; the relay put both its hops in front of the browser's URI
                assertThat(hello.get("content-type")).isEqualTo("text/plain;charset=UTF-8");
                assertThat(hello.get("from-path")).endsWith(path.group(1) + " " + path.group(2));
                run.awaitRequest("peer-send");
                peer.send(relay + " " + path.group(1) + " " + path.group(2), "text/plain",
                        "Hello browser, from Python".getBytes(StandardCharsets.UTF_8), 2048, "no");
                run.proceed();

                run.awaitRequest("peer-bye");
                String contact = invite.headers().first("Contact").orElseThrow();
                String to = invite.headers().first("From").orElseThrow();
                StringBuilder bye = new StringBuilder("BYE " + contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'))
                        + " SIP/2.0\r\nVia: " + bob.via() + "\r\n");
                for (String rr : invite.headers().values("Record-Route")) {
                    bye.append("Route: ").append(rr).append("\r\n");
                }
                bye.append("From: ").append(ok.headers().first("To").orElseThrow()).append("\r\nTo: ").append(to)
                        .append("\r\nCall-ID: ").append(invite.headers().first("Call-ID").orElseThrow())
                        .append("\r\nCSeq: 1 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
                bob.send(bye.toString());
                assertThat(bob.receiveResponse().status()).isEqualTo(200);
                run.proceed();

                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"await\",\"what\":\"invite\"}",
                        "{\"event\":\"notice\",\"user\":\"alice\",\"text\":\"In a session with bob.\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Hello Python peer 🐍\",\"status\":\"Delivered\"}",
                        "{\"event\":\"await\",\"what\":\"peer-send\"}",
                        "{\"event\":\"received\",\"user\":\"alice\",\"text\":\"Hello browser, from Python\"}",
                        "{\"event\":\"await\",\"what\":\"peer-bye\"}",
                        "{\"event\":\"notice\",\"user\":\"alice\",\"text\":\"bob ended the session.\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("RFC 4975 §9, §7.3, RFC 7977, RFC 5547 (§6 a=file-range too), RFC 7616, RFC 3862 §3.3: the page's MSRP parser in Chromium — RFC 4975 style "
            + "frames read (SEND, response, REPORT, binary body, a body holding a would-be end-line) and malformed ones "
            + "(lying Byte-Range, no or wrong end-line, paths out of order or not MSRP, a header without colon, a bad "
            + "transaction id, not MSRP, empty, a body without type, invalid UTF-8 in headers) each an error with the "
            + "transaction id when readable; SDP offers, digest challenges and the CPIM From of a room's copies (quoted, "
            + "plain, no name), malformed too; never an exception, and the "
            + "page still signs in")
    void pageMsrpParserTakesMalformedInput() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            try (WebRun run = WebRun.start("msrp-parser", base(server), ParleyWebTest.SHOTS, dir.resolve("profile"), ALICE)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).doesNotContain("threw").containsExactly(
                        "{\"event\":\"parsed\",\"kind\":\"frames\",\"outcomes\":["
                                + "{\"tid\":\"a786hjs2\",\"method\":\"SEND\",\"status\":null,\"toPath\":[\"msrp://a.invalid:9/s1;ws\"],"
                                + "\"fromPath\":[\"msrps://relay:2856/r1;ws\",\"msrp://b.invalid:9/s2;ws\"],\"body\":\"Hey Bob, are you there? \","
                                + "\"flag\":\"$\",\"range\":{\"start\":1,\"end\":24,\"total\":24}},"
                                + "{\"tid\":\"a786hjs2\",\"method\":null,\"status\":200,\"toPath\":[\"msrp://a.invalid:9/s1;ws\"],"
                                + "\"fromPath\":[\"msrps://relay:2856/r1;ws\",\"msrp://b.invalid:9/s2;ws\"],\"body\":\"\",\"flag\":\"$\",\"range\":null},"
                                + "{\"tid\":\"dkei38sd\",\"method\":\"REPORT\",\"status\":null,\"toPath\":[\"msrp://a.invalid:9/s1;ws\"],"
                                + "\"fromPath\":[\"msrps://relay:2856/r1;ws\",\"msrp://b.invalid:9/s2;ws\"],\"body\":\"\",\"flag\":\"$\",\"range\":null},"
                                + "{\"tid\":\"d93kswow\",\"method\":\"SEND\",\"status\":null,\"toPath\":[\"msrp://a.invalid:9/s1;ws\"],"
                                + "\"fromPath\":[\"msrps://relay:2856/r1;ws\",\"msrp://b.invalid:9/s2;ws\"],\"body\":\"line\\r\\n--\","
                                + "\"flag\":\"+\",\"range\":{\"start\":1,\"end\":8,\"total\":null}},"
                                + "{\"error\":\"Byte-Range does not match the body\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"no end-line for this transaction\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"no end-line for this transaction\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"To-Path and From-Path must come first\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"malformed header field \\\"no colon here\\\"\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"a path is not a list of MSRP URIs\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"not an MSRP start line\",\"tid\":null,\"request\":false},"
                                + "{\"error\":\"not an MSRP start line\",\"tid\":null,\"request\":false},"
                                + "{\"error\":\"no start line\",\"tid\":null,\"request\":false},"
                                + "{\"error\":\"a body without Content-Type\",\"tid\":\"a786hjs2\",\"request\":true},"
                                + "{\"error\":\"neither a method nor a status\",\"tid\":\"a786hjs2\",\"request\":false}]}",
                        "{\"event\":\"parsed\",\"kind\":\"binary\",\"outcomes\":[255,0,254]}",
                        "{\"event\":\"parsed\",\"kind\":\"badUtf8\",\"outcomes\":{\"error\":\"header fields are not UTF-8\","
                                + "\"tid\":\"b1nary00\",\"request\":true}}",
                        "{\"event\":\"parsed\",\"kind\":\"roundTrip\",\"outcomes\":{\"tid\":\"r0undtr1p\",\"method\":\"SEND\",\"status\":null,"
                                + "\"toPath\":[\"msrp://a.invalid:9/s;ws\"],\"fromPath\":[\"msrp://b.invalid:9/t;ws\"],\"body\":\"grüß\\r\\n\","
                                + "\"flag\":\"$\",\"range\":{\"start\":1,\"end\":8,\"total\":8}}}",
                        "{\"event\":\"parsed\",\"kind\":\"sdp\",\"outcomes\":[{\"path\":[\"msrps://r:1/x;ws\",\"msrps://y.invalid:9/z;ws\"],"
                                + "\"acceptTypes\":[\"image/png\"],\"direction\":\"sendonly\",\"file\":{\"name\":\"a\\\"b.png\",\"type\":\"image/png\","
                                + "\"size\":12,\"hash\":\"AB:CD\"},\"fileTransferId\":null},null,null,"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":{\"start\":49153,\"stop\":null}},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":{\"start\":1,\"stop\":200000}},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":false},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":false},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":false},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":false},"
                                + "{\"path\":[\"msrp://h:1/s;tcp\"],\"acceptTypes\":[],\"direction\":\"sendrecv\",\"file\":null,\"fileTransferId\":null,\"fileRange\":false}]}",
                        "{\"event\":\"parsed\",\"kind\":\"challenges\",\"outcomes\":[{\"realm\":\"localhost\",\"nonce\":\"abc\","
                                + "\"algorithm\":\"MD5\",\"qop\":[\"auth\"]},null,null,null]}",
                        "{\"event\":\"parsed\",\"kind\":\"cpimAddresses\",\"outcomes\":[{\"name\":\"Bobby [private]\","
                                + "\"uri\":\"sip:room_salon@groups.localhost;screen-name=Bobby\"},{\"name\":\"A \\\"quoted\\\" name\","
                                + "\"uri\":\"sip:a@x\"},{\"name\":\"Plain Name\",\"uri\":\"sip:a@x\"},{\"name\":\"\",\"uri\":\"sip:a@x\"},"
                                + "null,null,null,null,null,null,null]}",
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    private static String base(TestServer server) {
        return "http://127.0.0.1:" + server.server().httpPort() + "/";
    }

    private static void addUsers(TestServer server) {
        server.addUser("alice", "alice secret phrase", null, List.of("ally"));
        server.addUser("bob", "bob-secret-pw", null, List.of());
    }

    /** Alice and bob on each other's lists (UC 5.1), the requests approved through the user API. */
    private static void befriend(TestServer server) throws IOException, InterruptedException {
        String[][] pairs = {{"alice", "alice secret phrase", "bob", "bob-secret-pw"}, {"bob", "bob-secret-pw", "alice", "alice secret phrase"}};
        for (String[] p : pairs) {
            HttpResponse<String> added = server.http("POST", "/api/v1/contacts/lists/friends/entries",
                    "{\"contact\":\"" + p[2] + "\"}", TestServer.basic(p[0], p[1]));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            if (added.body().contains("\"pending\":true")) {
                HttpResponse<String> approved = server.http("POST", "/api/v1/contacts/requests/approve",
                        "{\"watcher\":\"" + p[0] + "\"}", TestServer.basic(p[2], p[3]));
                assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            }
        }
    }
}
