package org.parley.messaging.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Offline store-and-forward: MU-3, MT-3, PP2-13, PP2-33, UC 5.13")
class JdbiOfflineStoreTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456789Z");
    private static final String BOB = "sip:bob@example.org";
    private static final String CAROL = "sip:carol@example.org";
    private static final Quota ROOMY = new Quota(100, 1_000_000);

    private static NewStoredMessage message(String recipient, String body, Instant submittedAt, Instant expiresAt) {
        return new NewStoredMessage(recipient, "sip:alice@example.org", submittedAt, expiresAt, "text/plain",
                Optional.empty(), "", ("MESSAGE " + recipient + " SIP/2.0\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static NewStoredMessage message(String recipient, String body) {
        return message(recipient, body, T0, T0.plusSeconds(3600));
    }

    private static List<String> bodies(List<StoredMessage> messages) {
        return messages.stream().map(m -> {
            String request = new String(m.request(), StandardCharsets.UTF_8);
            return request.substring(request.indexOf("\r\n\r\n") + 4);
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void pendingIsOldestFirstByArrivalEvenWithEqualSubmissionTimes(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            StoredMessage first = store.store(message(BOB, "one"), ROOMY);
            store.store(message(CAROL, "for carol"), ROOMY);
            StoredMessage second = store.store(message(BOB, "two"), ROOMY);
            store.store(message(BOB, "three"), ROOMY);

            assertThat(second.sequence()).isGreaterThan(first.sequence());
            assertThat(bodies(store.pending(BOB, 10))).containsExactly("one", "two", "three");
            assertThat(bodies(store.pending(BOB, 2))).containsExactly("one", "two");
            assertThat(bodies(store.pending(CAROL, 10))).containsExactly("for carol");
            assertThat(store.pending("sip:nobody@example.org", 10)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void keepsEveryFieldAndTheRequestByteForByte(DatabaseTarget target) {
        byte[] request = new byte[256 + 4];
        for (int i = 0; i < 256; i++) {
            request[i] = (byte) i;
        }
        // An invalid UTF-8 sequence, then a 0 byte at the very end.
        request[256] = (byte) 0xC3;
        request[257] = (byte) 0x28;
        request[258] = (byte) 0xFF;
        request[259] = 0;
        NewStoredMessage sent = new NewStoredMessage(BOB, "anonymous", T0, T0.plusSeconds(60),
                "application/octet-stream", Optional.of("34jk324j"), "positive-delivery, negative-delivery",
                request.clone());
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            StoredMessage stored = store.store(sent, ROOMY);
            StoredMessage read = store.pending(BOB, 1).get(0);

            assertThat(read).usingRecursiveComparison().isEqualTo(stored);
            assertThat(read.request()).isEqualTo(request);
            assertThat(read.size()).isEqualTo(request.length);
            assertThat(read.submittedAt()).isEqualTo(Instant.parse("2025-03-01T12:00:00.123456Z"));
            assertThat(read.imdnMessageId()).contains("34jk324j");
            assertThat(read.imdnRequested()).isEqualTo("positive-delivery, negative-delivery");
            assertThat(read.sender()).isEqualTo("anonymous");
            assertThat(read.contentType()).isEqualTo("application/octet-stream");
            assertThat(read.attempts()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void messagesSurviveARestartOnceStored(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            new JdbiOfflineStore(db).store(message(BOB, "durable"), ROOMY);
        }
        try (Database db = StoreTestDatabases.open(target)) {
            assertThat(bodies(new JdbiOfflineStore(db).pending(BOB, 10))).containsExactly("durable");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void refusesWhatExceedsTheMessageQuota(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            Quota twoMessages = new Quota(2, 1_000_000);
            store.store(message(BOB, "1"), twoMessages);
            store.store(message(BOB, "2"), twoMessages);

            QuotaExceededException full = catchThrowableOfType(QuotaExceededException.class,
                    () -> store.store(message(BOB, "3"), twoMessages));
            assertThat(full.usage().messages()).isEqualTo(2);
            assertThat(bodies(store.pending(BOB, 10))).containsExactly("1", "2");
            // The quota is per recipient.
            store.store(message(CAROL, "3"), twoMessages);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void refusesWhatExceedsTheByteQuota(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            NewStoredMessage one = message(BOB, "x".repeat(100));
            Quota twoAndABit = new Quota(100, 2L * one.size() + 10);
            store.store(one, twoAndABit);
            store.store(one, twoAndABit);

            QuotaExceededException full = catchThrowableOfType(QuotaExceededException.class,
                    () -> store.store(one, twoAndABit));
            assertThat(full.usage()).isEqualTo(new StoreUsage(2, 2L * one.size(), 0));
            // What still fits is taken: exactly up to the limit.
            NewStoredMessage small = new NewStoredMessage(BOB, "sip:alice@example.org", T0, T0.plusSeconds(60),
                    "text/plain", Optional.empty(), "", new byte[10]);
            store.store(small, twoAndABit);
            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(3, twoAndABit.maxBytes(), 0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void concurrentStoresForOneRecipientNeverOvershootTheQuota(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            // Two stores on one database behave like two nodes: only the database orders them.
            List<OfflineStore> nodes = List.of(new JdbiOfflineStore(db), new JdbiOfflineStore(db));
            Quota ten = new Quota(10, 1_000_000);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(20);
            try {
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    OfflineStore node = nodes.get(i % 2);
                    NewStoredMessage m = message(BOB, "m" + i);
                    outcomes.add(threads.submit(() -> {
                        start.await();
                        try {
                            node.store(m, ten);
                            return true;
                        } catch (QuotaExceededException e) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int stored = 0;
                int refused = 0;
                for (Future<Boolean> outcome : outcomes) {
                    if (outcome.get(60, TimeUnit.SECONDS)) {
                        stored++;
                    } else {
                        refused++;
                    }
                }
                assertThat(stored).isEqualTo(10);
                assertThat(refused).isEqualTo(10);
                assertThat(nodes.get(0).usage(BOB).messages()).isEqualTo(10);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void selectsExpiredMessagesOldestExpiryFirst(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            Instant now = T0.plusSeconds(600);
            store.store(message(BOB, "later", T0, now.plusSeconds(1)), ROOMY);
            store.store(message(BOB, "at now", T0, now), ROOMY);
            store.store(message(CAROL, "long gone", T0, T0.plusSeconds(1)), ROOMY);
            store.store(message(BOB, "gone", T0, T0.plusSeconds(300)), ROOMY);

            assertThat(bodies(store.expired(now, 10))).containsExactly("long gone", "gone", "at now");
            assertThat(bodies(store.expired(now, 2))).containsExactly("long gone", "gone");
            assertThat(store.expired(T0, 10)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void removeIsIdempotentAndAttemptsAreCounted(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            StoredMessage kept = store.store(message(BOB, "kept"), ROOMY);
            StoredMessage delivered = store.store(message(BOB, "delivered"), ROOMY);

            assertThat(store.remove(delivered)).isTrue();
            assertThat(store.remove(delivered)).isFalse();
            store.attempted(kept.id());
            store.attempted(kept.id());
            store.attempted(delivered.id());

            assertThat(store.pending(BOB, 10)).singleElement()
                    .satisfies(m -> assertThat(m.id()).isEqualTo(kept.id()))
                    .satisfies(m -> assertThat(m.attempts()).isEqualTo(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void reportsUsageAndWhoHasMessagesWaiting(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(0, 0, 0));
            assertThat(store.recipientsWithPending()).isEmpty();

            StoredMessage b1 = store.store(message(BOB, "1"), ROOMY);
            StoredMessage b2 = store.store(message(BOB, "22"), ROOMY);
            StoredMessage c1 = store.store(message(CAROL, "333"), ROOMY);

            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(2, (long) b1.size() + b2.size(), 0));
            assertThat(store.usage(CAROL)).isEqualTo(new StoreUsage(1, c1.size(), 0));
            assertThat(store.recipientsWithPending()).containsExactly(BOB, CAROL);

            store.remove(c1);
            assertThat(store.usage(CAROL)).isEqualTo(new StoreUsage(0, 0, 0));
            assertThat(store.recipientsWithPending()).containsExactly(BOB);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("RFC 3842, RFC 5438, UC 5.13: IMDN reports take quota but are counted apart from messages waiting")
    void countsReportsApartFromMessages(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            StoredMessage text = store.store(message(BOB, "hello"), ROOMY);
            NewStoredMessage receipt = new NewStoredMessage(BOB, "sip:alice@example.org", T0, T0.plusSeconds(3600),
                    "message/imdn+xml", Optional.of("n-1"), "", "MESSAGE sip:bob SIP/2.0\r\n\r\n<imdn/>"
                    .getBytes(StandardCharsets.UTF_8));
            store.store(receipt, ROOMY);
            store.store(receipt, ROOMY);

            StoreUsage usage = store.usage(BOB);
            assertThat(usage).isEqualTo(new StoreUsage(3, text.size() + 2L * receipt.size(), 2));
            assertThat(usage.waitingMessages()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-5: an account's export and deletion reach the messages waiting for it and those it sent")
    void messagesToAndFromAnAddressAreFoundAndRemovedTogether(DatabaseTarget target) {
        String alice = "sip:alice@example.org";
        try (Database db = StoreTestDatabases.open(target)) {
            OfflineStore store = new JdbiOfflineStore(db);
            store.store(message(BOB, "from alice to bob"), ROOMY);
            store.store(new NewStoredMessage(alice, CAROL, T0, T0.plusSeconds(60), "text/plain", Optional.empty(), "",
                    "MESSAGE sip:alice@example.org SIP/2.0\r\n\r\nfrom carol".getBytes(StandardCharsets.UTF_8)), ROOMY);
            store.store(new NewStoredMessage(BOB, CAROL, T0, T0.plusSeconds(60), "text/plain", Optional.empty(), "",
                    "MESSAGE sip:bob@example.org SIP/2.0\r\n\r\ncarol to bob".getBytes(StandardCharsets.UTF_8)), ROOMY);

            assertThat(bodies(store.concerning(alice))).containsExactly("from alice to bob", "from carol");
            assertThat(store.removeConcerning(alice)).isEqualTo(2);

            assertThat(store.concerning(alice)).isEmpty();
            assertThat(store.recipientsWithPending()).containsExactly(BOB);
            assertThat(bodies(store.pending(BOB, 10))).containsExactly("carol to bob");
            assertThat(store.removeConcerning(alice)).isZero();
            // the address may be stored for again (its lock row was removed, not left dangling)
            store.store(message(alice, "again"), ROOMY);
            assertThat(bodies(store.pending(alice, 10))).containsExactly("again");
        }
    }
}
