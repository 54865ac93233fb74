package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.presence.PresenceFixture.ALICE;
import static org.parley.presence.PresenceFixture.ALL;
import static org.parley.presence.PresenceFixture.BOB;
import static org.parley.presence.PresenceFixture.rule;
import static org.parley.presence.PresenceFixture.rules;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.registrar.Binding;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transaction.Scheduler;

/**
 * Network-provided presence from registrations (RFC 3856 §6.6 and IWF: the presence server's view
 * of a presentity includes its registration state; UC 5.3 step 3): only a change of the devices
 * registered is news for the watchers — a refresh is not, and costs neither a NOTIFY nor a timer.
 */
@DisplayName("C5, RFC 3856, UC 5.3: network presence follows the registered devices, not their refreshes")
class NetworkPresenceTest {
    private static final String PHONE = "<urn:uuid:00000000-0000-0000-0000-000000000005>";
    private static final String TABLET = "<urn:uuid:00000000-0000-0000-0000-0000000000aa>";

    private final PresenceFixture f = new PresenceFixture();

    @BeforeEach
    void bobWatchesAlice() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        f.register("bob", Duration.ofHours(3)); // the watcher's own binding outlives the test
        f.register("alice", Duration.ofSeconds(600), PHONE);
        SipRequest subscribe = f.request("SUBSCRIBE", "bob", ALICE, "sub-bob", "", "Event: presence", "Expires: 7200");
        assertThat(f.send(subscribe, "bob").status()).isEqualTo(200);
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>open</basic>", "urn:uuid:00000000-0000-0000-0000-000000000005");
    }

    @Test
    @DisplayName("RFC 3856 §6.6, IWF: refreshes of the same device (new expiry, Call-ID, CSeq) send no NOTIFY; a new device does")
    void refreshIsNoNewsNewDeviceIs() {
        int before = f.notifiesTo("bob").size();
        for (int i = 0; i < 5; i++) {
            f.advance(Duration.ofSeconds(60));
            f.register("alice", Duration.ofSeconds(600), PHONE);
        }
        f.advance(Duration.ofSeconds(5)); // past any pacing interval: a coalesced NOTIFY would have gone by now
        assertThat(f.notifiesTo("bob")).as("NOTIFYs after five refreshes").hasSize(before);

        f.register("alice", Duration.ofSeconds(600), TABLET);
        f.advance(Duration.ofSeconds(5));
        assertThat(f.notifiesTo("bob")).hasSize(before + 1);
        String two = body(f.lastNotifyTo("bob"));
        assertThat(two).contains("urn:uuid:00000000-0000-0000-0000-000000000005",
                "urn:uuid:00000000-0000-0000-0000-0000000000aa");
        assertThat(two.split("<basic>open</basic>", -1)).as("one open tuple per device").hasSize(3);
    }

    @Test
    @DisplayName("UC 5.3, issue 13: a refresh tells the watchers nothing and schedules no timer; a new device, a removal and a lapse are told")
    void refreshCostsNoChangeAndNoTimer() {
        ManualScheduler clock = new ManualScheduler();
        AtomicInteger scheduled = new AtomicInteger();
        Scheduler counting = new Scheduler() {
            @Override
            public Instant instant() {
                return clock.instant();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                scheduled.incrementAndGet();
                return clock.schedule(delay, task);
            }

            @Override
            public Executor workers() {
                return clock.workers();
            }
        };
        PresenceFixture.Location location = new PresenceFixture.Location();
        List<String> told = new ArrayList<>();
        NetworkPresence network = new NetworkPresence(location, counting,
                new Publications(new InMemoryPublicationStore(), counting, aor -> { }), told::add);
        Binding phone = device(clock, PHONE, 600);
        location.put(phone);
        network.registrationChanged(ALICE);
        assertThat(told).containsExactly(ALICE);
        assertThat(scheduled).hasValue(1);

        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(30));
            location.put(device(clock, PHONE, 600));
            network.registrationChanged(ALICE);
        }
        assertThat(told).as("told after ten refreshes").hasSize(1);
        assertThat(scheduled).as("timers after ten refreshes").hasValue(1);

        location.put(device(clock, TABLET, 600));
        network.registrationChanged(ALICE);
        assertThat(told).hasSize(2);
        location.remove(ALICE, device(clock, TABLET, 0).key());
        network.registrationChanged(ALICE);
        assertThat(told).hasSize(3);

        // the first timer (at 600 s) finds the phone refreshed: silent, and sets the next for its last expiry (900 s)
        clock.advance(Duration.ofSeconds(300));
        assertThat(told).hasSize(3);
        assertThat(scheduled).hasValue(2);
        clock.advance(Duration.ofSeconds(300));
        assertThat(told).as("the phone lapsed").hasSize(4);
        assertThat(clock.pending()).as("no timer left for a user without devices").isZero();
    }

    private static Binding device(ManualScheduler clock, String instance, int seconds) {
        return new Binding(ALICE, SipUri.parse("sip:alice@198.51.100.7:5070;transport=tcp"), instance, 1, 1f,
                clock.now().plusSeconds(seconds), "call-" + clock.now(), 1, List.of(), PresenceFixture.flowOf("alice"),
                "Phone/1", null, clock.now());
    }

    @Test
    @DisplayName("UC 5.3: a refreshed device outlives its first expiry, and lapses (closed) at its last")
    void refreshedDeviceLapsesAtItsLastExpiry() {
        for (int i = 0; i < 8; i++) {
            f.advance(Duration.ofSeconds(60));
            f.register("alice", Duration.ofSeconds(600), PHONE);
        }
        int before = f.notifiesTo("bob").size();

        // past the first registration's expiry (600 s): the timer looks, finds the device refreshed, says nothing
        f.advance(Duration.ofSeconds(200));
        assertThat(f.notifiesTo("bob")).hasSize(before);
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>open</basic>");

        // the last refresh (at 480 s, for 600 s) runs out at 1,080 s: now the device is gone
        f.advance(Duration.ofSeconds(401));
        assertThat(f.notifiesTo("bob")).hasSize(before + 1);
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");
    }

    @Test
    @DisplayName("RFC 3261 §10.2.1.1, UC 5.3: a refresh asking for a shorter expiry moves the check earlier; the device lapses then")
    void shorterRefreshLapsesEarlier() {
        f.advance(Duration.ofSeconds(10));
        f.register("alice", Duration.ofSeconds(60), PHONE);
        int before = f.notifiesTo("bob").size();
        f.advance(Duration.ofSeconds(61));
        assertThat(f.notifiesTo("bob")).hasSize(before + 1);
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
