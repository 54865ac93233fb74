package org.parley.messaging.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.accounts.Page;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Usage records for charging: PP2-6, PP-49")
class JdbiUsageLogTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456Z");
    private static final String ALICE = "sip:alice@example.org";
    private static final String BOB = "sip:bob@example.org";

    private static UsageRecord record(int secondsAfter, UsageEvent event, String sender, String recipient) {
        Instant at = T0.plusSeconds(secondsAfter);
        return new UsageRecord(at, event, sender, recipient, 42, "text/plain", T0,
                event == UsageEvent.DELIVERED ? Optional.of(at) : Optional.empty(),
                Optional.of("UDP; 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=2340100000001"), Optional.empty(),
                "call-" + secondsAfter + "@client", Optional.empty());
    }

    private static UsageQuery query(Optional<String> sender, Optional<String> recipient, Optional<UsageEvent> event,
                                    Optional<Instant> from, Optional<Instant> to) {
        return new UsageQuery(sender, recipient, event, from, to);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void listsOldestFirstWithFiltersAndPaging(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            UsageLog log = new JdbiUsageLog(db);
            UsageRecord accepted = record(0, UsageEvent.ACCEPTED, ALICE, BOB);
            UsageRecord stored = record(1, UsageEvent.STORED, ALICE, BOB);
            UsageRecord reply = record(5, UsageEvent.ACCEPTED, BOB, ALICE);
            UsageRecord delivered = record(10, UsageEvent.DELIVERED, ALICE, BOB);
            UsageRecord sameTime = record(10, UsageEvent.REFUSED, BOB, "sip:carol@example.org");
            for (UsageRecord r : List.of(accepted, stored, reply, delivered, sameTime)) {
                log.record(r);
            }

            Page<UsageRecord> all = log.list(UsageQuery.ALL, 0, 10);
            assertThat(all.items()).containsExactly(accepted, stored, reply, delivered, sameTime);
            assertThat(all.total()).isEqualTo(5);

            Page<UsageRecord> page = log.list(UsageQuery.ALL, 1, 2);
            assertThat(page.items()).containsExactly(stored, reply);
            assertThat(page.total()).isEqualTo(5);

            assertThat(log.list(query(Optional.of(ALICE), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()), 0, 10).items()).containsExactly(accepted, stored, delivered);
            assertThat(log.list(query(Optional.empty(), Optional.of(ALICE), Optional.empty(), Optional.empty(),
                    Optional.empty()), 0, 10).items()).containsExactly(reply);
            assertThat(log.list(query(Optional.empty(), Optional.empty(), Optional.of(UsageEvent.ACCEPTED),
                    Optional.empty(), Optional.empty()), 0, 10).items()).containsExactly(accepted, reply);
            Page<UsageRecord> window = log.list(query(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(10))), 0, 10);
            assertThat(window.items()).as("from inclusive, to exclusive").containsExactly(stored, reply);
            assertThat(window.total()).isEqualTo(2);
            Page<UsageRecord> combined = log.list(query(Optional.of(ALICE), Optional.of(BOB),
                    Optional.of(UsageEvent.DELIVERED), Optional.of(T0), Optional.empty()), 0, 10);
            assertThat(combined.items()).containsExactly(delivered);
            assertThat(log.list(query(Optional.of("sip:nobody@example.org"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()), 0, 10).total()).isZero();

            assertThatThrownBy(() -> log.list(UsageQuery.ALL, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.list(UsageQuery.ALL, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void exportsOneJsonObjectPerLineThatParsesBack(DatabaseTarget target) throws IOException {
        String awkward = "say \"hi\"\nnew line\ttab \\ back é 日本 😀 \u2028 \u0001";
        UsageRecord delivered = new UsageRecord(T0.plusSeconds(2), UsageEvent.DELIVERED, ALICE, BOB, 1234,
                "text/plain;charset=\"UTF-8\"", T0, Optional.of(T0.plusSeconds(2)), Optional.of("TCP"),
                Optional.of("WSS; IEEE-802.11"), "abc@client", Optional.of(awkward));
        UsageRecord refused = new UsageRecord(T0, UsageEvent.REFUSED, BOB, ALICE, 0, "text/plain", T0,
                Optional.empty(), Optional.empty(), Optional.empty(), "def@client", Optional.empty());
        try (Database db = StoreTestDatabases.open(target)) {
            UsageLog log = new JdbiUsageLog(db);
            log.record(delivered);
            log.record(refused);
            for (int i = 0; i < 1200; i++) {
                log.record(record(100 + i, UsageEvent.ACCEPTED, "sip:u" + i + "@example.org", BOB));
            }

            StringWriter out = new StringWriter();
            log.export(UsageQuery.ALL, out);
            String text = out.toString();
            assertThat(text).endsWith("\n");
            List<String> lines = text.lines().toList();
            assertThat(lines).hasSize(1202);
            ObjectMapper mapper = new ObjectMapper();
            List<JsonNode> objects = new ArrayList<>();
            for (String line : lines) {
                objects.add(mapper.readTree(line));
            }

            JsonNode first = objects.get(0);
            assertThat(first.get("event").asText()).isEqualTo("REFUSED");
            assertThat(first.get("deliveredAt").isNull()).isTrue();
            assertThat(first.get("detail").isNull()).isTrue();
            JsonNode second = objects.get(1);
            assertThat(Instant.parse(second.get("at").asText())).isEqualTo(delivered.at());
            assertThat(Instant.parse(second.get("sentAt").asText())).isEqualTo(delivered.sentAt());
            assertThat(Instant.parse(second.get("deliveredAt").asText())).isEqualTo(T0.plusSeconds(2));
            assertThat(second.get("detail").asText()).isEqualTo(awkward);
            assertThat(second.get("contentType").asText()).isEqualTo("text/plain;charset=\"UTF-8\"");
            assertThat(second.get("size").asLong()).isEqualTo(1234);
            assertThat(second.get("sender").asText()).isEqualTo(ALICE);
            assertThat(second.get("recipient").asText()).isEqualTo(BOB);
            assertThat(second.get("senderAccess").asText()).isEqualTo("TCP");
            assertThat(second.get("recipientAccess").asText()).isEqualTo("WSS; IEEE-802.11");
            assertThat(second.get("messageRef").asText()).isEqualTo("abc@client");
            assertThat(objects.get(1201).get("sender").asText()).isEqualTo("sip:u1199@example.org");

            StringWriter bobs = new StringWriter();
            log.export(query(Optional.of(BOB), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()), bobs);
            assertThat(bobs.toString().lines()).singleElement()
                    .satisfies(line -> assertThat(mapper.readTree(line).get("messageRef").asText())
                            .isEqualTo("def@client"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void exportsNothingWhenNothingMatches(DatabaseTarget target) throws IOException {
        try (Database db = StoreTestDatabases.open(target)) {
            StringWriter out = new StringWriter();
            new JdbiUsageLog(db).export(UsageQuery.ALL, out);
            assertThat(out.toString()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-5, PP2-6: a user's records are exported; on deletion they stay, pseudonymised, still adding up")
    void recordsConcerningAnAddressAreListedAndPseudonymised(DatabaseTarget target) {
        String carol = "sip:carol@example.org";
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog log = new JdbiUsageLog(db);
            log.record(record(0, UsageEvent.ACCEPTED, ALICE, BOB));
            log.record(record(1, UsageEvent.DELIVERED, BOB, ALICE));
            log.record(record(2, UsageEvent.ACCEPTED, BOB, carol));

            assertThat(log.concerning(ALICE)).extracting(UsageRecord::messageRef)
                    .containsExactly("call-0@client", "call-1@client");

            String pseudonym = "sip:deleted-account-7@deleted.invalid";
            assertThat(log.pseudonymise(ALICE, pseudonym)).isEqualTo(2);

            assertThat(log.concerning(ALICE)).isEmpty();
            List<UsageRecord> kept = log.concerning(pseudonym);
            assertThat(kept).hasSize(2);
            assertThat(kept.get(0).sender()).isEqualTo(pseudonym);
            assertThat(kept.get(0).senderAccess()).isEmpty();
            assertThat(kept.get(0).recipient()).isEqualTo(BOB);
            assertThat(kept.get(1).recipient()).isEqualTo(pseudonym);
            assertThat(kept.get(1).senderAccess()).isPresent(); // bob's side is bob's
            assertThat(log.list(UsageQuery.ALL, 0, 10).total()).isEqualTo(3);
            assertThat(log.concerning(carol)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6, issue 13: a batch of several INSERT statements keeps every record and its times, to the microsecond")
    void aBatchKeepsEveryRecordAndItsTimes(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog log = new JdbiUsageLog(db);
            // 150 records: two statements of 64 rows and one of 22; times with nanoseconds, some before 1970
            List<UsageRecord> batch = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                Instant at = (i % 10 == 0 ? Instant.parse("1969-12-31T23:59:59.999999999Z") : T0).plusNanos(i * 1_000_777L);
                batch.add(new UsageRecord(at, UsageEvent.DELIVERED, ALICE, BOB, i, "text/plain", at.minusMillis(i),
                        i % 3 == 0 ? Optional.empty() : Optional.of(at.plusNanos(999)), Optional.empty(), Optional.empty(),
                        "batch-" + i, Optional.empty()));
            }
            log.recordAll(batch);

            List<UsageRecord> expected = batch.stream()
                    .map(r -> new UsageRecord(micros(r.at()), r.event(), r.sender(), r.recipient(), r.size(),
                            r.contentType(), micros(r.sentAt()), r.deliveredAt().map(JdbiUsageLogTest::micros),
                            r.senderAccess(), r.recipientAccess(), r.messageRef(), r.detail()))
                    .sorted(java.util.Comparator.comparing(UsageRecord::at))
                    .toList();
            List<UsageRecord> read = new ArrayList<>();
            for (int offset = 0; offset < 150; offset += 100) {
                read.addAll(log.list(UsageQuery.ALL, offset, 100).items());
            }
            assertThat(read).containsExactlyElementsOf(expected);
        }
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
