package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * RFC 3261 §16.6 step 11 (Timer C): an INVITE a device rings but never answers is cancelled
 * after more than three minutes and the caller gets 408 — nothing hangs (manual clock).
 */
@DisplayName("RFC 3261 §16.6 Timer C: an unanswered INVITE is cancelled and answered 408")
class TimerCTest {
    @Test
    void unansweredInviteIsCancelled(@TempDir Path dataDir) throws IOException {
        ManualScheduler clock = new ManualScheduler();
        try (TestServer server = TestServer.start(dataDir, clock, Map.of());
             SipTestClient device = SipTestClient.tcp(server.server().sipPort(Transport.TCP));
             SipTestClient caller = callerOn(server)) {
            server.addUser("lena", "lena-secret", null, List.of());
            Registration reg = new Registration(device, "lena");
            assertThat(reg.register("lena-secret", reg.contact("lena"), "3600", "").status()).isEqualTo(200);
            String callId = UUID.randomUUID().toString();
            caller.send("INVITE sip:lena@localhost SIP/2.0\nVia: " + caller.via() + "\nFrom: <sip:x@localhost>;tag=c1\n"
                    + "To: <sip:lena@localhost>\nCall-ID: " + callId + "\nCSeq: 1 INVITE\nMax-Forwards: 70\n"
                    + "Contact: <sip:x@127.0.0.1:" + caller.localPort() + ";transport=tcp>\nContent-Length: 0\n\n");
            SipRequest invite = device.receiveRequest();
            device.send(invite.createResponse(180, "ring"));
            assertThat(caller.receiveResponse().status()).isEqualTo(180);
            clock.advance(Duration.ofSeconds(120));
            assertThat(caller.silentFor(300)).as("no answer before Timer C").isTrue();
            clock.advance(Duration.ofSeconds(70));
            SipRequest cancel = device.receiveRequest();
            assertThat(cancel.method()).isEqualTo("CANCEL");
            SipResponse timeout = caller.receiveResponse();
            assertThat(timeout.status()).isEqualTo(408);
        }
    }

    /** An authenticated caller (issue 9 §3: INVITEs are relayed only for one): x, on the connection it registered on. */
    private static SipTestClient callerOn(TestServer server) throws IOException {
        server.addUser("x", "x-secret", null, List.of());
        return TrustedSender.open(server, "x", "x-secret");
    }
}
