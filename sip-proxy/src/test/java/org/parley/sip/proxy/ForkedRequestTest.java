package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.sip.proxy.ProxyTestSupport.request;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.transaction.ClientTransaction;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §16.7 (response context, best response), §16.7 step 10 (CANCEL on 2xx), §16.10, RFC 6026 §7.1: ForkedRequest")
class ForkedRequestTest {
    final ProxyTestSupport h = new ProxyTestSupport();
    final AtomicInteger finals = new AtomicInteger();
    ForkedRequest fork;
    ServerTransaction server;
    final List<ClientTransaction> branches = new ArrayList<>();
    /** What the fork handed upstream, before the server transaction had its say. */
    final List<Integer> passed = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A request received and forked to {@code n} devices through real client transactions, as SipRouter does. */
    private void forked(String method, int n) {
        server = h.receive(request(method, "sip:bob@example.com"));
        fork = new ForkedRequest(server.request(), server.localTag(), n, h.scheduler, r -> {
            passed.add(r.status());
            server.respond(r);
        }, finals::incrementAndGet);
        for (int i = 0; i < n; i++) {
            SipRequest branch = server.request().withRequestUri(SipUri.parse("sip:bob@198.51.100." + (20 + i) + ":5060"));
            ClientTransaction ct = h.layer.sendRequest(branch,
                    Target.of(Transport.UDP, new InetSocketAddress("198.51.100." + (20 + i), 5060)),
                    (tx, response) -> fork.onResponse(tx, response.withHeaders(response.headers().removeFirstValue(HeaderNames.VIA))));
            fork.add(ct);
            branches.add(ct);
        }
    }

    /** Branch {@code i}'s device answers {@code status}; it arrives through the transaction layer. */
    private void answer(int i, int status) {
        answer(i, branches.get(i).request().createResponse(status, "dev" + i));
    }

    private void answer(int i, SipResponse response) {
        ClientTransaction ct = branches.get(i);
        Flow from = new Flow(Transport.UDP, ProxyTestSupport.ADVERTISED, new InetSocketAddress("198.51.100." + (20 + i), 5060), null);
        h.layer.onMessage(SipParser.parse(response.encode()), from);
    }

    private List<Integer> upstream() {
        return h.transport.upstreamStatuses();
    }

    @Nested
    @DisplayName("best response (§16.7 step 6)")
    class Ranking {
        private SipResponse resp(int status) {
            return request("MESSAGE", "sip:bob@example.com").createResponse(status, "t");
        }

        @Test
        @DisplayName("6xx beats every other class")
        void sixBeatsAll() {
            for (int other : new int[] {302, 404, 408, 486, 500, 503}) {
                assertThat(ForkedRequest.better(resp(603), resp(other))).as("603 vs %d", other).isTrue();
                assertThat(ForkedRequest.better(resp(other), resp(600))).as("%d vs 600", other).isFalse();
            }
        }

        @Test
        @DisplayName("4xx beats 5xx, 3xx beats 4xx (lowest class)")
        void lowestClass() {
            assertThat(ForkedRequest.better(resp(404), resp(500))).isTrue();
            assertThat(ForkedRequest.better(resp(500), resp(404))).isFalse();
            assertThat(ForkedRequest.better(resp(486), resp(503))).isTrue();
            assertThat(ForkedRequest.better(resp(302), resp(404))).isTrue();
        }

        @Test
        @DisplayName("408 ranks below every other 4xx (a timeout says least), still above 5xx")
        void timeoutLow() {
            assertThat(ForkedRequest.better(resp(404), resp(408))).isTrue();
            assertThat(ForkedRequest.better(resp(408), resp(486))).isFalse();
            assertThat(ForkedRequest.better(resp(408), resp(500))).isTrue();
        }

        @Test
        @DisplayName("a tie keeps the first response")
        void tie() {
            assertThat(ForkedRequest.better(resp(486), resp(404))).isFalse();
            assertThat(ForkedRequest.better(resp(404), resp(486))).isFalse();
        }
    }

    @Nested
    @DisplayName("non-2xx finals wait for every branch, then the best is sent once")
    class Finals {
        @Test
        @DisplayName("500, 408, 404: nothing until the last, then 404")
        void bestAfterAll() {
            forked("MESSAGE", 3);
            answer(0, 500);
            answer(1, 408);
            assertThat(upstream()).isEmpty();
            assertThat(finals).hasValue(0);
            answer(2, 404);
            assertThat(upstream()).containsExactly(404);
            assertThat(finals).hasValue(1);
        }

