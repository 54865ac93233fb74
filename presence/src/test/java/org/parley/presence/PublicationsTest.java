package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transaction.ManualScheduler;

@DisplayName("RFC 3903 publication state machine")
class PublicationsTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final List<String> changes = new ArrayList<>();
    private final Publications pubs = new Publications(new InMemoryPublicationStore(), clock, changes::add);
    private static final String A = PresenceFixture.ALICE;

    @Test
    @DisplayName("RFC 3903 §6: new entity tag on every change, refresh keeps the state silently, expiry on time")
    void lifecycle() {
        Publication p = pubs.create(A, "x".getBytes(), Duration.ofSeconds(100));
        assertThat(changes).containsExactly(A);
        Publication r = pubs.update(A, p.etag(), Optional.empty(), Duration.ofSeconds(100)).orElseThrow();
        assertThat(r.etag()).isNotEqualTo(p.etag());
        assertThat(r.pidf()).isEqualTo(p.pidf());
        assertThat(changes).as("a refresh changes nothing").hasSize(1);
        assertThat(pubs.update(A, p.etag(), Optional.empty(), Duration.ofSeconds(100))).as("stale").isEmpty();

        clock.advance(Duration.ofSeconds(99));
        assertThat(pubs.current(A)).hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(pubs.current(A)).isEmpty();
        assertThat(changes).hasSize(2);
        assertThat(pubs.remove(A, r.etag())).isFalse();
        assertThat(clock.pending()).isZero();
    }

    @Test
    @DisplayName("RFC 3903: several devices publish side by side; removal drops one and its timer")
    void severalDevices() {
        Publication phone = pubs.create(A, "phone".getBytes(), Duration.ofSeconds(100));
        clock.advance(Duration.ofSeconds(1));
        pubs.create(A, "laptop".getBytes(), Duration.ofSeconds(100));
        assertThat(pubs.current(A)).extracting(x -> new String(x.pidf())).containsExactly("phone", "laptop");
        assertThat(pubs.remove(A, phone.etag())).isTrue();
        assertThat(pubs.current(A)).hasSize(1);
        assertThat(clock.pending()).isEqualTo(1);
    }
}
