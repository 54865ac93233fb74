package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Graceful stop (RFC 3261 §21.5.4: 503 with Retry-After; "stop accepting, finish in-flight transactions, close the store"): while
 * stopping, new requests get 503 with Retry-After, and a request already forwarded still gets its
 * answer through — nothing the server took is lost.
 */
@DisplayName("C9 operations: graceful stop answers in-flight requests and refuses new ones with 503")
class GracefulStopTest {
    @Test
    void inFlightRequestsFinish(@TempDir Path dataDir) throws Exception {
        TestServer server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("mona", "mona-secret", null, List.of());
        server.addUser("x", "x-secret", null, List.of());
        // the sender is relayed only once authenticated (issue 9 §3): a connection it registered on
        try (SipTestClient device = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient sender = TrustedSender.open(server, "x", "x-secret");
             SipTestClient late = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(device, "mona");
            assertThat(reg.register("mona-secret", reg.contact("mona"), "600", "").status()).isEqualTo(200);
            sender.send(message(sender));
            SipRequest inFlight = device.receiveRequest();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(300);
            late.send(message(late));
            SipResponse refused = late.receiveResponse();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(stopping).isNotDone();

            device.send(inFlight.createResponse(200, "m"));
            assertThat(sender.receiveResponse().status()).isEqualTo(200);
            stopping.get();
        }
    }

    private static String message(SipTestClient from) {
        return "OPTIONS sip:mona@localhost SIP/2.0\nVia: " + from.via() + "\nFrom: <sip:x@localhost>;tag=g\n"
                + "To: <sip:mona@localhost>\nCall-ID: " + UUID.randomUUID() + "\nCSeq: 1 OPTIONS\nMax-Forwards: 70\n"
                + "Content-Type: text/plain\nContent-Length: 4\n\nwait";
    }
}
