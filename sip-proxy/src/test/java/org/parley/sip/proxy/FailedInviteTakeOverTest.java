package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/**
 * A dialog-creating INVITE whose forked branches all failed may be taken over by a local service
 * (the messaging server's deferred sessions, issue 10): the service's answer goes upstream instead
 * of the best branch response (RFC 3261 §16.7 step 6), and only that one; a service that declines
 * leaves the best response to be relayed.
 */
@DisplayName("RFC 3261 §16.7, issue 10: a failed INVITE taken over by a local service gets one final answer, the service's")
class FailedInviteTakeOverTest {
    private static final Flow DEVICE = new Flow(Transport.UDP, ProxyTestSupport.ADVERTISED,
            new InetSocketAddress("203.0.113.5", 5060), null);
    private final ProxyTestSupport s = new ProxyTestSupport();

    /** Takes over the INVITEs whose best answer is 486 and answers them 200 itself. */
    private static final class Deferring implements LocalService {
        SipResponse seen;

        @Override
        public boolean accepts(SipRequest request) {
            return false;
        }

        @Override
        public CompletionStage<Void> serve(ServerTransaction tx) {
            throw new AssertionError("never asked to serve");
        }

        @Override
        public boolean takesOver(ServerTransaction tx, SipResponse best) {
            seen = best;
            if (best.status() != 486) {
                return false;
            }
            tx.respond(tx.request().createResponse(200, tx.localTag()));
            return true;
        }
    }

    private void route(LocalService service) {
        Locator bob = new Locator() {
            @Override
            public boolean exists(Uri requestUri) {
                return true;
            }

            @Override
            public List<ContactTarget> lookup(Uri requestUri) {
                return List.of(new ContactTarget(SipUri.parse("sip:bob@203.0.113.5"), List.of(), DEVICE, false, 1f));
            }

            @Override
            public Optional<ContactTarget> byContact(Uri contactUri) {
                return Optional.empty();
            }
        };
        SipRouter router = new SipRouter(new LocalDomains("example.com", Set.of()),
                new Forker(s.layer, s.transport, s.scheduler), s.transport, bob, ProxySettings.defaults(),
                tx -> Optional.empty(), List.of(service));
        s.layer.setUser(router);
    }

    /** The INVITE reaches bob's device, which answers {@code status}; what went upstream. */
    private List<Integer> deviceAnswers(int status) {
        s.layer.onMessage(ProxyTestSupport.request("INVITE", "sip:bob@example.com"), ProxyTestSupport.CALLER);
        SipRequest forked = s.transport.requests("INVITE").getFirst();
        s.layer.onMessage(forked.createResponse(status, "b1"), DEVICE);
        return s.transport.upstreamStatuses();
    }

    @Test
    @DisplayName("the device is busy (486) and the service takes over: its 200 goes upstream, the 486 does not")
    void takenOver() {
        Deferring service = new Deferring();
        route(service);
        assertThat(deviceAnswers(486)).containsExactly(200);
        assertThat(service.seen.status()).isEqualTo(486);
    }

    @Test
    @DisplayName("the device declines (603) and the service leaves it: the 603 is relayed")
    void declinedIsRelayed() {
        Deferring service = new Deferring();
        route(service);
        assertThat(deviceAnswers(603)).containsExactly(603);
        assertThat(service.seen.status()).isEqualTo(603);
    }
}
