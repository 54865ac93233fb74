package org.parley.messaging.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttempt;
import org.parley.messaging.store.Limits;
import org.parley.messaging.store.MessagingControls;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.messaging.http.MessagingTestServer.ALICE_PASSWORD;
import static org.parley.messaging.http.MessagingTestServer.BOB_PASSWORD;
import static org.parley.messaging.http.MessagingTestServer.assertProblem;
import static org.parley.messaging.http.MessagingTestServer.body;
import static org.parley.messaging.http.MessagingTestServer.json;

@DisplayName("PP-10, PP-11, PP2-23, UC 5.6, MO-2, PP2-17 a user manages their own messaging settings")
class MessagingUserResourceTest {
    private static final String ME = "/api/v1/me/messaging";

    private final MessagingTestServer http = new MessagingTestServer();
    private final InMemoryControlsStore store = (InMemoryControlsStore) http.stores.controls();

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> getAsAlice() {
        return http.send(http.user(ME, "alice", ALICE_PASSWORD).GET());
    }

    private HttpResponse<String> patchAsAlice(String body) {
        return http.send(json(http.user(ME, "alice", ALICE_PASSWORD), "PATCH", body));
    }

    @Test
    @DisplayName("GET shows the user's own settings and, read-only, the operator's switches (PP-10)")
    void ownSettings() {
        Limits limits = new Limits(1300, 30, 1000, 1_000_000, Set.of(), 50, 1_000_000);
        store.put("alice", new MessagingControls(true, true, Set.of("sip:carol@example.org"), false, true,
                Optional.of(limits)));

        HttpResponse<String> response = getAsAlice();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode settings = body(response);
        assertThat(settings.get("deliveryEnabled").asBoolean()).isTrue();
        assertThat(settings.get("doNotDisturb").asBoolean()).isTrue();
        assertThat(settings.get("blockedSenders")).extracting(JsonNode::asText).containsExactly("sip:carol@example.org");
        assertThat(settings.get("operatorSubmissionEnabled").asBoolean()).isFalse();
        assertThat(settings.get("operatorDeliveryEnabled").asBoolean()).isTrue();
        assertThat(settings.has("limits")).as("limits are the operator's business").isFalse();
    }

