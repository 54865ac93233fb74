package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
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

    @Test
    @DisplayName("runHere runs on the calling thread when nothing is pending, else behind what is: order kept either way")
    void runHereKeepsOrder() {
        List<Runnable> delegated = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(delegated::add);
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        serial.runHere(() -> seen.add(Thread.currentThread() == caller ? "here" : "elsewhere"));
        assertThat(seen).containsExactly("here");
        assertThat(delegated).isEmpty();

        serial.execute(() -> seen.add("first"));
        serial.runHere(() -> seen.add("second"));
        serial.execute(() -> seen.add("third"));
        assertThat(seen).containsExactly("here");
        assertThat(delegated).hasSize(1);
        delegated.get(0).run();
        assertThat(seen).containsExactly("here", "first", "second", "third");

        serial.runHere(() -> serial.execute(() -> seen.add("queued while running")));
        assertThat(seen).endsWith("queued while running");
        assertThat(delegated).hasSize(1);
    }
}
