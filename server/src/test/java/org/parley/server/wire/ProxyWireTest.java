package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * The proxy core over the wire (RFC 3261 §16; GU-1, GU-2 every device of a user; PP-45 any
 * identity reaches the user; RFC 3261 §11 OPTIONS): parallel forking to all registered devices,
 * best response upstream, CANCEL of the other branches once one answers an INVITE.
 */
@DisplayName("RFC 3261 §16, GU-1, GU-2, PP-45: proxy core forking over the wire")
class ProxyWireTest {
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("erin", "erin-secret", "+15550100200", List.of("ee"));
        server.addUser("frank", "frank-secret", null, List.of());
        server.addUser("grace", "grace-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String request(SipTestClient from, String method, String target, String callId, String extra, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return method + " " + target + " SIP/2.0\n"
                + "Via: " + from.via() + "\n"
                + "From: <sip:frank@localhost>;tag=f" + callId.substring(0, 6) + "\n"
                + "To: <" + target + ">\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 " + method + "\n"
                + "Max-Forwards: 70\n"
                + "Contact: <sip:frank@127.0.0.1:" + from.localPort() + ">\n"
                + extra
                + "Content-Length: " + b.length + "\n\n" + body;
    }

    private static void reply(SipTestClient device, SipRequest req, int status, String tag) throws IOException {
        SipResponse r = req.createResponse(status, tag);
        if (status == 200 && req.isMethod("INVITE")) {
            // §12.1.1: a UAS copies Record-Route into its 2xx
            for (String rr : req.headers().values("Record-Route")) {
                r = r.withHeader("Record-Route", rr);
            }
            r = r.withHeader("Contact", "<sip:device@127.0.0.1:" + device.localPort() + ">");
        }
        device.send(r);
    }

    @Test
    @DisplayName("OPTIONS to the server: 200 with Allow, Accept and Supported (RFC 3261 §11.2)")
    void optionsToServer() throws IOException {
        try (SipTestClient c = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            c.send(request(c, "OPTIONS", "sip:localhost", UUID.randomUUID().toString(), "", ""));
            SipResponse r = c.receiveResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Allow")).hasValueSatisfying(v -> assertThat(v).contains("REGISTER", "MESSAGE", "INVITE", "OPTIONS"));
            assertThat(r.header("Accept")).isPresent();
            assertThat(r.header("Supported")).hasValueSatisfying(v -> assertThat(v).contains("outbound", "path", "gruu"));
        }
    }

