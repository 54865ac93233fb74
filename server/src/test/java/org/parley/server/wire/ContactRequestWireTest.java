package org.parley.server.wire;

import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;

/**
 * The contact authorisation flow over the wire on the server's defaults (UC 5.1 steps 21-38,
 * UC 5.3, GU-5, RFC 3857, RFC 5025): a user adds another through the JSON API, the target is
 * told (a notice, and the watcher pending in watcher info), lists the request, approves or
 * declines; the watcher is told and its presence subscription turns active at once, or ends.
 */
@DisplayName("UC 5.1, UC 5.3, GU-5: contact requests over the wire, on defaults")
class ContactRequestWireTest {
    static TestServer server;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of("presence.notify.min-interval-ms", "0"));
        for (String u : List.of("amy", "ben", "cora", "dex")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> api(String user, String method, String path, String body) throws Exception {
        return server.http(method, "/api/v1" + path, body, TestServer.basic(user, user + "-secret"));
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** Answers every request the device gets with 200 until one that {@code wanted} matches. */
    private static SipRequest until(SipTestClient device, Predicate<SipRequest> wanted) throws IOException {
        while (true) {
            SipRequest r = device.receiveRequest();
            device.send(r.createResponse(200, "ok"));
            if (wanted.test(r)) {
                return r;
            }
        }
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static Predicate<SipRequest> notify(String state) {
        return r -> r.isMethod("NOTIFY") && r.header("Event").orElse("").startsWith("presence")
                && !r.header("Event").orElse("").startsWith("presence.winfo")
                && r.header("Subscription-State").orElse("").startsWith(state);
    }

    private static Predicate<SipRequest> notice(String text) {
        return r -> r.isMethod("MESSAGE") && body(r).contains(text);
    }

    private static void subscribe(SipTestClient c, String user, String target, String event) throws IOException {
        c.send(TrustedSender.request(c, "SUBSCRIBE", user, "sip:" + target + "@localhost",
                "Event: " + event + "\r\nExpires: 600\r\n", ""));
        SipResponse r = c.receiveResponse();
        assertThat(r.status()).as(r.startLine()).isBetween(200, 202);
    }

    @Test
    @DisplayName("request -> the target is told and lists it -> approves -> the watcher is told and its subscription is active at once")
    void requestAndApprove() throws Exception {
        try (SipTestClient ben = TrustedSender.open(server, "ben", "ben-secret");
             SipTestClient amy = TrustedSender.open(server, "amy", "amy-secret")) {
            subscribe(ben, "ben", "ben", "presence.winfo");
            until(ben, r -> r.isMethod("NOTIFY"));

            HttpResponse<String> added = api("amy", "POST", "/contacts/lists/friends/entries", "{\"contact\":\"ben\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(json(added).get("pending").asBoolean()).isTrue();
            until(ben, notice("sip:amy@localhost asks to add you"));

            subscribe(amy, "amy", "ben", "presence");
            until(amy, notify("pending"));
            SipRequest winfo = until(ben, r -> r.isMethod("NOTIFY") && body(r).contains("sip:amy@localhost"));
            assertThat(body(winfo)).contains("status=\"pending\"");

            JsonNode requests = json(api("ben", "GET", "/contacts/requests", null)).get("requests");
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).get("watcher").asText()).isEqualTo("sip:amy@localhost");
            assertThat(json(api("amy", "GET", "/contacts/requests", null)).get("requests")).isEmpty();

            HttpResponse<String> approved = api("ben", "POST", "/contacts/requests/approve", "{\"watcher\":\"amy\"}");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            SipRequest active = until(amy, notify("active"));
            assertThat(body(active)).contains("entity=\"sip:ben@localhost\"", "<basic>open</basic>");
            until(amy, notice("sip:ben@localhost accepted your contact request"));

            assertThat(json(api("amy", "GET", "/contacts", null)).at("/lists/0/contacts/0/pending").asBoolean()).isFalse();
            assertThat(json(api("ben", "GET", "/contacts/requests", null)).get("requests")).isEmpty();
        }
    }

    @Test
    @DisplayName("request -> declined -> the watcher's pending subscription ends and the watcher is told; its entry is gone")
    void requestAndDecline() throws Exception {
        try (SipTestClient dex = TrustedSender.open(server, "dex", "dex-secret");
             SipTestClient cora = TrustedSender.open(server, "cora", "cora-secret")) {
            assertThat(api("cora", "POST", "/contacts/lists/friends/entries", "{\"contact\":\"dex\"}").statusCode())
                    .isEqualTo(201);
            subscribe(cora, "cora", "dex", "presence");
            until(cora, notify("pending"));

            HttpResponse<String> declined = api("dex", "POST", "/contacts/requests/decline",
                    "{\"watcher\":\"sip:cora@localhost\"}");
            assertThat(declined.statusCode()).as(declined.body()).isEqualTo(204);
            until(cora, notify("terminated"));
            until(cora, notice("sip:dex@localhost declined your contact request"));
            assertThat(json(api("cora", "GET", "/contacts", null)).at("/lists/0/contacts")).isEmpty();
        }
    }

    @Test
    @DisplayName("RFC 9457: answering a request nobody made is 404, a missing or malformed watcher 400, each a problem document")
    void badAnswers() throws Exception {
        HttpResponse<String> none = api("dex", "POST", "/contacts/requests/approve", "{\"watcher\":\"amy\"}");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        for (String bad : List.of("{}", "{\"watcher\":\"  \"}", "not json", "{\"watcher\":[1]}")) {
            HttpResponse<String> r = api("dex", "POST", "/contacts/requests/decline", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(bad).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/problem+json"));
        }
    }
}
