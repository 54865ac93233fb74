package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transaction.ManualScheduler;
import org.w3c.dom.Element;

@DisplayName("RFC 3903 publication state machine")
class PublicationsTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final List<String> changes = new ArrayList<>();
    private final Publications pubs = new Publications(new InMemoryPublicationStore(), clock, changes::add);
    private static final String A = PresenceFixture.ALICE;

    /** A checked document as PublishService keeps it; {@code tuple} tells the devices apart. */
    private static Element pidf(String tuple) throws Pidf.Invalid {
        return Pidf.kept(Pidf.parse(PresenceFixture.pidf(A, tuple, "open", "").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("RFC 3903 §6: new entity tag on every change, refresh keeps the state silently, expiry on time")
    void lifecycle() throws Exception {
        Publication p = pubs.create(A, pidf("x"), Duration.ofSeconds(100));
        assertThat(changes).containsExactly(A);
        Publication r = pubs.update(A, p.etag(), Optional.empty(), Duration.ofSeconds(100)).orElseThrow();
        assertThat(r.etag()).isNotEqualTo(p.etag());
        assertThat(r.pidf()).as("a refresh keeps the document").isSameAs(p.pidf());
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
    void severalDevices() throws Exception {
        Publication phone = pubs.create(A, pidf("phone"), Duration.ofSeconds(100));
        clock.advance(Duration.ofSeconds(1));
        pubs.create(A, pidf("laptop"), Duration.ofSeconds(100));
        assertThat(pubs.current(A)).extracting(x -> PresenceComposer.elements(x.pidf()).getFirst().getAttribute("id")).containsExactly("phone", "laptop");
        assertThat(pubs.remove(A, phone.etag())).isTrue();
        assertThat(pubs.current(A)).hasSize(1);
        assertThat(clock.pending()).isEqualTo(1);
    }
}
