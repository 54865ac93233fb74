package org.parley.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.messaging.MailboxFakes.FlakyUsageLog;
import org.parley.messaging.MailboxFakes.MemoryOfflineStore;
import org.parley.messaging.store.CountingOfflineStore;
import org.parley.messaging.store.Limits;
import org.parley.messaging.store.OfflineStore;
import org.parley.messaging.store.Quota;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.transaction.ManualScheduler;

/**
 * What a REGISTER tells messaging (C2 offline delivery, MU-3, UC 5.13): a delivery run only when
 * something waits — known in memory, so the usual REGISTER (a refresh) costs nothing — and never a
 * message left waiting, also one stored while its recipient registers.
 */
@DisplayName("C2, MU-3, UC 5.13: a REGISTER delivers what waits, costs nothing when nothing does, and misses no message stored meanwhile")
class RegistrationDeliveryTest {
    private static final Quota QUOTA = new Quota(100, 1 << 20);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final MemoryOfflineStore table = new MemoryOfflineStore();
    private final OfflineStore store = new CountingOfflineStore(table);
    private final Devices devices = new Devices();
    private final AtomicInteger runs = new AtomicInteger();
    private final MessagingSettings settings = new MessagingSettings(true, true, false, true, Duration.ofHours(72),
            Duration.ofDays(7), 0, new Limits(0, 0, 0, 0, Set.of(), 100, 1 << 20), "service", Duration.ofSeconds(30));

    /** Devices by AOR, as the location service holds them: a device takes every message; none means no device. */
    private static final class Devices implements Delivery {
        final Map<String, Boolean> registered = new ConcurrentHashMap<>();
        final Map<String, List<String>> received = new ConcurrentHashMap<>();
        /** Runs once, between the sender's look for devices and its store: a REGISTER at the worst moment. */
        volatile Runnable betweenLookAndStore = () -> { };

        @Override
        public boolean reachable(String recipientAor) {
            return registered.containsKey(recipientAor);
        }

        @Override
        public boolean reachableBesides(String recipientAor, List<ContactTarget> tried) {
            return reachable(recipientAor) && !tried.contains(MailboxFakes.PHONE);
        }

        @Override
        public CompletableFuture<Result> toDevices(SipRequest message, String recipientAor, String localTag) {
            if (!registered.containsKey(recipientAor)) {
                Runnable late = betweenLookAndStore;
                betweenLookAndStore = () -> { };
                late.run();
                return CompletableFuture.completedFuture(new Result(message.createResponse(480, "no-device"), List.of()));
            }
            received.computeIfAbsent(recipientAor, a -> new CopyOnWriteArrayList<>()).add(new String(message.body()));
            return CompletableFuture.completedFuture(
                    new Result(message.createResponse(200, "device"), List.of(MailboxFakes.PHONE)));
        }
    }

    private Mailbox mailbox(Executor executor) {
        return new Mailbox(store, devices, new Usage(new FlakyUsageLog(), scheduler), new Notices("service", "example.com"),
                settings, scheduler, task -> {
                    runs.incrementAndGet();
                    executor.execute(task);
                }, aor -> { });
    }

    private SipResponse submit(Mailbox mailbox, String recipient, String text) {
        SipRequest m = MailboxFakes.message(text);
        Submission s = new Submission(m, "sip:alice@example.com", recipient, "TCP", scheduler.now());
        return mailbox.deliverOrStore(m, s, scheduler.now().plus(Duration.ofHours(1)), QUOTA, "t1").join();
    }

    private void register(Mailbox mailbox, String aor) {
        devices.registered.put(aor, true); // the binding is stored before the listener is told, as RegisterService does
        mailbox.onRegistered(aor);
    }

    @Test
    @DisplayName("C2 offline, UC 5.13: a message stored for an offline user is delivered at the next REGISTER, after the summary")
    void deliveredAtTheNextRegister() {
        Mailbox mailbox = mailbox(Runnable::run);
        assertThat(submit(mailbox, "sip:bob@example.com", "while you were away").status()).isEqualTo(202);
        assertThat(runs).as("no run for a user with no device").hasValue(0);

        register(mailbox, "sip:bob@example.com");

        assertThat(devices.received.get("sip:bob@example.com"))
                .containsExactly("You have 1 message waiting.", "while you were away");
        assertThat(table.messages).isEmpty();
        assertThat(store.usage("sip:bob@example.com").messages()).isZero();
    }

    @Test
    @DisplayName("issue 13: REGISTERs and refreshes of a user with nothing waiting start no delivery run and read no store")
    void nothingWaitingNoRun() {
        Mailbox mailbox = mailbox(Runnable::run);
        for (int i = 0; i < 100; i++) {
            register(mailbox, "sip:bob@example.com");
        }
        assertThat(runs).hasValue(0);
        assertThat(devices.received).isEmpty();
    }

    @Test
    @DisplayName("C2, UC 5.13: the REGISTER comes between the sender's look for devices and its store's commit — the message is delivered at once")
    void registerDuringTheStore() {
        Mailbox mailbox = mailbox(Runnable::run);
        devices.betweenLookAndStore = () -> register(mailbox, "sip:bob@example.com");

        assertThat(submit(mailbox, "sip:bob@example.com", "raced").status()).isEqualTo(202);

        assertThat(devices.received.get("sip:bob@example.com")).containsExactly("raced");
        assertThat(table.messages).isEmpty();
    }

    @Test
    @DisplayName("C2, MU-3: 300 users each registering while a message is stored for them, on separate threads: every message delivered")
    void concurrentRegistersAndStores() throws Exception {
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Mailbox mailbox = mailbox(threads);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String aor = "sip:user" + i + "@example.com";
                CyclicBarrier together = new CyclicBarrier(2);
                calls.add(threads.submit(() -> {
                    together.await();
                    return submit(mailbox, aor, "to " + aor);
                }));
                calls.add(threads.submit(() -> {
                    together.await();
                    register(mailbox, aor);
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!table.messages.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(table.messages).as("messages left waiting for a registered user").isEmpty();
            for (int i = 0; i < 300; i++) {
                String aor = "sip:user" + i + "@example.com";
                assertThat(devices.received.get(aor)).as(aor).contains("to " + aor);
            }
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
