package org.parley.xdm.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xdm.oma.InMemoryXcapDocuments;
import org.parley.xdm.oma.UserApiServer;
import org.parley.xdm.oma.UserProfileUsage;
import org.parley.xdm.usage.ietf.PresRulesUsage;
import org.parley.xdm.usage.ietf.ResourceListsUsage;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.contacts.ContactsFixture.BOB;
import static org.parley.xdm.contacts.ContactsFixture.JAN;
import static org.parley.xdm.oma.UserApiServer.body;
import static org.parley.xdm.oma.UserApiServer.json;

@DisplayName("UC 5.1, 5.9, 5.11, 5.19 /api/v1/contacts")
class ContactsResourceTest {
    private final ContactsFixture f = new ContactsFixture(new InMemoryXcapDocuments(new ResourceListsUsage(),
            new PresRulesUsage(), new UserProfileUsage()));
    private final UserApiServer http = new UserApiServer(f.database, f.accounts,
            List.of(new ContactsResource(f.contacts)));

    @AfterEach
    void stop() {
        http.close();
        f.close();
    }

    /** A request as the user; UserApiServer's convention is password = user name + "-password". */
    private HttpResponse<String> bob(String method, String path, String body) {
        return http.send(json(http.as("scubabob", path),
                method, body));
    }

    private HttpResponse<String> jan(String method, String path, String body) {
        return http.send(json(http.as("scubajan", path),
                method, body));
    }

    private static String entry(String list, String uri) {
        return "/api/v1/contacts/lists/" + list + "/entries/" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("UC 5.1 / UC 5.19 add by E.164 (PP-45) on defaults (authorisation on): the target lists the request, approves, then the watcher sees the contact")
    void addAndApprove() throws Exception {
        HttpResponse<String> added = bob("POST", "/api/v1/contacts/lists/buddies/entries",
                "{\"contact\":\"+44 20 7946 0000\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(body(added).get("uri").asText()).isEqualTo(JAN);
        assertThat(body(added).get("pending").asBoolean()).isTrue();

        JsonNode requests = body(jan("GET", "/api/v1/contacts/requests", "")).get("requests");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("watcher").asText()).isEqualTo(BOB);
        assertThat(requests.get(0).get("list").asText()).isEqualTo("buddies");
        HttpResponse<String> approved = jan("POST", "/api/v1/contacts/requests/approve",
                "{\"watcher\":\"" + BOB + "\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
        JsonNode lists = body(bob("GET", "/api/v1/contacts", "")).get("lists");
        assertThat(lists.get(0).get("contacts").get(0).get("pending").asBoolean()).isFalse();
        assertThat(jan("POST", "/api/v1/contacts/requests/approve", "{\"watcher\":\"" + BOB + "\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    @DisplayName("Modify Contact Name over HTTP: success answers the updated list, a taken name a 409 failure")
    void renameAndMove() {
        assertThat(bob("POST", "/api/v1/contacts/lists", "{\"name\":\"disco\"}").statusCode()).isEqualTo(201);
        bob("POST", "/api/v1/contacts/lists/disco/entries", "{\"contact\":\"romeo\",\"nickname\":\"Crazy-Girl\"}");
        bob("POST", "/api/v1/contacts/lists/disco/entries", "{\"contact\":\"maria\",\"nickname\":\"Curly-Top\"}");

        HttpResponse<String> renamed = bob("PATCH", entry("disco", "sip:romeo@example.org"),
                "{\"nickname\":\"Pretty-Girl\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.body()).contains("Pretty-Girl").doesNotContain("Crazy-Girl");

        HttpResponse<String> clash = bob("PATCH", entry("disco", "sip:maria@example.org"),
                "{\"nickname\":\"Pretty-Girl\"}");
        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(body(clash).get("detail").asText()).contains("already used");

        HttpResponse<String> moved = bob("PATCH", entry("disco", "sip:maria@example.org"), "{\"list\":\"friends\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(body(moved).get("lists").get(1).get("contacts").get(0).get("nickname").asText()).isEqualTo("Curly-Top");

        assertThat(bob("DELETE", entry("friends", "sip:maria@example.org"), "").statusCode()).isEqualTo(204);
        assertThat(bob("DELETE", "/api/v1/contacts/lists/friends", "").statusCode()).isEqualTo(204);
        assertThat(bob("DELETE", "/api/v1/contacts/lists/friends", "").statusCode()).isEqualTo(404);
        assertThat(bob("POST", "/api/v1/contacts/lists/x/entries", "{\"contact\":\"nobody\"}").statusCode())
                .isEqualTo(404);
        assertThat(bob("PATCH", entry("disco", "sip:romeo@example.org"), "{}").statusCode()).isEqualTo(400);
    }
}