    @Test
    @DisplayName("GU-1/GU-2: a MESSAGE reaches all three devices at once; the first 2xx is relayed, the body untouched")
    void messageForkedToEveryDevice() throws IOException {
        try (SipTestClient d1 = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient d2 = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient d3 = SipTestClient.tcp(server.sipPort(Transport.TCP));
             SipTestClient sender = TrustedSender.open(server, "frank", "frank-secret")) {
            for (SipTestClient d : List.of(d1, d2, d3)) {
                Registration reg = new Registration(d, "erin");
                assertThat(reg.register("erin-secret", reg.contact("erin"), "600", "").status()).isEqualTo(200);
            }
            String body = "Grüße — ünïcode body ✓";
            sender.send(request(sender, "MESSAGE", "sip:erin@localhost", UUID.randomUUID().toString(),
                    "Content-Type: text/plain;charset=UTF-8\n", body));
            SipRequest m1 = d1.receiveRequest();
            SipRequest m2 = d2.receiveRequest();
            SipRequest m3 = d3.receiveRequest();
            for (SipRequest m : List.of(m1, m2, m3)) {
                assertThat(m.method()).isEqualTo("MESSAGE");
                assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo(body);
                assertThat(m.vias()).hasSize(2);
                assertThat(m.maxForwards()).hasValue(69);
            }
            reply(d2, m2, 486, "d2");
            reply(d3, m3, 200, "d3");
            SipResponse relayed = sender.receiveResponse();
            assertThat(relayed.status()).isEqualTo(200);
            assertThat(relayed.to().tag()).hasValue("d3");
            assertThat(relayed.vias()).hasSize(1);
            assertThat(m1.header("P-Asserted-Identity")).hasValue("<sip:frank@localhost>");
            reply(d1, m1, 200, "d1");
            assertThat(sender.silentFor(500)).as("a later 2xx to a MESSAGE is not relayed again").isTrue();
            Registration cleanup = new Registration(d1, "erin");
            assertThat(cleanup.register("erin-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("RFC 3261 §16.7: an INVITE answered by one device cancels the others; its ACK reaches that device")
    void inviteForkCancelsOtherBranches() throws IOException {
        try (SipTestClient d1 = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient d2 = SipTestClient.tcp(server.sipPort(Transport.TCP));
             SipTestClient caller = TrustedSender.open(server, "frank", "frank-secret")) {
            for (SipTestClient d : List.of(d1, d2)) {
                Registration reg = new Registration(d, "grace");
                assertThat(reg.register("grace-secret", reg.contact("grace"), "600", "").status()).isEqualTo(200);
            }
            String callId = UUID.randomUUID().toString();
            caller.send(request(caller, "INVITE", "sip:grace@localhost", callId, "Content-Type: application/sdp\n",
                    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"));
            SipRequest i1 = d1.receiveRequest();
            SipRequest i2 = d2.receiveRequest();
            assertThat(i1.headers().values("Record-Route")).hasSize(1);
            reply(d1, i1, 180, "d1");
            assertThat(caller.receiveResponse().status()).isEqualTo(180);
            reply(d2, i2, 200, "d2");
            SipResponse ok = caller.receiveResponse();
            assertThat(ok.status()).isEqualTo(200);
            SipRequest cancel = d1.receiveRequest();
            assertThat(cancel.method()).isEqualTo("CANCEL");
            reply(d1, cancel, 200, "d1");
            reply(d1, i1, 487, "d1");
            SipRequest ackOf487 = d1.receiveRequest();
            assertThat(ackOf487.method()).isEqualTo("ACK");

            String rr = ok.headers().values("Record-Route").get(0);
            String contact = ok.headers().first("Contact").orElseThrow();
            caller.send("ACK " + contact.substring(1, contact.indexOf('>')) + " SIP/2.0\n"
                    + "Via: " + caller.via() + "\nRoute: " + rr + "\n"
                    + "From: " + ok.headers().first("From").orElseThrow() + "\nTo: " + ok.headers().first("To").orElseThrow()
                    + "\nCall-ID: " + callId + "\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n");
            SipRequest ack = d2.receiveRequest();
            assertThat(ack.method()).isEqualTo("ACK");
            assertThat(ack.callId()).isEqualTo(callId);
            Registration cleanup = new Registration(d1, "grace");
            assertThat(cleanup.register("grace-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("PP-45: the E.164 number (tel: and user=phone) and the alias reach the user; unknown 404, offline 480")
    void identitiesAndAvailability() throws IOException {
        try (SipTestClient d = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient sender = TrustedSender.open(server, "frank", "frank-secret")) {
            Registration reg = new Registration(d, "erin");
            assertThat(reg.register("erin-secret", reg.contact("only"), "600", "").status()).isEqualTo(200);
            assertThat(reg.answer("erin", "erin-secret", "*", "0", "").status()).isEqualTo(200);
            sender.send(request(sender, "OPTIONS", "sip:erin@localhost", UUID.randomUUID().toString(), "", ""));
            assertThat(sender.receiveResponse().status()).isEqualTo(480);
            assertThat(reg.answer("erin", "erin-secret", reg.contact("only"), "600", "").status()).isEqualTo(200);
            for (String target : List.of("sip:+15550100200@localhost;user=phone", "tel:+1-555-010-0200", "sip:ee@localhost")) {
                sender.send(request(sender, "MESSAGE", target, UUID.randomUUID().toString(), "", "to " + target));
                SipRequest got = d.receiveRequest();
                assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("to " + target);
                reply(d, got, 200, "x");
                assertThat(sender.receiveResponse().status()).as(target).isEqualTo(200);
            }
            sender.send(request(sender, "MESSAGE", "sip:nobody@localhost", UUID.randomUUID().toString(), "", "x"));
            assertThat(sender.receiveResponse().status()).isEqualTo(404);
            sender.send(request(sender, "MESSAGE", "sip:someone@elsewhere.example", UUID.randomUUID().toString(), "", "x"));
            assertThat(sender.receiveResponse().status()).isEqualTo(403);
            assertThat(reg.answer("erin", "erin-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }
}
