package org.parley.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.messaging.http.MessagingAccountData;
import org.parley.server.Main;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;
import org.parley.testkit.DatabaseTarget;
import org.parley.xdm.oma.Group;
import org.parley.xdm.oma.GroupContentUsage;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.oma.GroupXml;
import org.parley.xml.XmlWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account's whole life over the wire (issue 9 §7, issue 14 §3, PP2-5): alice registers, keeps
 * XCAP documents (contact list, presence rules, profile in the directory, a group with a shared
 * folder), has messages stored for her and by her, settings, subscriptions both ways, a bearer token
 * and a failed login; she changes her password (REGISTER with the old one fails, with the new one
 * works), exports everything, and is deleted: her subscriptions end with NOTIFYs, and neither the
 * admin API nor the database holds anything of her afterwards (usage records pseudonymised).
 */
@DisplayName("PP2-5, issue 9 §7, issue 14 §3: password change, export and deletion of an account over the wire")
class AccountLifecycleWireTest {
    private static final String ADMIN = "Bearer test-admin-token";
    private static final String ALICE = "sip:alice@localhost";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void exportThenDeleteLeavesNothing(DatabaseTarget db) throws Exception {
        Map<String, String> settings = new HashMap<>(TestServer.database(db));
        settings.put("presence.notify.min-interval-ms", "0");
        try (TestServer server = TestServer.start(dataDir, new ManualScheduler(), settings)) {
            server.addUser("alice", "alice-secret", "+442079460001", List.of("ally"));
            server.addUser("bob", "bob-secret", null, List.of());
            server.addUser("carol", "carol-secret", null, List.of());
            Jdbi jdbi = server.server().context().database().jdbi();
            long aliceId = server.server().context().accounts().find("alice").orElseThrow().id();

            // issue 14 §3: a new password over HTTP; SIP then takes the new one only
            assertThat(server.http("POST", "/api/v1/me/password",
                    "{\"currentPassword\":\"alice-secret\",\"newPassword\":\"alice-new-secret\"}",
                    TestServer.basic("alice", "alice-secret")).statusCode()).isEqualTo(204);
            try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
                Registration reg = new Registration(udp, "alice");
                assertThat(reg.register("alice-secret", reg.contact("old"), "60", "").status()).isIn(401, 403);
            }

            try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-new-secret");
                 SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
                // XCAP: contact list, presence rules (bob may watch), directory profile, a group with a folder
                server.xcapPut("alice", "alice-new-secret", "resource-lists", "application/resource-lists+xml",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\">"
                                + "<list name=\"friends\"><entry uri=\"sip:bob@localhost\"><display-name>Bob</display-name>"
                                + "</entry></list></resource-lists>");
                server.allowWatcher("alice", "alice-new-secret", "sip:bob@localhost");
                server.allowWatcher("bob", "bob-secret", ALICE);
                server.xcapPut("alice", "alice-new-secret", "org.openmobilealliance.user-profile",
                        "application/vnd.oma.user-profile+xml", "<user-profile xmlns=\"urn:oma:xml:xdm:user-profile\" "
                                + "xmlns:px=\"urn:parley:xml:ns:xdm-ext\" uri=\"sip:alice@localhost\"><birth-date>1990-04-01"
                                + "</birth-date><address><locality>Lyon</locality><country>FR</country></address>"
                                + "<px:searchable>true</px:searchable></user-profile>");
                ownGroupWithFolder(server);

                // subscriptions: alice to her mailbox and to bob's presence, bob to alice's presence
                alice.send(TrustedSender.request(alice, "SUBSCRIBE", "alice", ALICE,
                        "Event: message-summary\r\nAccept: application/simple-message-summary\r\nExpires: 600\r\n", ""));
                assertThat(alice.receiveResponse().status()).isEqualTo(200);
                answer(alice, "message-summary");
                assertThat(PresenceLifecycleWireTest.subscribe(alice, "alice", "bob", "", "")).contains("sip:bob@localhost");
                assertThat(PresenceLifecycleWireTest.subscribe(bob, "bob", "alice", "", "")).contains(ALICE);

                // a message waiting for alice (her device is busy) and one from her waiting for carol
                alice.send(TrustedSender.message(alice, "alice", "sip:carol@localhost", "for carol, later"));
                assertThat(alice.receiveResponse().status()).isEqualTo(202);
                SipTestClient.Reply busy = alice.answerNext(480);
                bob.send(TrustedSender.message(bob, "bob", ALICE, "for alice, later"));
                assertThat(bob.receiveResponse().status()).isEqualTo(202);
                assertThat(busy.request().method()).isEqualTo("MESSAGE");

                // settings, a token, a failed login
                assertThat(server.http("PATCH", "/api/v1/me/messaging", "{\"blockedSenders\":[\"sip:spam@localhost\"]}",
                        TestServer.basic("alice", "alice-new-secret")).statusCode()).isEqualTo(200);
                String token = "Bearer " + JSON.readTree(server.http("POST", "/api/v1/tokens", null,
                        TestServer.basic("alice", "alice-new-secret")).body()).get("access_token").asText();
                assertThat(server.http("GET", "/api/v1/me/messaging", null, TestServer.basic("ally", "guess")).statusCode())
                        .isEqualTo(401);

                JsonNode export = exportOf(server, token);
                assertThat(export.fieldNames()).toIterable().contains("account", "registrations", "messagingControls",
                        "storedMessages", "usageRecords", "xcapDocuments", "contacts", "directory", "authAttempts");
                assertThat(export.at("/account/aliases/0").asText()).isEqualTo("ally");
                assertThat(export.at("/account/e164").asText()).isEqualTo("+442079460001");
                assertThat(export.get("registrations")).hasSize(1);
                assertThat(export.at("/messagingControls/blockedSenders/0").asText()).isEqualTo("sip:spam@localhost");
                assertThat(texts(export.get("storedMessages"), "message")).anyMatch(m -> m.endsWith("for alice, later"))
                        .anyMatch(m -> m.endsWith("for carol, later"));
                assertThat(export.get("usageRecords")).isNotEmpty();
                assertThat(texts(export.get("xcapDocuments"), "auid")).contains("resource-lists", "pres-rules",
                        "org.openmobilealliance.user-profile", GroupUsage.AUID, GroupContentUsage.AUID);
                assertThat(texts(export.get("xcapDocuments"), "content")).anyMatch(c -> c.contains("<agenda>"));
                assertThat(export.at("/contacts/0/contacts/0/uri").asText()).isEqualTo("sip:bob@localhost");
                assertThat(export.at("/directory/listed").asBoolean()).isTrue();
                assertThat(texts(export.get("authAttempts"), "identity")).contains("ally");
                assertThat(export.toString()).doesNotContain("alice-new-secret").doesNotContainIgnoringCase("ha1");

                HttpResponse<String> deleted = server.http("DELETE", "/admin/v1/users/alice", null, ADMIN);
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

                // every subscription ends with a terminating NOTIFY, on both sides
                List<String> aliceEnded = terminations(alice, 2);
                assertThat(aliceEnded).anyMatch(s -> s.startsWith("message-summary terminated;reason=noresource"))
                        .anyMatch(s -> s.startsWith("presence terminated;reason=rejected"));
                assertThat(terminations(bob, 1)).anyMatch(s -> s.startsWith("presence terminated;reason=noresource"));

                // nothing left: admin API ...
                assertThat(server.http("GET", "/admin/v1/users/alice", null, ADMIN).statusCode()).isEqualTo(404);
                assertThat(server.admin("/admin/v1/registrations")).doesNotContain(ALICE);
                assertThat(JSON.readTree(server.admin("/admin/v1/auth-attempts?identity=ally")).get("total").asInt()).isZero();
                assertThat(JSON.readTree(server.admin("/admin/v1/usage?sender=" + ALICE)).get("total").asInt()).isZero();
                assertThat(JSON.readTree(server.admin("/admin/v1/usage?recipient=" + ALICE)).get("total").asInt()).isZero();
                assertThat(server.http("GET", "/xcap-root/resource-lists/users/sip:alice@localhost/index", null, ADMIN)
                        .statusCode()).isEqualTo(404);
                // ... and the store
                assertThat(count(jdbi, "SELECT count(*) FROM xcap_document WHERE xui = :a OR xui = 'sip:alice.club@groups.localhost'")).isZero();
                assertThat(count(jdbi, "SELECT count(*) FROM directory_profile WHERE xui = :a")).isZero();
                assertThat(count(jdbi, "SELECT count(*) FROM offline_message WHERE recipient_aor = :a OR sender = :a")).isZero();
                assertThat(count(jdbi, "SELECT count(*) FROM messaging_controls WHERE username = 'alice'")).isZero();
                assertThat(count(jdbi, "SELECT count(*) FROM registration_binding WHERE aor = :a")).isZero();
                // an attempt is a line of a block, its identity the third field (accounts AuthAttemptLines)
                assertThat(count(jdbi, "SELECT count(*) FROM auth_attempt_block WHERE LOWER(lines) LIKE '%' || CHR(9) || 'alice' || CHR(9) || '%' "
                        + "OR LOWER(lines) LIKE '%' || CHR(9) || 'ally' || CHR(9) || '%'")).isZero();
                assertThat(count(jdbi, "SELECT count(*) FROM account_identity WHERE name IN ('alice', 'ally', '+442079460001')")).isZero();
                assertThat(count(jdbi, "SELECT count(*) FROM usage_record WHERE sender = :a OR recipient = :a")).isZero();
                String pseudonym = MessagingAccountData.pseudonym(
                        new org.parley.accounts.Account(aliceId, "alice", null, Optional.empty(), List.of(), java.time.Instant.EPOCH));
                long pseudonymised = jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM usage_record WHERE sender = :p OR recipient = :p")
                        .bind("p", pseudonym).mapTo(Long.class).one());
                assertThat(pseudonymised).as("charging records kept, pseudonymised").isPositive();
                // bob's own data is his
                assertThat(count(jdbi, "SELECT count(*) FROM xcap_document WHERE xui = 'sip:bob@localhost'")).isEqualTo(1);
                // the token died with the account (the refusal is a new attempt, made after the deletion)
                assertThat(server.http("GET", "/api/v1/me/export", null, token).statusCode()).isEqualTo(401);
            }
            try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
                Registration reg = new Registration(udp, "alice");
                assertThat(reg.register("alice-new-secret", reg.contact("after"), "60", "").status()).isIn(401, 403);
            }
        }
    }

    /** GIM-9: a group alice owns, with a document in its shared folder (stored under the group's address). */
    @Test
    @DisplayName("PP2-5, RFC 6665 §4.2.2: 'parley user del' on a running server ends the account's registrations and"
            + " subscriptions at once, with terminating NOTIFYs both ways")
    void commandLineDeletionOnARunningServer() throws Exception {
        try (TestServer server = TestServer.start(dataDir, new ManualScheduler(),
                Map.of("presence.notify.min-interval-ms", "0"))) {
            server.addUser("alice", "alice-secret", null, List.of());
            server.addUser("bob", "bob-secret", null, List.of());
            try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret");
                 SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
                server.allowWatcher("alice", "alice-secret", "sip:bob@localhost");
                server.allowWatcher("bob", "bob-secret", ALICE);
                assertThat(PresenceLifecycleWireTest.subscribe(alice, "alice", "bob", "", "")).contains("sip:bob@localhost");
                assertThat(PresenceLifecycleWireTest.subscribe(bob, "bob", "alice", "", "")).contains(ALICE);
                assertThat(server.admin("/admin/v1/registrations")).contains(ALICE);

                // the command line of the same installation: its configuration (here the environment) and data directory
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of("PARLEY_HTTP_BIND_ADDRESS", "127.0.0.1",
                                "PARLEY_HTTP_PORT", String.valueOf(server.server().httpPort()),
                                "PARLEY_ADMIN_TOKEN", "test-admin-token"))
                        .run("user", "del", "alice", "--data-dir", dataDir.toString());
                assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("through the running server");

                assertThat(terminations(alice, 1)).anyMatch(s -> s.startsWith("presence terminated;reason=rejected"));
                assertThat(terminations(bob, 1)).anyMatch(s -> s.startsWith("presence terminated;reason=noresource"));
                assertThat(server.admin("/admin/v1/registrations")).doesNotContain(ALICE);
                assertThat(server.http("GET", "/admin/v1/users/alice", null, ADMIN).statusCode()).isEqualTo(404);
            }
        }
    }

    private static void ownGroupWithFolder(TestServer server) throws IOException, InterruptedException {
        Group group = new Group("sip:alice.club@groups.localhost", Optional.of("Club"),
                List.of(new Group.Member("sip:bob@localhost", Optional.empty())), OptionalInt.of(10), Group.Origin.USER,
                ALICE, Group.Membership.CLOSED, Group.ContentWrite.OWNER, Optional.empty());
        HttpResponse<String> created = server.http("PUT", "/xcap-root/org.openmobilealliance.groups/users/sip:alice@localhost/club",
                new String(XmlWriter.document(GroupXml.write(group)), StandardCharsets.UTF_8), TestServer.basic("alice", "alice-new-secret"),
                GroupUsage.MIME_TYPE);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        HttpResponse<String> folder = server.http("PUT", "/xcap-root/org.parley.group-content/users/sip:alice.club@groups.localhost/agenda",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<agenda><item>Friday</item></agenda>\n",
                TestServer.basic("alice", "alice-new-secret"), GroupContentUsage.MIME_TYPE);
        assertThat(folder.statusCode()).as(folder.body()).isIn(200, 201);
    }

    private static JsonNode exportOf(TestServer server, String token) throws Exception {
        HttpResponse<String> export = server.http("GET", "/api/v1/me/export", null, token);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        return JSON.readTree(export.body());
    }

    /** Answers NOTIFYs until one of {@code event} arrives (others may come first). */
    private static void answer(SipTestClient c, String event) throws IOException {
        for (int i = 0; i < 10; i++) {
            SipRequest n = c.receiveRequest();
            c.send(n.createResponse(200, "ok"));
            if (n.method().equals("NOTIFY") && n.header("Event").orElse("").startsWith(event)) {
                return;
            }
        }
        throw new AssertionError("no NOTIFY of " + event);
    }

    /** The next {@code n} terminating NOTIFYs as "event state", answering every request on the way. */
    private static List<String> terminations(SipTestClient c, int n) throws IOException {
        List<String> ended = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 20 && ended.size() < n; i++) {
            Optional<org.parley.sip.message.SipMessage> m = c.poll(5000);
            if (m.isEmpty()) {
                throw new AssertionError("only " + ended + " ended; received " + seen);
            }
            if (!(m.get() instanceof SipRequest r)) {
                seen.add(m.get().startLine());
                continue;
            }
            c.send(r.createResponse(200, "ok"));
            String state = r.header("Subscription-State").orElse("");
            seen.add(r.method() + " " + r.header("Event").orElse("") + " " + state);
            if (r.method().equals("NOTIFY") && state.startsWith("terminated")) {
                ended.add(r.header("Event").orElse("") + " " + state);
            }
        }
        return ended;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            return (sql.contains(":a") ? query.bind("a", ALICE) : query).mapTo(Long.class).one();
        });
    }
}
