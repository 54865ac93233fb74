package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §17: no leaks, every transaction leaves the maps once its timers ran; metrics count them")
class CleanupTest {
    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    @Test
    void mapsAreEmptyAfterAllTimersRan() {
        h.user.onRequestDo = tx -> tx.respond(tx.request().createResponse(tx.request().isMethod("INVITE") ? 486 : 200, tx.localTag()));
        for (int i = 0; i < 5; i++) {
            h.receive(Harness.incoming("INVITE", "z9hG4bKi" + i), Harness.UDP);
            h.receive(Harness.incoming("MESSAGE", "z9hG4bKm" + i), Harness.UDP);
            h.receive(Harness.incoming("CANCEL", "z9hG4bKc" + i), Harness.UDP);
            ClientTransaction invite = h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(Transport.UDP, Harness.PEER), listener);
            h.receive(Harness.answer(invite, 180), Harness.UDP);
            invite.cancel();
            h.layer.sendRequest(Harness.outgoing("SUBSCRIBE"), Target.of(Transport.UDP, Harness.PEER), listener);
            ClientTransaction ok = h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(Harness.TCP), listener);
            h.receive(Harness.answer(ok, 200), Harness.TCP);
        }
        assertThat(h.gauge("server")).isEqualTo(15);
        assertThat(h.gauge("client")).isEqualTo(20);

        h.scheduler.advance(Duration.ofMinutes(5));

        assertThat(h.empty()).isTrue();
        assertThat(h.gauge("server")).isZero();
        assertThat(h.gauge("client")).isZero();
        assertThat(h.scheduler.pending()).isZero();
        assertThat(h.registry.get(TransactionMetrics.STARTED).tag("side", "server").tag("method", "INVITE").counter().count())
                .isEqualTo(5);
        assertThat(h.registry.get(TransactionMetrics.STARTED).tag("side", "client").tag("method", "CANCEL").counter().count())
                .isEqualTo(5);
    }
}
