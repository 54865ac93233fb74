package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory under account and messaging-settings look-ups (issue 13 §1): no stale value survives a change. */
@DisplayName("GS-1, C9 (GO-2), issue 13 §1: account look-ups held in memory until forgotten, never keeping a value read "
        + "before a change (a changed password or removed account is never answered from memory)")
class LookupMemoryTest {
    @Test
    @DisplayName("GS-1, issue 13 §1: a value loaded while a change is forgotten is returned but not kept")
    void aLoadRacingAChangeIsNotKept() {
        LookupMemory<String, String> memory = new LookupMemory<>(10);
        AtomicInteger loads = new AtomicInteger();
        // the change commits and is forgotten while the old value is on its way back from the store
        assertThat(memory.get("alice", k -> {
            loads.incrementAndGet();
            memory.forget("alice");
            return "old";
        })).isEqualTo("old");
        assertThat(memory.get("alice", k -> "new-" + loads.incrementAndGet())).isEqualTo("new-2");
        assertThat(memory.get("alice", k -> "never")).isEqualTo("new-2");

        memory.get("bob", k -> {
            memory.forgetAll();
            return "old";
        });
        assertThat(memory.get("bob", k -> "new")).isEqualTo("new");
    }

    @Test
    @DisplayName("GS-1, issue 13 §1: forgetting one key leaves the others; the bound starts afresh")
    void forgetsOneKeyAndStaysBounded() {
        LookupMemory<Integer, Integer> memory = new LookupMemory<>(3);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            memory.get(i, k -> loads.incrementAndGet());
        }
        memory.forget(0);
        memory.get(0, k -> loads.incrementAndGet());
        memory.get(1, k -> loads.incrementAndGet());
        assertThat(loads).hasValue(4);
        memory.get(3, k -> loads.incrementAndGet());
        memory.get(1, k -> loads.incrementAndGet());
        assertThat(loads).as("full: started afresh").hasValue(6);
        assertThatThrownBy(() -> new LookupMemory<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
