package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Transport;

/**
 * Which thread runs the TU's callbacks (RFC 3261 §17: the transaction layer hands requests and
 * responses up to the TU). A non-INVITE request or a response to a non-INVITE request that arrives
 * on a virtual thread (the UDP transport gives every datagram one) is handed up on that thread, so
 * a datagram changes thread once, not twice (issue 13); from any other thread, and for INVITE,
 * callbacks go to the TU's executor, in order per transaction, as before.
 */
@DisplayName("RFC 3261 §17: TU callbacks run on the arriving virtual thread for non-INVITE, on the TU's executor otherwise")
class CallbackThreadTest {
    private final ExecutorService tuThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTransport transport = new FakeTransport(scheduler);
    private final RecordingUser user = new RecordingUser();
    private final TransactionLayer layer = new TransactionLayer(transport, scheduler, TimerSettings.DEFAULT, tuThreads,
            new SimpleMeterRegistry());

    CallbackThreadTest() {
        layer.setUser(user);
    }

    @AfterEach
    void stop() throws InterruptedException {
        tuThreads.shutdown();
        assertThat(tuThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Delivers {@code message} on a fresh virtual thread, as the UDP transport does; returns that thread. */
    private Thread receiveOnVirtualThread(Runnable delivery) throws InterruptedException {
        Thread t = Thread.ofVirtual().start(delivery);
        t.join(5_000);
        return t;
    }

    @Test
    @DisplayName("§17.2.2: a MESSAGE arriving on a virtual thread reaches the TU on that thread, answered there before it ends")
    void nonInviteRequestOnItsOwnThread() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        user.onRequestDo = tx -> {
            ranOn.complete(Thread.currentThread());
            tx.respond(tx.request().createResponse(200, "t1"));
        };
        Thread arrival = receiveOnVirtualThread(() -> layer.onMessage(Harness.incoming("MESSAGE", "z9hG4bK-m1"), Harness.UDP));
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isSameAs(arrival);
        assertThat(transport.sent).hasSize(1); // the 200, sent before the arriving thread finished
        // the watchdog was armed before the TU ran, and finds nothing to do once it answered
        scheduler.advance(TimerSettings.DEFAULT.answerDeadline().plusSeconds(1));
        assertThat(transport.sent).hasSize(1);
    }

    @Test
    @DisplayName("§17.2.1: an INVITE arriving on a virtual thread still reaches the TU on the TU's executor")
    void inviteOnTheExecutor() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        user.onRequestDo = tx -> ranOn.complete(Thread.currentThread());
        Thread arrival = receiveOnVirtualThread(() -> layer.onMessage(Harness.incoming("INVITE", "z9hG4bK-i1"), Harness.UDP));
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isNotSameAs(arrival);
    }

    @Test
    @DisplayName("§17.2.2: a MESSAGE arriving on a platform thread reaches the TU on the TU's executor")
    void platformThreadHandsOn() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        user.onRequestDo = tx -> ranOn.complete(Thread.currentThread());
        Thread arrival = Thread.ofPlatform().start(() -> layer.onMessage(Harness.incoming("MESSAGE", "z9hG4bK-m2"), Harness.UDP));
        arrival.join(5_000);
        Thread tu = ranOn.get(5, TimeUnit.SECONDS);
        assertThat(tu).isNotSameAs(arrival);
        assertThat(tu.isVirtual()).isTrue();
    }

    @Test
    @DisplayName("§17.1.2: the final response to a MESSAGE we sent reaches its listener on the virtual thread it arrived on")
    void nonInviteResponseOnItsOwnThread() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        ClientTransaction tx = layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(Transport.UDP, Harness.PEER),
                (t, response) -> ranOn.complete(Thread.currentThread()));
        SipResponse ok = Harness.answer(tx, 200);
        Thread arrival = receiveOnVirtualThread(() -> layer.onMessage(ok, Harness.UDP));
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isSameAs(arrival);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
    }

    @Test
    @DisplayName("§17.2.2: callbacks of one transaction stay in order — a callback pending on the executor is not overtaken")
    void pendingCallbackNotOvertaken() throws Exception {
        SerialExecutor serial = new SerialExecutor(tuThreads);
        java.util.List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        serial.execute(() -> {
            release.join();
            order.add(1);
        });
        Thread arrival = Thread.ofVirtual().start(() -> serial.runHere(() -> order.add(2)));
        arrival.join(5_000);
        assertThat(order).as("queued behind the running callback, not run on the arriving thread").isEmpty();
        release.complete(null);
        for (int i = 0; i < 500 && order.size() < 2; i++) {
            Thread.sleep(10);
        }
        assertThat(order).containsExactly(1, 2);
    }
}
