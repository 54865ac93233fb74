package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 3261 §17: transaction callbacks reach the TU in order, and a stopped TU is no fault")
class SerialExecutorTest {
    @Test
    @DisplayName("callbacks run one after another in the order given")
    void inOrder() throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        SerialExecutor serial = new SerialExecutor(pool);
        for (int i = 0; i < 100; i++) {
            int n = i;
            serial.execute(() -> seen.add(n));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(100).isSorted();
    }

    @Test
    @DisplayName("a timer firing after the TU's executor stopped (server stopping) is dropped, not thrown on the timer thread")
    void stoppedExecutorDropsCallbacks() {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        pool.shutdown();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        assertThatCode(() -> serial.execute(() -> seen.add(1))).doesNotThrowAnyException();
        assertThatCode(() -> serial.execute(() -> seen.add(2))).doesNotThrowAnyException();
        assertThat(seen).isEmpty();
    }
}
