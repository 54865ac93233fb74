package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipUri;
import org.parley.sip.transaction.ManualScheduler;

/**
 * The notifier engine's one expiry index (RFC 6665 §4.2.2: a subscription ends when its
 * granted time is over; issue 13: no timer object per subscription).
 */
@DisplayName("RFC 6665 §4.2.2, issue 13: the notifier engine's one expiry index")
class ExpiriesTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final Notifier engine = new Notifier(null, clock, Duration.ZERO);
    private final List<String> ended = new ArrayList<>();

    private NotifierDialog dialog(String id, long seconds) {
        NotifierDialog d = new NotifierDialog(engine, id + ";tag", "sip:alice@example.org", "<sip:bob@example.org>;tag=b",
                SipUri.parse("sip:bob@192.0.2.7"), List.of(), ProxyTestSupport.CALLER, Headers.EMPTY, null,
                clock.now().plus(Duration.ofSeconds(seconds)), () -> ended.add(id));
        engine.expiries().add(d);
        return d;
    }

    @Test
    @DisplayName("RFC 6665 §4.2.2: each subscription ends exactly when its time is over, in order; a closed one never")
    void endsOnTime() {
        dialog("sixty", 60);
        dialog("thirty", 30);
        NotifierDialog refreshed = dialog("ninety", 90);
        clock.advance(Duration.ofSeconds(29));
        assertThat(ended).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ended).containsExactly("thirty");
        refreshed.close();
        dialog("later", 45); // added after the earliest: due at 75 s
        clock.advance(Duration.ofSeconds(70));
        assertThat(ended).containsExactly("thirty", "sixty", "later");
        assertThat(engine.expiries().size()).isZero();
        assertThat(clock.pending()).as("no timer left once the index is empty").isZero();
    }

    @Test
    @DisplayName("issue 13: one timer for the whole index, and closed dialogs never outnumber the live ones for long")
    void closedOnesAreDropped() {
        List<NotifierDialog> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            all.add(dialog("d" + i, 3600 + i));
        }
        assertThat(clock.pending()).isEqualTo(1);
        // refreshes and unsubscribes close most of them long before their time
        for (int i = 0; i < 4500; i++) {
            all.get(i).close();
        }
        assertThat(engine.expiries().size()).isLessThan(5000).isGreaterThanOrEqualTo(500);
        clock.advance(Duration.ofSeconds(3600 + 5000));
        assertThat(ended).hasSize(500).startsWith("d4500").endsWith("d4999");
    }
}
