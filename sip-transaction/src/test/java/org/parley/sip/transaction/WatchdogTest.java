package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Flow;

@DisplayName("Issue 14 §2: a non-INVITE server transaction nothing answers gets 500 at the answer deadline (before the client's Timer F, RFC 3261 §17.1.2.2)")
class WatchdogTest {
    final Harness h = new Harness();

    ServerTransaction receive(String method, String transport, Flow flow) {
        h.receive(Harness.incoming(method, "SIP/2.0/" + transport + " 198.51.100.7:5060;branch=z9hG4bKwd1", null, 3), flow);
        return h.user.last();
    }

    @Test
    @DisplayName("UDP: 500 at 20 s, retransmissions get it again, Timer J removes the transaction")
    void unansweredRequestGets500AtTheDeadlineOverUdp() {
        ServerTransaction tx = receive("MESSAGE", "UDP", Harness.UDP);
        h.advance(19.99);
        assertThat(h.transport.statuses()).isEmpty();

        h.advance(0.01);
        assertThat(h.transport.statuses()).containsExactly(500);
        assertThat(h.transport.responses().get(0).reason()).contains("no answer in time");
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(h.timeouts("watchdog")).isEqualTo(1);

        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(500, 500);
        assertThat(tx.respond(tx.request().createResponse(200, tx.localTag()))).as("a late answer is refused").isFalse();

        h.advance(32);
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("TCP: 500 at 20 s and the transaction is gone at once")
    void unansweredRequestIsRemovedAtOnceOverTcp() {
        receive("SUBSCRIBE", "TCP", Harness.TCP);
        h.advance(20);
        assertThat(h.transport.statuses()).containsExactly(500);
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("a provisional answer does not stop the watchdog; a final one does")
    void finalAnswerStopsTheWatchdog() {
        ServerTransaction tx = receive("MESSAGE", "UDP", Harness.UDP);
        tx.respond(tx.request().createResponse(100, null));
        h.advance(19);
        tx.respond(tx.request().createResponse(202, tx.localTag()));
        h.advance(60);
        assertThat(h.transport.statuses()).containsExactly(100, 202);
        assertThat(h.timeouts("watchdog")).isZero();
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    @DisplayName("a TU answering at once (direct executor) leaves no watchdog behind")
    void immediateAnswerLeavesNoTimer() {
        h.user.onRequestDo = tx -> tx.respond(tx.request().createResponse(200, tx.localTag()));
        receive("OPTIONS", "TCP", Harness.TCP);
        assertThat(h.scheduler.pending()).isZero();
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("one timer watches every waiting transaction, and each unanswered one gets its 500 exactly at its own deadline")
    void oneTimerForAllAndEachAnsweredAtItsDeadline() {
        ServerTransaction first = receiveBranch("z9hG4bKwd-a");
        h.advance(5);
        ServerTransaction answered = receiveBranch("z9hG4bKwd-b");
        h.advance(5);
        ServerTransaction third = receiveBranch("z9hG4bKwd-c");
        for (int i = 0; i < 100; i++) {
            receiveBranch("z9hG4bKwd-many" + i).respond(h.user.last().request().createResponse(200, "t"));
        }
        assertThat(h.scheduler.pending()).as("one watchdog timer, and one Timer J per log for all the answered ones")
                .isEqualTo(1 + CompletedLogs.STRIPES);
        answered.respond(answered.request().createResponse(202, answered.localTag()));

        h.advance(9.99); // 19.99 s after the first
        assertThat(first.state()).isEqualTo(TransactionState.TRYING);
        h.advance(0.01);
        assertThat(first.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(third.state()).isEqualTo(TransactionState.TRYING);

        h.advance(9.99); // 19.99 s after the third
        assertThat(third.state()).isEqualTo(TransactionState.TRYING);
        h.advance(0.01);
        assertThat(third.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(h.transport.statuses()).containsExactlyInAnyOrder(
                java.util.stream.Stream.concat(java.util.stream.Stream.generate(() -> 200).limit(100),
                        java.util.stream.Stream.of(202, 500, 500)).toArray(Integer[]::new));
        assertThat(h.timeouts("watchdog")).isEqualTo(2);

        h.advance(40);
        assertThat(h.scheduler.pending()).as("nothing waits: the watchdog is not armed again").isZero();
        assertThat(h.empty()).isTrue();
    }

    ServerTransaction receiveBranch(String branch) {
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP 198.51.100.7:5060;branch=" + branch, null, 3), Harness.UDP);
        return h.user.last();
    }

    @Test
    @DisplayName("INVITE keeps 100 Trying and the proxy's Timer C: no watchdog")
    void inviteHasNoWatchdog() {
        receive("INVITE", "TCP", Harness.TCP);
        h.advance(60);
        assertThat(h.transport.statuses()).containsExactly(100);
    }

    @Test
    @DisplayName("the deadline must fall before Timer F (64*T1), or the answer reaches nobody")
    void deadlineMustBeShorterThanTimerF() {
        assertThatThrownBy(() -> TimerSettings.DEFAULT.withAnswerDeadline(Duration.ofSeconds(32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64*T1");
        assertThatThrownBy(() -> TimerSettings.DEFAULT.withAnswerDeadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TimerSettings.DEFAULT.withAnswerDeadline(Duration.ofSeconds(5)).answerDeadline())
                .isEqualTo(Duration.ofSeconds(5));
    }
}
