package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PP2-11 (monitor service activity), RFC 3261 §17: transactions started are counted by side and method; a method nobody knows is \"other\", so a peer cannot grow the tag space")
class TransactionMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TransactionMetrics metrics = new TransactionMetrics(registry, () -> 0, () -> 0, () -> 3L << 20);

    double started(String side, String method) {
        var counter = registry.find(TransactionMetrics.STARTED).tag("side", side).tag("method", method).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void countedBySideAndMethod() {
        metrics.started("server", "MESSAGE");
        metrics.started("server", "MESSAGE");
        metrics.started("client", "MESSAGE");
        metrics.started("server", "XYZZY");
        metrics.started("server", "FROBNICATE");
        metrics.started("client", "XYZZY");

        assertThat(started("server", "MESSAGE")).isEqualTo(2);
        assertThat(started("client", "MESSAGE")).isEqualTo(1);
        assertThat(started("server", "other")).isEqualTo(2);
        assertThat(started("client", "other")).isEqualTo(1);
        assertThat(registry.find(TransactionMetrics.STARTED).counters()).hasSize(4);
    }

    @Test
    @DisplayName("§17.2.2 Timer J, §17.1.2.2 Timer K: the direct memory of what they keep, and what they dropped before its time, by timer")
    void completedLogs() {
        metrics.droppedEarly("J", 5);
        metrics.droppedEarly("J", 2);
        metrics.droppedEarly("K", 1);
        assertThat(registry.get(TransactionMetrics.DROPPED).tag("timer", "J").counter().count()).isEqualTo(7);
        assertThat(registry.get(TransactionMetrics.DROPPED).tag("timer", "K").counter().count()).isEqualTo(1);
        assertThat(registry.get(TransactionMetrics.COMPLETED_BYTES).gauge().value()).isEqualTo(3 << 20);
    }
}
