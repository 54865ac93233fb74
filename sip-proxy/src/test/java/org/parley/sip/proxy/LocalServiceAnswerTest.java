package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.ServerTransaction;

@DisplayName("Issue 14 §2: every request a local service takes gets exactly one final answer (RFC 3261 §8.2, §17.2.2)")
class LocalServiceAnswerTest {
    final ProxyTestSupport s = new ProxyTestSupport();

    /** A MESSAGE service whose behaviour each test chooses. */
    static LocalService service(Function<ServerTransaction, CompletionStage<Void>> serve) {
        return new LocalService() {
            @Override
            public boolean accepts(SipRequest request) {
                return request.isMethod("MESSAGE");
            }

            @Override
            public CompletionStage<Void> serve(ServerTransaction tx) {
                return serve.apply(tx);
            }
        };
    }

    SipRouter router(LocalService service) {
        Locator nobody = new Locator() {
            @Override
            public boolean exists(Uri requestUri) {
                return false;
            }

            @Override
            public List<ContactTarget> lookup(Uri requestUri) {
                return List.of();
            }

            @Override
            public Optional<ContactTarget> byContact(Uri contactUri) {
                return Optional.empty();
            }
        };
        SipRouter router = new SipRouter(new LocalDomains("example.com", Set.of()),
                new Forker(s.layer, s.transport, s.scheduler), s.transport, nobody, ProxySettings.defaults(),
                tx -> Optional.empty(), List.of(service));
        s.layer.setUser(router);
        return router;
    }

    List<SipResponse> send() {
        s.layer.onMessage(ProxyTestSupport.request("MESSAGE", "sip:bob@example.com"), ProxyTestSupport.CALLER);
        return s.transport.responses();
    }

    @Test
    @DisplayName("a service that throws: 500")
    void throwingServiceGets500() {
        router(service(tx -> {
            throw new IllegalStateException("bug");
        }));
        assertThat(send()).extracting(SipResponse::status).containsExactly(500);
    }

    @Test
    @DisplayName("a completion that fails later (the store is down): 500, once")
    void failedCompletionGets500() {
        CompletableFuture<Void> later = new CompletableFuture<>();
        router(service(tx -> later));
        assertThat(send()).isEmpty();
        later.completeExceptionally(new IllegalStateException("database unreachable"));
        assertThat(s.transport.responses()).extracting(SipResponse::status).containsExactly(500);
    }

    @Test
    @DisplayName("a service that completes without answering: 500")
    void unansweredCompletionGets500() {
        router(service(tx -> LocalService.ANSWERED));
        assertThat(send()).extracting(SipResponse::status).containsExactly(500);
    }

    @Test
    @DisplayName("a service that answered and then failed: its answer stands, no second final response")
    void failureAfterTheAnswerSendsNothingMore() {
        router(service(tx -> {
            tx.respond(tx.request().createResponse(202, tx.localTag()));
            return CompletableFuture.failedFuture(new IllegalStateException("usage log down"));
        }));
        assertThat(send()).extracting(SipResponse::status).containsExactly(202);
    }

    @Test
    @DisplayName("an answer later, then completion: that answer only")
    void asynchronousAnswerIsTheOnlyOne() {
        CompletableFuture<Void> later = new CompletableFuture<>();
        ServerTransaction[] taken = new ServerTransaction[1];
        router(service(tx -> {
            taken[0] = tx;
            return later;
        }));
        send();
        taken[0].respond(taken[0].request().createResponse(200, taken[0].localTag()));
        later.complete(null);
        assertThat(s.transport.responses()).extracting(SipResponse::status).containsExactly(200);
    }

    @Test
    @DisplayName("a graceful stop waits for a service still working, and ends when it answers")
    void drainWaitsForServices() throws InterruptedException {
        CompletableFuture<Void> later = new CompletableFuture<>();
        SipRouter router = router(service(tx -> later));
        send();
        assertThat(router.drain(Duration.ofMillis(50))).isFalse();
        later.completeExceptionally(new IllegalStateException("gave up"));
        assertThat(router.drain(Duration.ofMillis(50))).isTrue();
        assertThat(s.transport.responses()).extracting(SipResponse::status).containsExactly(500);
    }

    @Test
    @DisplayName("a service that never completes: the transaction layer's watchdog answers 500 at the deadline")
    void neverCompletingServiceIsAnsweredByTheWatchdog() {
        router(service(tx -> new CompletableFuture<>()));
        send();
        s.scheduler.advance(Duration.ofSeconds(20));
        assertThat(s.transport.responses()).extracting(SipResponse::status).containsExactly(500);
    }
}
