package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.server.TestServer;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.parley.testkit.Rfc4475;

/**
 * The 49 RFC 4475 torture messages replayed over UDP and TCP against a whole Parley server for
 * the domain example.com, each answered as its MANIFEST says for a registrar/proxy: malformed
 * requests 400 (505 for the version), unknown schemes 416, unknown Proxy-Require 420,
 * Max-Forwards 0 483, unknown credentials schemes a fresh 401, the REGISTER semantics of §3.3.12-14
 * (200 after authentication, contact parameters where they belong), malformed or stray responses
 * silence. Well-formed requests for users of the domain get a 407 challenge before anything
 * about the user is said (issue 9 §3: no 404 or 480 for strangers), for other domains 403; wsinv,
 * in a dialog (To tag) with a Route this server never recorded, gets 403 and goes nowhere
 * (issue 9 §2).
 *
 * <p>UDP replies go where the Via says: these messages carry no rport, so responses go to the
 * received address and port 5060; the client therefore listens on 127.0.0.44:5060.
 */
@DisplayName("RFC 4475 torture messages over UDP and TCP against the server")
class TortureWireTest {
    static final int SILENCE = 0;

    static final Map<String, Integer> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("wsinv", 403), Map.entry("intmeth", 407), Map.entry("esc01", 403), Map.entry("escnull", 401),
            Map.entry("esc02", 403), Map.entry("lwsdisp", 407), Map.entry("longreq", 407), Map.entry("dblreq", 401),
            Map.entry("semiuri", 407), Map.entry("transports", 407), Map.entry("mpart01", 403),
            Map.entry("unreason", SILENCE), Map.entry("noreason", SILENCE), Map.entry("badinv01", 400),
            Map.entry("clerr", 400), Map.entry("ncl", 400), Map.entry("scalar02", 400), Map.entry("scalarlg", SILENCE),
            Map.entry("quotbal", 400), Map.entry("ltgtruri", 400), Map.entry("lwsruri", 400), Map.entry("lwsstart", 400),
            Map.entry("trws", 400), Map.entry("escruri", 400), Map.entry("baddate", 407), Map.entry("regbadct", 400),
            Map.entry("badaspec", 400), Map.entry("baddn", 400), Map.entry("badvers", 505), Map.entry("mismatch01", 400),
            Map.entry("mismatch02", 400), Map.entry("bigcode", SILENCE), Map.entry("badbranch", 407),
            Map.entry("insuf", 400), Map.entry("unkscm", 416), Map.entry("novelsc", 416), Map.entry("unksm2", 416),
            Map.entry("bext01", 420), Map.entry("invut", 407), Map.entry("regaut01", 401), Map.entry("multi01", 400),
            Map.entry("mcl01", 400), Map.entry("bcast", SILENCE), Map.entry("zeromf", 483), Map.entry("cparam01", 200),
            Map.entry("cparam02", 200), Map.entry("regescrt", 200), Map.entry("sdp01", 407), Map.entry("inv2543", 407)));

    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of("parley.domain", "example.com"));
        server.addUser("watson", "watson-secret", null, List.of());
        server.addUser("user", "user-secret1", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> names() {
        return List.copyOf(EXPECTED.keySet());
    }

    @ParameterizedTest(name = "{0} over UDP")
    @MethodSource("names")
    void overUdp(String name) throws IOException {
        // each message its own source address: replies to one can never be read as replies to another
        String source = "127.0.1." + (1 + names().indexOf(name));
        try (SipTestClient c = SipTestClient.udpOn(source, viaPort(name), server.sipPort(Transport.UDP))) {
            replay(c, name, true);
        }
    }

    /** The port the top Via names (5060, or 5061 for TLS): where a UDP reply without rport goes (§18.2.2). */
    private static int viaPort(String name) throws IOException {
        String text = new String(Rfc4475.message(name), StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?mi)^(?:Via|v)\\s*:\\s*SIP\\s*/\\s*2\\.0\\s*/\\s*(\\w+)\\s+[^;:,\\s]+(?::(\\d+))?").matcher(text);
        if (!m.find()) {
            return 5060;
        }
        return m.group(2) != null ? Integer.parseInt(m.group(2)) : m.group(1).equalsIgnoreCase("TLS") ? 5061 : 5060;
    }

    @ParameterizedTest(name = "{0} over TCP")
    @MethodSource("names")
    void overTcp(String name) throws IOException {
        try (SipTestClient c = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            if (name.equals("clerr")) {
                // §3.1.2.2: on a stream a Content-Length beyond the bytes sent means "wait for more"
                c.sendBytes(Rfc4475.message(name));
                assertThat(c.silentFor(500)).as("clerr on TCP: the server waits for the rest of the body").isTrue();
                return;
            }
            replay(c, name, false);
        }
    }

    private void replay(SipTestClient c, String name, boolean udp) throws IOException {
        byte[] bytes = Rfc4475.message(name);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!name.equals("badbranch")) {
            // many files share branch and sent-by, which makes them one transaction (§17.2.3) while it lives
            text = text.replaceAll("branch=(z9hG4bK\\w+)", "branch=$1-" + name);
        }
        if (udp) {
            // a Via naming TCP on a datagram would have the reply sent over a new TCP connection (§18.2.2)
            text = text.replaceFirst("SIP/2.0/TCP ", "SIP/2.0/UDP ");
        }
        bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int expected = EXPECTED.get(name);
        c.sendBytes(bytes);
        if (expected == SILENCE) {
            assertThat(c.silentFor(500)).as(name + " must be dropped").isTrue();
            return;
        }
        SipResponse r = name.equals("dblreq") ? responseTo(c, "REGISTER") : c.receiveResponse();
        if (expected == 200) {
            assertThat(r.status()).isEqualTo(401);
            r = authenticate(c, bytes, r);
        }
        assertThat(r.status()).as(name + ": " + r.startLine()).isEqualTo(expected);
        assertThat(r.reason()).isNotBlank();
        if (expected == 420) {
            assertThat(r.header("Unsupported")).hasValue("noProxiesSupportThis, norDoAnyProxiesSupportThis");
        }
        if (expected != 400 && expected != 505 && r.cseq().method().equals("INVITE")) {
            c.send(ack(bytes, r));
        }
        if (name.startsWith("cparam") || name.equals("regescrt")) {
            checkBinding(name, r);
            unregister(c, bytes, r);
        }
    }

    /**
     * The answer to the file's own request: dblreq puts a second request on a stream, and the two
     * are served concurrently, so its answer may come first.
     */
    private static SipResponse responseTo(SipTestClient c, String method) throws IOException {
        SipResponse r = c.receiveResponse();
        for (int i = 0; i < 2 && !r.headers().first("CSeq").orElse(method).strip().endsWith(method); i++) {
            r = c.receiveResponse();
        }
        return r;
    }

    /** §17.1.1.3: the ACK for a non-2xx final answer, so that the server stops retransmitting it. */
    private static String ack(byte[] invite, SipResponse r) {
        SipMessage m = SipParser.parse(invite);
        String ruri = ((org.parley.sip.message.SipRequest) m).requestUri().toString();
        return "ACK " + ruri + " SIP/2.0\r\nVia: " + r.headers().first("Via").orElseThrow()
                + "\r\nFrom: " + r.headers().first("From").orElseThrow() + "\r\nTo: " + r.headers().first("To").orElseThrow()
                + "\r\nCall-ID: " + r.callId() + "\r\nCSeq: " + r.cseq().number() + " ACK\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The same REGISTER again (new branch, higher CSeq) with credentials for the challenge. */
    private SipResponse authenticate(SipTestClient c, byte[] original, SipResponse challenge) throws IOException {
        Digest d = Digest.parse(challenge.headers().lines("WWW-Authenticate").get(0));
        SipMessage m = SipParser.parse(original);
        String user = ((org.parley.sip.message.SipUri) m.to().uri()).user();
        String password = user + (user.equals("watson") ? "-secret" : "-secret1");
        c.send(withCredentials(original, "z9hG4bKauth-" + Integer.toHexString(m.callId().hashCode()), 1, d.authorization("REGISTER", "sip:example.com", user, password, 1)));
        return c.receiveResponse();
    }

    private void unregister(SipTestClient c, byte[] original, SipResponse ok) throws IOException {
        String text = new String(original, StandardCharsets.UTF_8).replaceFirst("(?m)^(l|L): ?0\\r?$", "Expires: 0\r\nContent-Length: 0\r");
        Digest d = Digest.parse("Digest realm=\"example.com\", nonce=\"x\"");
        SipResponse challenge;
        c.send(withCredentials(text.getBytes(StandardCharsets.UTF_8), "z9hG4bKunreg1-" + Integer.toHexString(ok.callId().hashCode()), 2, null));
        challenge = c.receiveResponse();
        d = Digest.parse(challenge.headers().lines("WWW-Authenticate").get(0));
        String user = ((org.parley.sip.message.SipUri) ok.to().uri()).user();
        String password = user + (user.equals("watson") ? "-secret" : "-secret1");
        c.send(withCredentials(text.getBytes(StandardCharsets.UTF_8), "z9hG4bKunreg2-" + Integer.toHexString(ok.callId().hashCode()), 3,
                d.authorization("REGISTER", "sip:example.com", user, password, 1)));
        assertThat(c.receiveResponse().headers().values("Contact")).isEmpty();
    }

    private static String withCredentials(byte[] original, String branch, int cseqBump, String authorization) {
        String text = new String(original, StandardCharsets.UTF_8)
                .replaceAll("branch=z9hG4bK[\\w-]+", "branch=" + branch);
        text = text.replaceFirst("(?m)^CSeq: (\\d+) REGISTER", "CSeq: 1" + cseqBump + "$1 REGISTER");
        if (authorization != null) {
            text = text.replaceFirst("\r\n\r\n", "\r\nAuthorization: " + authorization + "\r\n\r\n");
        }
        return text;
    }

    /** §3.3.12-14: where a contact parameter belongs, and an escaped header kept in the bound URI. */
    private static void checkBinding(String name, SipResponse ok) {
        List<String> contacts = ok.headers().values("Contact");
        assertThat(contacts).hasSize(1);
        String c = contacts.get(0);
        switch (name) {
            case "cparam01" -> assertThat(c).startsWith("<sip:+19725552222@gw1.example.net>").doesNotContain("unknownparam>");
            case "cparam02" -> assertThat(c).startsWith("<sip:+19725552222@gw1.example.net;unknownparam>");
            default -> assertThat(c).startsWith("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>");
        }
    }
}
