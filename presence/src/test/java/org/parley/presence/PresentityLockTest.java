package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.UserAgent;

@DisplayName("RFC 3856, RFC 3857, issue 13: each presentity's subscriptions and watchers under a lock of its own")
class PresentityLockTest {
    private final PresenceFixture f = new PresenceFixture();
    private final PresenceNotifier notifier = new PresenceNotifier(
            new Notifier(new UserAgent(new Forker(f.layer, f.transport, f.scheduler)), f.scheduler, Duration.ZERO),
            PresenceSettings.defaults());

    @Test
    @DisplayName("a presentity's lock held (a SUBSCRIBE, a change or an expiry of it) holds up its own watchers only, not another presentity's")
    void otherPresentitiesGoOn() throws Exception {
        String alice = PresenceFixture.ALICE;
        String other = IntStream.range(0, 1000).mapToObj(i -> "sip:user" + i + "@example.com")
                .filter(aor -> notifier.lockOf(aor) != notifier.lockOf(alice)).findFirst().orElseThrow();
        assertThat(notifier.lockOf(alice)).isSameAs(notifier.lockOf(new String(alice)));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            synchronized (notifier.lockOf(alice)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        held.await();
        // watcher information of another presentity is answered while alice's lock is held
        assertThat(CompletableFuture.supplyAsync(() -> notifier.watchers(other)).get(5, TimeUnit.SECONDS)).isEmpty();
        CompletableFuture<Integer> alices = CompletableFuture.supplyAsync(() -> notifier.watchers(alice).size());
        Thread.sleep(200);
        assertThat(alices).isNotDone();
        release.countDown();
        assertThat(alices.get(5, TimeUnit.SECONDS)).isZero();
        holder.join();
    }
}