        @Test
        @DisplayName("a 6xx wins over an earlier 4xx")
        void sixWins() {
            forked("INVITE", 2);
            answer(0, 486);
            answer(1, 603);
            assertThat(upstream()).containsExactly(603);
        }

        @Test
        @DisplayName("only 5xx: a 503 goes upstream as 500, without Retry-After")
        void serviceUnavailableBecomes500() {
            forked("MESSAGE", 2);
            answer(0, branches.get(0).request().createResponse(503, "dev0").withHeader(HeaderNames.RETRY_AFTER, "120"));
            answer(1, 503);
            assertThat(upstream()).containsExactly(500);
            assertThat(h.transport.responses().get(h.transport.responses().size() - 1).header(HeaderNames.RETRY_AFTER)).isEmpty();
        }

        @Test
        @DisplayName("a single 408 goes upstream as it is")
        void lone408() {
            forked("MESSAGE", 1);
            answer(0, 408);
            assertThat(upstream()).containsExactly(408);
        }

        @Test
        @DisplayName("a late final after the best was sent is not forwarded")
        void late() {
            forked("MESSAGE", 1);
            answer(0, 404);
            answer(0, 486);
            assertThat(upstream()).containsExactly(404);
        }
    }

    @Nested
    @DisplayName("provisional and 2xx responses go upstream at once")
    class Immediate {
        @Test
        @DisplayName("18x is forwarded, 100 is not (§16.7 step 5)")
        void provisional() {
            forked("INVITE", 2);
            answer(0, 100);
            answer(0, 180);
            answer(1, 183);
            assertThat(upstream()).containsExactly(180, 183);
            assertThat(finals).hasValue(0);
        }

        @Test
        @DisplayName("non-INVITE: the first 2xx is sent, a later 2xx is not")
        void firstTwoHundredNonInvite() {
            forked("MESSAGE", 3);
            answer(0, 404);
            answer(1, 202);
            assertThat(upstream()).containsExactly(202);
            answer(2, 200);
            assertThat(upstream()).containsExactly(202);
            assertThat(passed).as("the fork itself passed exactly one 2xx").containsExactly(202);
            assertThat(finals).hasValue(1);
        }

        @Test
        @DisplayName("INVITE: every 2xx is sent upstream (RFC 6026 §7.1)")
        void everyTwoHundredInvite() {
            forked("INVITE", 2);
            answer(0, 200);
            answer(1, 200);
            assertThat(passed).containsExactly(200, 200);
            assertThat(upstream()).containsExactly(200, 200);
            assertThat(h.transport.responses()).filteredOn(r -> r.status() == 200)
                    .extracting(r -> r.to().tag().orElseThrow()).containsExactly("dev0", "dev1");
        }

        @Test
        @DisplayName("INVITE: a 2xx after a non-2xx from another branch is still sent")
        void twoHundredAfterFailure() {
            forked("INVITE", 2);
            answer(0, 486);
            answer(1, 200);
            assertThat(upstream()).containsExactly(200);
        }

        @Test
        @DisplayName("INVITE: a 2xx cancels the branches still pending (§16.7 step 10)")
        void cancelsOthers() {
            forked("INVITE", 3);
            answer(1, 180);
            answer(2, 180);
            answer(0, 200);
            List<SipRequest> cancels = h.transport.requests("CANCEL");
            assertThat(cancels).hasSize(2);
            assertThat(cancels).extracting(c -> c.topVia().branch().orElseThrow())
                    .containsExactlyInAnyOrder(branches.get(1).branch(), branches.get(2).branch());
        }

        @Test
        @DisplayName("non-INVITE: a 2xx cancels nothing (§9.1: only INVITE can be cancelled)")
        void nonInviteCancelsNothing() {
            forked("MESSAGE", 2);
            answer(0, 200);
            assertThat(h.transport.requests("CANCEL")).isEmpty();
        }
    }

    @Nested
    @DisplayName("CANCEL from upstream (§16.10)")
    class Cancelled {
        @Test
        @DisplayName("cancels the branches and answers 487 once")
        void cancel() {
            forked("INVITE", 2);
            answer(0, 180);
            answer(1, 180);
            fork.cancel();
            assertThat(h.transport.requests("CANCEL")).hasSize(2);
            assertThat(upstream()).containsExactly(180, 180, 487);
            answer(0, 487);
            answer(1, 487);
            assertThat(upstream()).as("the branches' 487s are not forwarded again").containsExactly(180, 180, 487);
        }

        @Test
        @DisplayName("after a final was sent, a CANCEL sends no 487")
        void cancelAfterFinal() {
            forked("MESSAGE", 1);
            answer(0, 404);
            fork.cancel();
            assertThat(upstream()).containsExactly(404);
        }
    }
}
