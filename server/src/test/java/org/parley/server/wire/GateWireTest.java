package org.parley.server.wire;

import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * The one authentication gate and the relay rules over the wire (issue 9 §2, §3; issue 14 §1):
 * each finding of issue 9 reproduced, guessing slowed then refused at every door while a user
 * from another address keeps logging in, a record-routed call that still works, and a login that
 * fails on the algorithm made visible. The guard runs on fast, explicit timings here.
 */
@DisplayName("Issue 9 §2-§3, issue 14 §1, GS-1, GS-4, PP2-3, RFC 3261 §16.4/§22: one gate, no relay for strangers")
class GateWireTest {
    static final int DELAY_MS = 150;
    static final String PASSWORD = "right-password";
    static TestServer server;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.ofEntries(
                Map.entry("auth.algorithms", "SHA-256,MD5"),
                Map.entry("auth.failures-before-delay", "2"),
                Map.entry("auth.failures-before-block", "5"),
                Map.entry("auth.first-delay-ms", Integer.toString(DELAY_MS)),
                Map.entry("auth.max-delay-ms", "600"),
                Map.entry("auth.source-failures-before-block", "100"),
                Map.entry("auth.account-failures-before-slow", "8"),
                Map.entry("auth.account-interval-ms", "1000"),
                Map.entry("messaging.messages-per-minute", "1000"),
                Map.entry("auth.unanswered-challenge-seconds", "1")));
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy",
                "kate")) {
            server.addUser(user, PASSWORD, null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An out-of-dialog request (or, with {@code toTag}, one claiming a dialog) as a bare client writes it. */
    static String request(SipTestClient c, String method, String from, String target, String callId, int cseq,
                          String toTag, String extra) {
        return method + " " + target + " SIP/2.0\n"
                + "Via: " + c.via() + "\n"
                + "From: <sip:" + from + "@localhost>;tag=f" + callId.substring(0, 6) + "\n"
                + "To: <" + target + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " " + method + "\n"
                + "Max-Forwards: 70\n"
                + "Contact: <sip:" + from + "@" + c.localAddress() + ":" + c.localPort() + ">\n"
                + "User-Agent: gate-wire-test\n"
                + extra
                + "Content-Length: 0\n\n";
    }

    /** Extra headers that make a request acceptable to the service that takes it, once authenticated. */
    static String extraFor(String method) {
        return switch (method) {
            case "SUBSCRIBE" -> "Event: presence\nExpires: 600\nAccept: application/pidf+xml\n";
            case "PUBLISH" -> "Event: presence\nExpires: 600\n";
            case "MESSAGE" -> "Content-Type: text/plain\n";
            case "REFER" -> "Refer-To: <sip:bob@localhost>\n";
            default -> "";
        };
    }

    private static Digest challenge(SipTestClient c, String method, String from, String target) throws IOException {
        c.send(request(c, method, from, target, UUID.randomUUID().toString(), 1, null, extraFor(method)));
        SipResponse r = c.receiveResponse();
        assertThat(r.status()).as(method + " without credentials").isEqualTo(407);
        return Digest.parse(r.headers().lines("Proxy-Authenticate").get(0));
    }

    /** One authenticated try; returns the final response and how long it took. */
    private static Timed attempt(SipTestClient c, Digest d, String method, String user, String password, String target,
                                 int nc) throws IOException {
        long t0 = System.nanoTime();
        c.send(request(c, method, user, target, UUID.randomUUID().toString(), 1, null, extraFor(method)
                + "Proxy-Authorization: " + d.authorization(method, target, user, password, nc) + "\n"));
        SipResponse r = c.receiveResponse();
        return new Timed(r.status(), r.reason(), (System.nanoTime() - t0) / 1_000_000);
    }

    record Timed(int status, String reason, long millis) {
    }

    private static HttpClient httpFrom(String address) throws IOException {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Timed http(HttpClient client, String method, String path, String authorization)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.server().httpPort() + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        return new Timed(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** A UDP socket at a host nobody should ever send to: what arrives there is the relay's output. */
    private static DatagramSocket victimHost() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.95"), 0));
        s.setSoTimeout(200);
        return s;
    }

    private static int drain(DatagramSocket s, long millis) throws IOException {
        int received = 0;
        long end = System.currentTimeMillis() + millis;
        byte[] buf = new byte[65535];
        while (System.currentTimeMillis() < end) {
            try {
                s.receive(new DatagramPacket(buf, buf.length));
                received++;
            } catch (SocketTimeoutException e) {
                // nothing yet
            }
        }
        return received;
    }

    @Test
    @DisplayName("issue 9 §2: the stranger's BYE with Route to 127.0.0.95 — and every other method — gets 403, nothing reaches the Route target")
    void noRelayAlongUnrecordedRoutes() throws IOException {
        try (DatagramSocket target = victimHost();
             SipTestClient stranger = SipTestClient.udpFrom("127.0.0.8", server.sipPort(Transport.UDP))) {
            String route = "Route: <sip:127.0.0.95:" + target.getLocalPort() + ";lr>\n";
            int udp = server.sipPort(Transport.UDP);
            String forgedOwn = "Route: <sip:AAAAAAAAAAAAAAAAAAAA@127.0.0.1:" + udp + ";lr>, <sip:127.0.0.95:"
                    + target.getLocalPort() + ";lr>\n";
            for (String method : List.of("BYE", "INVITE", "MESSAGE", "INFO", "NOTIFY", "UPDATE", "REFER", "OPTIONS",
                    "PRACK", "SUBSCRIBE", "PUBLISH")) {
                for (String routes : List.of(route, forgedOwn)) {
                    stranger.send(request(stranger, method, "mallory", "sip:victim@127.0.0.95:" + target.getLocalPort(),
                            UUID.randomUUID().toString(), 1, "t-" + method, routes + extraFor(method)));
                    SipResponse r = stranger.receiveResponse();
                    assertThat(r.status()).as(method + " " + routes).isEqualTo(403);
                }
            }
            assertThat(drain(target, 2000)).as("datagrams at the Route target").isZero();
        }
    }

    @Test
    @DisplayName("issue 9 §2: a record-routed call between two registered users works end to end (INVITE with digest over UDP, ACK, BYE)")
    void recordRoutedCall() throws IOException {
        try (SipTestClient callee = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient caller = SipTestClient.udpFrom("127.0.0.7", server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(callee, "kate");
            assertThat(reg.register(PASSWORD, reg.contact("kate"), "600", "").status()).isEqualTo(200);
            String callId = UUID.randomUUID().toString();
            String sdp = "Content-Type: application/sdp\n";
            caller.send(request(caller, "INVITE", "judy", "sip:kate@localhost", callId, 1, null, sdp));
            SipResponse challenge = caller.receiveResponse();
            assertThat(challenge.status()).as("an INVITE from a local user is challenged").isEqualTo(407);
            caller.send("ACK sip:kate@localhost SIP/2.0\nVia: " + challenge.headers().first("Via").orElseThrow()
                    + "\nFrom: " + challenge.headers().first("From").orElseThrow() + "\nTo: "
                    + challenge.headers().first("To").orElseThrow() + "\nCall-ID: " + callId
                    + "\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n");
            Digest d = Digest.parse(challenge.headers().lines("Proxy-Authenticate").get(0));
            caller.send(request(caller, "INVITE", "judy", "sip:kate@localhost", callId, 2, null, sdp
                    + "Proxy-Authorization: " + d.authorization("INVITE", "sip:kate@localhost", "judy", PASSWORD, 1) + "\n"));
            SipRequest invite = callee.receiveRequest();
            assertThat(invite.method()).isEqualTo("INVITE");
            assertThat(invite.headers().has("Proxy-Authorization")).as("our credentials go no further").isFalse();
            String rr = invite.headers().values("Record-Route").get(0);
            SipResponse ok = invite.createResponse(200, "callee").withHeader("Record-Route", rr)
                    .withHeader("Contact", "<sip:kate@127.0.0.1:" + callee.localPort() + ">");
            callee.send(ok);
            SipResponse answered = caller.receiveResponse();
            assertThat(answered.status()).isEqualTo(200);
            String route = answered.headers().values("Record-Route").get(0);
            String toWithTag = answered.headers().first("To").orElseThrow();
            String contact = "sip:kate@127.0.0.1:" + callee.localPort();
            String from = answered.headers().first("From").orElseThrow();
            caller.send("ACK " + contact + " SIP/2.0\nVia: " + caller.via() + "\nRoute: " + route + "\nFrom: " + from
                    + "\nTo: " + toWithTag + "\nCall-ID: " + callId + "\nCSeq: 2 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n");
            assertThat(callee.receiveRequest().method()).isEqualTo("ACK");
            caller.send("BYE " + contact + " SIP/2.0\nVia: " + caller.via() + "\nRoute: " + route + "\nFrom: " + from
                    + "\nTo: " + toWithTag + "\nCall-ID: " + callId + "\nCSeq: 3 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n");
            SipRequest bye = callee.receiveRequest();
            assertThat(bye.method()).isEqualTo("BYE");
            callee.send(bye.createResponse(200, "callee"));
            assertThat(caller.receiveResponse().status()).isEqualTo(200);

            // the stamp is bound to this dialog: the same Route in another Call-ID is not followed
            caller.send("BYE " + contact + " SIP/2.0\nVia: " + caller.via() + "\nRoute: " + route
                    + ", <sip:127.0.0.95:5999;lr>\nFrom: " + from + "\nTo: " + toWithTag + "\nCall-ID: other-" + callId
                    + "\nCSeq: 4 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n");
            assertThat(caller.receiveResponse().status()).isEqualTo(403);
            assertThat(reg.answer("kate", PASSWORD, "*", "0", "").status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("issue 9 §3: INVITE, REFER, OPTIONS, MESSAGE, SUBSCRIBE, PUBLISH are challenged before anything is said about the target")
    void challengedBeforeTheTargetIsRevealed() throws IOException {
        try (SipTestClient c = SipTestClient.udpFrom("127.0.0.6", server.sipPort(Transport.UDP))) {
            for (String method : List.of("INVITE", "REFER", "OPTIONS", "MESSAGE", "SUBSCRIBE", "PUBLISH")) {
                for (String target : List.of("sip:bob@localhost", "sip:nobody-here@localhost")) {
                    String callId = UUID.randomUUID().toString();
                    c.send(request(c, method, "mallory", target, callId, 1, null, extraFor(method)));
                    SipResponse r = c.receiveResponse();
                    assertThat(r.status()).as(method + " to " + target).isEqualTo(407);
                    if (method.equals("INVITE")) {
                        c.send("ACK " + target + " SIP/2.0\nVia: " + r.headers().first("Via").orElseThrow() + "\nFrom: "
                                + r.headers().first("From").orElseThrow() + "\nTo: " + r.headers().first("To").orElseThrow()
                                + "\nCall-ID: " + callId + "\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n");
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("issue 9 §3: a wrong password and an unknown user get the same 403 and the same log outcome; the digest uri must be the Request-URI")
    void wrongPasswordLooksLikeUnknownUser() throws Exception {
        try (SipTestClient c = SipTestClient.udpFrom("127.0.0.5", server.sipPort(Transport.UDP))) {
            Digest d = challenge(c, "MESSAGE", "ivan", "sip:bob@localhost");
            Timed wrong = attempt(c, d, "MESSAGE", "ivan", "not-it", "sip:bob@localhost", 1);
            Timed unknown = attempt(c, d, "MESSAGE", "zed-nobody", "not-it", "sip:bob@localhost", 2);
            assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(403);
            assertThat(unknown.reason()).isEqualTo(wrong.reason());
            assertThat(server.admin("/admin/v1/auth-attempts?identity=ivan")).contains("\"reason\":\"bad-credentials\"");
            assertThat(server.admin("/admin/v1/auth-attempts?identity=zed-nobody")).contains("\"reason\":\"bad-credentials\"");

            c.send(request(c, "MESSAGE", "ivan", "sip:bob@localhost", UUID.randomUUID().toString(), 1, null,
                    extraFor("MESSAGE") + "Proxy-Authorization: "
                            + d.authorization("MESSAGE", "sip:carol@localhost", "ivan", PASSWORD, 3) + "\n"));
            assertThat(c.receiveResponse().status()).as("credentials for another Request-URI").isEqualTo(407);
        }
        HttpResponse<String> wrongHttp = server.http("GET", "/api/v1/me/messaging", null, basic("ivan", "not-it"));
        HttpResponse<String> unknownHttp = server.http("GET", "/api/v1/me/messaging", null, basic("zed-nobody", "not-it"));
        assertThat(unknownHttp.statusCode()).isEqualTo(wrongHttp.statusCode()).isEqualTo(401);
        assertThat(unknownHttp.body()).isEqualTo(wrongHttp.body());
    }

    @Test
    @DisplayName("GS-4: guessing from one address at MESSAGE, SUBSCRIBE, PUBLISH, XCAP, /api/v1 and tokens is slowed, then refused even with the right password, while a user at 127.0.0.2 keeps >= 99 % success")
    void guessingIsSlowedThenRefusedEverywhere() throws Exception {
        HttpClient attackerHttp = httpFrom("127.0.0.1");
        HttpClient userHttp = httpFrom("127.0.0.2");
        try (SipTestClient attacker = SipTestClient.udpFrom("127.0.0.1", server.sipPort(Transport.UDP));
             SipTestClient user = SipTestClient.udpFrom("127.0.0.2", server.sipPort(Transport.UDP))) {
            Digest userDigest = challenge(user, "MESSAGE", "alice", "sip:bob@localhost");
            int[] nc = {0};
            int[] tries = {0};
            int[] successes = {0};
            Runnable legitimate = () -> {
                try {
                    tries[0] += 2;
                    if (attempt(user, userDigest, "MESSAGE", "alice", PASSWORD, "sip:bob@localhost", ++nc[0]).status() / 100 == 2) {
                        successes[0]++;
                    }
                    if (http(userHttp, "GET", "/api/v1/me/messaging", basic("alice", PASSWORD)).status() == 200) {
                        successes[0]++;
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            legitimate.run();

            // SIP doors: the victim of the MESSAGE run is alice herself, whose own logins must go on
            Map<String, String> sipVictims = Map.of("MESSAGE", "alice", "SUBSCRIBE", "carol", "PUBLISH", "dave");
            for (String method : List.of("MESSAGE", "SUBSCRIBE", "PUBLISH")) {
                String victim = sipVictims.get(method);
                String target = method.equals("MESSAGE") ? "sip:bob@localhost" : "sip:" + victim + "@localhost";
                Digest d = challenge(attacker, method, victim, target);
                for (int i = 1; i <= 5; i++) {
                    Timed t = attempt(attacker, d, method, victim, "guess-" + i, target, i);
                    assertThat(t.status()).as(method + " guess " + i).isEqualTo(403);
                    if (i >= 3) {
                        assertThat(t.millis()).as(method + " guess " + i + " is answered late").isGreaterThanOrEqualTo(DELAY_MS - 10);
                    }
                    legitimate.run();
                }
                Timed right = attempt(attacker, d, method, victim, PASSWORD, target, 6);
                assertThat(right.status()).as(method + ": the right password from the blocked address").isEqualTo(403);
                assertThat(right.reason()).containsIgnoringCase("try later");
            }

            // HTTP doors
            Map<String, String[]> httpDoors = Map.of(
                    "xcap", new String[] {"GET", "/xcap-root/resource-lists/users/sip:erin@localhost/index", "erin"},
                    "api", new String[] {"GET", "/api/v1/me/messaging", "frank"},
                    "tokens", new String[] {"POST", "/api/v1/tokens", "gina"});
            for (String door : List.of("xcap", "api", "tokens")) {
                String[] d = httpDoors.get(door);
                for (int i = 1; i <= 5; i++) {
                    Timed t = http(attackerHttp, d[0], d[1], basic(d[2], "guess-" + i));
                    assertThat(t.status()).as(door + " guess " + i).isEqualTo(401);
                    if (i >= 3) {
                        assertThat(t.millis()).as(door + " guess " + i + " is answered late").isGreaterThanOrEqualTo(DELAY_MS - 10);
                    }
                    legitimate.run();
                }
                assertThat(http(attackerHttp, d[0], d[1], basic(d[2], PASSWORD)).status())
                        .as(door + ": the right password from the blocked address").isEqualTo(429);
            }
            assertThat((double) successes[0] / tries[0]).as(successes[0] + " of " + tries[0]).isGreaterThanOrEqualTo(0.99);

            // issue 9 §3: an address blocked at REGISTER is blocked for MESSAGE too, right password or not
            try (SipTestClient phone = SipTestClient.udpFrom("127.0.0.4", server.sipPort(Transport.UDP))) {
                Registration reg = new Registration(phone, "hank");
                reg.challenge("hank", reg.contact("hank"), "600", "");
                for (int i = 0; i < 5; i++) {
                    assertThat(reg.answer("hank", "guess-" + i, reg.contact("hank"), "600", "").status()).isEqualTo(403);
                }
                Digest d = challenge(phone, "MESSAGE", "hank", "sip:bob@localhost");
                Timed right = attempt(phone, d, "MESSAGE", "hank", PASSWORD, "sip:bob@localhost", 1);
                assertThat(right.status()).isEqualTo(403);
                assertThat(right.reason()).containsIgnoringCase("try later");
            }
        }
    }

    @Test
    @DisplayName("GS-4: an account guessed from many addresses is slowed for new addresses, never for one its owner logged in from")
    void accountGuessedFromManyAddresses() throws Exception {
        HttpClient owner = httpFrom("127.0.0.20");
        assertThat(http(owner, "GET", "/api/v1/me/messaging", basic("bob", PASSWORD)).status()).isEqualTo(200);
        for (String address : List.of("127.0.0.21", "127.0.0.22", "127.0.0.23")) {
            HttpClient guesser = httpFrom(address);
            for (int i = 0; i < 3; i++) {
                assertThat(http(guesser, "GET", "/api/v1/me/messaging", basic("bob", "guess")).status()).isEqualTo(401);
            }
        }
        for (int i = 0; i < 5; i++) {
            assertThat(http(owner, "GET", "/api/v1/me/messaging", basic("bob", PASSWORD)).status())
                    .as("the owner's known address").isEqualTo(200);
        }
        HttpClient newcomer = httpFrom("127.0.0.24");
        int status = 0;
        long giveUp = System.currentTimeMillis() + 3000;
        while (status != 200 && System.currentTimeMillis() < giveUp) {
            status = http(newcomer, "GET", "/api/v1/me/messaging", basic("bob", PASSWORD)).status();
            assertThat(status).as("a new address: admitted once per interval, else 429").isIn(200, 429);
        }
        assertThat(status).as("a new address gets its turn within the interval").isEqualTo(200);
        assertThat(http(httpFrom("127.0.0.25"), "GET", "/api/v1/me/messaging", basic("bob", PASSWORD)).status())
                .as("another new address right after, within the interval").isEqualTo(429);
        assertThat(http(newcomer, "GET", "/api/v1/me/messaging", basic("bob", PASSWORD)).status())
                .as("an address that logged in is exempt from then on").isEqualTo(200);
    }

    @Test
    @DisplayName("issue 14 §1: an unanswered challenge and credentials with an algorithm not offered are in /admin/v1/auth-attempts")
    void failedAlgorithmIsVisible() throws Exception {
        try (SipTestClient phone = SipTestClient.udpFrom("127.0.0.3", server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(phone, "erin");
            reg.challenge("erin", reg.contact("erin"), "600", "");
            Thread.sleep(1300);
            // another challenge runs the sweep that finds the first one unanswered
            new Registration(phone, "erin").challenge("erin", reg.contact("erin"), "600", "");
            assertThat(server.admin("/admin/v1/auth-attempts?identity=erin"))
                    .contains("challenge unanswered (offered SHA-256, MD5");

            Digest sha512 = new Digest("localhost", reg.lastChallenge().nonce(), reg.lastChallenge().algorithm(), false);
            String credentials = sha512.authorization("REGISTER", "sip:localhost", "erin", PASSWORD, 1)
                    .replace("algorithm=" + reg.lastChallenge().algorithm().token(), "algorithm=SHA-512-256");
            phone.send(reg.request("erin", reg.contact("erin"), "600", "", credentials));
            assertThat(phone.receiveResponse().status()).isEqualTo(401);
            assertThat(server.admin("/admin/v1/auth-attempts?identity=erin"))
                    .contains("algorithm SHA-512-256 not offered (offered SHA-256, MD5)");
        }
    }
}
