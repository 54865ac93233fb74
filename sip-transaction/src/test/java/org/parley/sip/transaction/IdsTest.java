package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.Via;

@DisplayName("RFC 3261 §8.1.1.7, §19.3, §8.1.1.4: branches, tags and Call-IDs are random, of their full length, and never repeat — also across the generators' draws ahead")
class IdsTest {

    @Test
    @DisplayName("branch: the magic cookie and 96 random bits; tag 64 bits; Call-ID 128 bits, in hex")
    void formats() {
        assertThat(Ids.branch()).startsWith(Via.MAGIC_COOKIE).matches(Via.MAGIC_COOKIE + "[0-9a-f]{24}");
        assertThat(Ids.tag()).matches("[0-9a-f]{16}");
        assertThat(Ids.callId()).matches("[0-9a-f]{32}");
    }

    @Test
    @DisplayName("100,000 of them mixed, many times the bytes one draw holds, on several threads: all distinct")
    void neverRepeat() throws InterruptedException {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                Set<String> mine = new HashSet<>();
                for (int i = 0; i < 25_000; i++) {
                    mine.add(switch (i % 3) {
                        case 0 -> Ids.tag();
                        case 1 -> Ids.branch();
                        default -> Ids.callId();
                    });
                }
                seen.addAll(mine);
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(100_000);
    }
}
