package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipUri;
import org.parley.sip.transaction.ManualScheduler;

/**
 * Subscriptions found by their dialog id (RFC 6665 §4.1.2.1/§4.2.1.2: an in-dialog SUBSCRIBE is
 * matched by Call-ID and tags; issue 13: no id string or map entry per subscription).
 */
@DisplayName("RFC 6665 §4.2.1.2, issue 13: subscriptions by dialog id, without a map entry each")
class SubscriptionTableTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final Notifier engine = new Notifier(null, clock, Duration.ZERO);
    private final SubscriptionTable<NotifierDialog> table = new SubscriptionTable<>(d -> d);

    private NotifierDialog dialog(String callId, String tag, String from) {
        return new NotifierDialog(engine, callId + ";" + tag, "sip:alice@example.org", from,
                SipUri.parse("sip:bob@192.0.2.7:5070;transport=tcp"), List.of(), ProxyTestSupport.CALLER, Headers.EMPTY,
                null, clock.now().plus(Duration.ofHours(1)), () -> { });
    }

    @Test
    @DisplayName("RFC 6665 §4.2.1.2: every one is found by its id, removed ones and strangers never")
    void findsEachByItsId() {
        List<NotifierDialog> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            NotifierDialog d = dialog("call-" + i + "@192.0.2.7", Integer.toHexString(i * 7919), "<sip:bob@example.org>;tag=b" + i);
            all.add(d);
            table.add(d);
        }
        assertThat(table.size()).isEqualTo(5000);
        Collections.shuffle(all, new Random(13));
        List<NotifierDialog> removed = all.subList(0, 4000);
        for (NotifierDialog d : removed) {
            assertThat(table.remove(d)).isTrue();
        }
        for (NotifierDialog d : removed) {
            assertThat(table.get(d.id())).isNull();
            assertThat(table.remove(d)).as("not there any more").isFalse();
        }
        for (NotifierDialog d : all.subList(4000, 5000)) {
            assertThat(table.get(d.id())).isSameAs(d);
        }
        assertThat(table.size()).isEqualTo(1000);
        assertThat(table.list()).containsExactlyInAnyOrderElementsOf(all.subList(4000, 5000));
        assertThat(table.get("call-1@192.0.2.7;unknown")).isNull();
        assertThat(table.get("")).isNull();
    }

    @Test
    @DisplayName("RFC 6665 §4.2.1.2: ids with the same hash are told apart, and removing one keeps the others reachable")
    void collidingIds() {
        // "Aa" and "BB" have the same String hash, so do any concatenations of them of equal length
        NotifierDialog a = dialog("AaAa", "t", "<sip:a@example.org>;tag=1");
        NotifierDialog b = dialog("AaBB", "t", "<sip:b@example.org>;tag=2");
        NotifierDialog c = dialog("BBAa", "t", "<sip:c@example.org>;tag=3");
        NotifierDialog d = dialog("BBBB", "t", "<sip:d@example.org>;tag=4");
        assertThat(a.id().hashCode()).isEqualTo(d.id().hashCode());
        List.of(a, b, c, d).forEach(table::add);
        assertThat(table.remove(b)).isTrue();
        assertThat(table.get("AaAa;t")).isSameAs(a);
        assertThat(table.get("AaBB;t")).isNull();
        assertThat(table.get("BBAa;t")).isSameAs(c);
        assertThat(table.get("BBBB;t")).isSameAs(d);
        assertThat(table.remove(a)).isTrue();
        assertThat(table.remove(d)).isTrue();
        assertThat(table.get("BBAa;t")).isSameAs(c);
        assertThat(table.any()).isSameAs(c);
        assertThat(table.remove(c)).isTrue();
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.any()).isNull();
    }

    @Test
    @DisplayName("RFC 3261 §12.1.1: the dialog gives back its id, From and remote target as they came, non-ASCII text included")
    void dialogKeepsItsTextInOneArray() {
        NotifierDialog d = dialog("a84b4c76e66710@pc33.example.org", "1928301774",
                "\"Zoë Æsir\" <sip:zoe@example.org>;tag=x");
        assertThat(d.id()).isEqualTo("a84b4c76e66710@pc33.example.org;1928301774");
        assertThat(d.hasId("a84b4c76e66710@pc33.example.org;1928301774")).isTrue();
        assertThat(d.hasId("a84b4c76e66710@pc33.example.org;192830177")).isFalse();
        assertThat(d.hasId("a84b4c76e66710@pc33.example.org;19283017745")).isFalse();
        assertThat(d.subscriber().displayName()).isEqualTo("Zoë Æsir");
        assertThat(d.subscriber().uri().toString()).isEqualTo("sip:zoe@example.org");
    }
}