    @Test
    @DisplayName("PATCH turns delivery off (PP-11), do-not-disturb on (UC 5.6) and blocks senders (PP2-23)")
    void patchOwnSettings() {
        store.put("alice", new MessagingControls(true, false, Set.of(), false, true, Optional.empty()));

        HttpResponse<String> response = patchAsAlice("""
                {"deliveryEnabled":false,"doNotDisturb":true,
                 "blockedSenders":["sip:Bob@Example.org;transport=tcp","sips:bob@example.org","anonymous"]}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(body(response).get("blockedSenders")).extracting(JsonNode::asText)
                .containsExactly("anonymous", "sip:bob@example.org");
        assertThat(store.get("alice")).isEqualTo(new MessagingControls(false, true,
                Set.of("sip:bob@example.org", "anonymous"), false, true, Optional.empty()));

        // PP2-23 unblocking: the list is replaced as a whole.
        assertThat(patchAsAlice("{\"blockedSenders\":[\"anonymous\"]}").statusCode()).isEqualTo(200);
        assertThat(store.get("alice").blockedSenders()).containsExactly("anonymous");
        assertThat(store.get("alice").deliveryEnabled()).as("untouched").isFalse();
        assertThat(body(http.send(http.admin("/admin/v1/users/alice/messaging").GET())).get("blockedSenders"))
                .as("the operator sees the user's change").extracting(JsonNode::asText).containsExactly("anonymous");
    }

    @Test
    @DisplayName("operator switches and limits are 403 for the user, and nothing changes")
    void operatorFieldsAreForbidden() {
        for (String body : List.of("{\"operatorSubmissionEnabled\":true}", "{\"operatorDeliveryEnabled\":true}",
                "{\"limits\":null}", "{\"doNotDisturb\":true,\"operatorDeliveryEnabled\":false}")) {
            JsonNode problem = assertProblem(patchAsAlice(body), 403);
            assertThat(problem.get("detail").asText()).contains("operator");
        }
        assertThat(store.stored).isEmpty();
    }

    @Test
    @DisplayName("bad values are 400 problems")
    void invalid() {
        assertProblem(patchAsAlice("{\"blockedSenders\":[\"bob\"]}"), 400);
        assertProblem(patchAsAlice("{\"blockedSenders\":[\"sip:" + "b".repeat(BlockedSenders.MAX_LENGTH)
                + "@example.org\"]}"), 400);
        assertProblem(patchAsAlice("{\"deliveryEnabled\":null}"), 400);
        assertProblem(patchAsAlice("{\"doNotDisturb\":\"yes\"}"), 400);
        assertProblem(patchAsAlice("{\"nickname\":\"al\"}"), 400);
        assertProblem(patchAsAlice("not json"), 400);
        assertThat(store.stored).isEmpty();
    }

    @Test
    @DisplayName("a user reaches only their own settings: there is no path naming another user")
    void onlyOwnSettings() {
        assertThat(patchAsAlice("{\"doNotDisturb\":true}").statusCode()).isEqualTo(200);

        assertThat(body(http.send(http.user(ME, "bob", BOB_PASSWORD).GET())).get("doNotDisturb").asBoolean())
                .as("bob sees his own settings, not alice's").isFalse();
        assertThat(http.send(http.user("/api/v1/users/alice/messaging", "bob", BOB_PASSWORD).GET()).statusCode())
                .isEqualTo(404);
        assertThat(http.send(http.user("/api/v1/me/messaging?user=alice", "bob", BOB_PASSWORD).GET()).body())
                .contains("\"doNotDisturb\":false");
        assertThat(store.stored).containsOnlyKeys("alice");
    }

    @Nested
    @DisplayName("GS-1 the user API needs the account's own SIP credentials")
    class Authentication {
        @Test
        @DisplayName("no or wrong credentials are 401 with Digest and Basic challenges, and the attempt is recorded")
        void refused() {
            HttpResponse<String> none = http.send(http.request(ME).GET());
            assertProblem(none, 401);
            assertThat(none.headers().allValues("WWW-Authenticate"))
                    .contains("Basic realm=\"example.org\", charset=\"UTF-8\"")
                    .anyMatch(c -> c.startsWith("Digest ") && c.contains("algorithm=SHA-256"));
            assertProblem(http.send(http.user(ME, "alice", "not-" + ALICE_PASSWORD).GET()), 401);
            assertProblem(http.send(json(http.user(ME, "alice", BOB_PASSWORD), "PATCH", "{\"doNotDisturb\":true}")), 401);
            assertProblem(http.send(http.admin(ME).GET()), 401);

            List<AuthAttempt> recorded = http.attempts.list(Optional.empty(), 0, 10).items();
            assertThat(recorded).hasSize(4).allSatisfy(attempt -> {
                assertThat(attempt.door()).isEqualTo("http-user");
                assertThat(attempt.success()).isFalse();
                assertThat(attempt.reason()).doesNotContain(ALICE_PASSWORD).doesNotContain(BOB_PASSWORD);
            });
            assertThat(recorded).extracting(AuthAttempt::identity).containsOnly("", "alice");
            assertThat(store.stored).isEmpty();
        }

        @Test
        @DisplayName("the right password opens it, whatever the case of the user name")
        void accepted() {
            assertThat(getAsAlice().statusCode()).isEqualTo(200);
            assertThat(http.send(http.user(ME, "Alice", ALICE_PASSWORD).GET()).statusCode()).isEqualTo(200);
            assertThat(http.attempts.list(Optional.empty(), 0, 10).total()).isZero();
        }
    }
}
