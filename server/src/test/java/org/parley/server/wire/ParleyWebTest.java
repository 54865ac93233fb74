package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.http.Json;
import org.parley.msrp.MsrpTransport;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Parley Web, the browser client the server serves at / (issue 12; C14, GIM-20, UC 5.19.8), used
 * like a user would in the system's headless Chromium (src/test/browser/parley-web.mjs): sign-in,
 * contacts with live presence from one list subscription (RFC 4662), PUBLISH of one's own state
 * (RFC 3903), pager chat with IMDN reports (RFC 5438) and is-typing (RFC 3994), store-and-forward
 * on return (MT-3), contact requests (UC 5.1), settings, reconnection after a restart, and bad
 * input from the page's side. Screenshots of every main screen land in target/parley-web.
 */
@DisplayName("C14, GIM-20, UC 5.19.8: Parley Web in Chromium — presence, chat with reports, requests, baresip, restart, bad input")
class ParleyWebTest {
    static final Path SHOTS = Path.of("target/parley-web");
    static final String ALICE = "alice:alice secret phrase";
    static final String BOB = "bob:bob-secret-pw";
    static final String CAROL = "carol:carol-secret-pw";

    @TempDir
    Path dir;

    @BeforeAll
    static void installOnce(@TempDir Path scratch) throws IOException, InterruptedException {
        BrowserProject.install(scratch);
    }

    @Test
    @DisplayName("GIM-20, C14: / on HTTP and HTTPS is the page, with a policy that lets it load and connect to Parley only; "
            + "/parley-web.json names the domain, the bound SIP WebSocket ports and the MSRP relay's (RFC 7977)")
    void servedAtTheRootOfBothListeners() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            HttpClient client = HttpClient.newBuilder().sslContext(TrustedCertificate.context(server.dataDir())).build();
            for (String base : List.of("http://127.0.0.1:" + server.server().httpPort(),
                    "https://127.0.0.1:" + server.server().httpsPort())) {
                HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).as(base).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
                assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'");
                assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">").doesNotContain("http://", "https://");
                String etag = page.headers().firstValue("ETag").orElseThrow();
                HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).isEqualTo(304);
                HttpResponse<String> config = client.send(HttpRequest.newBuilder(URI.create(base + "/parley-web.json")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(config.body()).isEqualTo("{\"domain\":\"localhost\",\"wsPort\":" + server.sipPort(Transport.WS)
                        + ",\"wssPort\":" + server.sipPort(Transport.WSS) + ",\"msrpWsPort\":-1,\"msrpWssPort\":"
                        + server.server().msrpPort(MsrpTransport.WSS) + ",\"msrpWsLoopback\":true}");
                // the page never takes the place of the server's own routes
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).contains("\"status\"");
            }
            assertThat(server.admin("/admin/v1/openapi.json")).contains("\"/parley-web.json\"", "\"parleyWebConfig\"");
        }
    }

    @Test
    @DisplayName("GIM-1, PP-4, PP-13, MT-3, RFC 5438, RFC 3994: two browsers see each other online, type, chat both ways with "
            + "delivery and read reports, see away/appear offline/busy, get what came while offline in order; hostile and "
            + "oversized messages, do-not-disturb, a phone-sized screen; no request leaves the server")
    void twoBrowsersChat() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            befriend(server, ALICE, BOB);
            try (WebRun run = WebRun.start("chat", base(server), SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Available\"}",
                        "{\"event\":\"contact\",\"user\":\"bob\",\"contact\":\"alice\",\"label\":\"ally, Available\"}",
                        "{\"event\":\"typing\",\"user\":\"bob\",\"text\":\"ally is typing…\"}",
                        "{\"event\":\"received\",\"user\":\"bob\",\"text\":\"Hello bob 👋 — grüße, 你好 https://example\"}",
                        "{\"event\":\"link\",\"user\":\"bob\",\"href\":\"https://example.org/a?b=1\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Hello bob 👋 — grüße, 你好 https://example\",\"status\":\"Read\"}",
                        "{\"event\":\"received\",\"user\":\"alice\",\"text\":\"Hi alice, read you\"}",
                        "{\"event\":\"status\",\"user\":\"bob\",\"text\":\"Hi alice, read you\",\"status\":\"Read\"}",
                        "{\"event\":\"received\",\"user\":\"bob\",\"text\":\"<img src=x onerror=\\\"window.pwned=1\\\"><scr\"}",
                        "{\"event\":\"hostile\",\"user\":\"bob\",\"pwned\":null,\"elements\":0}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"" + "x".repeat(40)
                                + "\",\"status\":\"Not sent: the message is too long\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Away, At lunch <b>🍜</b>\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Offline\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Busy\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Offline\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"First while you were away\",\"status\":\"Sent (waiting\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Second while you were away\",\"status\":\"Sent (waiting\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Third while you were away\",\"status\":\"Sent (waiting\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"offline-delivery\",\"user\":\"bob\",\"messages\":[\"First while you were away\","
                                + "\"Second while you were away\",\"Third while you were away\"]}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Third while you were away\",\"status\":\"Read\"}",
                        "{\"event\":\"settings-saved\",\"user\":\"bob\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Are you there?\",\"status\":\"Not sent: they do not take messages\"}",
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Available\"}",
                        "{\"event\":\"phone\",\"overflow\":false,\"contactsHidden\":true}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
            // what the page saved is what the user API now says
            assertThat(server.http("GET", "/api/v1/me/messaging", null, TestServer.basic("bob", "bob-secret-pw")).body())
                    .contains("\"doNotDisturb\":true");
        }
    }

    @Test
    @DisplayName("UC 5.1, UC 5.3, UC 5.9, UC 5.11, GU-5, RFC 7118 over WSS: a contact request by alias from one browser, "
            + "accepted in the other; the requester sees waiting for approval, then the contact online, renames it (markup "
            + "shown as text) and moves it to a new list; a message from someone on no list is listed apart; blocking "
            + "(PP2-23) refuses the next message with a clear word")
    void contactRequestBetweenTwoBrowsersOverHttps() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            try (WebRun run = WebRun.start("request", "https://127.0.0.1:" + server.server().httpsPort() + "/", SHOTS,
                    dir.resolve("profile"), ALICE, CAROL)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"carol\"}",
                        "{\"event\":\"contact\",\"user\":\"carol\",\"contact\":\"alice\",\"label\":\"ally, Waiting for approval\"}",
                        "{\"event\":\"request\",\"user\":\"alice\",\"text\":\"carol@localhost wants to add you\"}",
                        "{\"event\":\"contact\",\"user\":\"carol\",\"contact\":\"alice\",\"label\":\"ally, Available\"}",
                        "{\"event\":\"contact\",\"user\":\"carol\",\"contact\":\"alice\",\"label\":\"Alice <i>A.</i>, Available\"}",
                        "{\"event\":\"contact\",\"user\":\"carol\",\"contact\":\"alice\",\"label\":\"Alice <i>A.</i>, Available\"}",
                        "{\"event\":\"peer\",\"user\":\"carol\",\"name\":\"Alice <i>A.</i>\",\"markup\":0}",
                        "{\"event\":\"received\",\"user\":\"alice\",\"text\":\"Thanks for accepting\"}",
                        "{\"event\":\"status\",\"user\":\"carol\",\"text\":\"Thanks for accepting\",\"status\":\"Read\"}",
                        "{\"event\":\"blocked\",\"user\":\"carol\",\"text\":\"Messages from sip:alice@localhost are blocked "
                                + "(Settings lists blocked senders).\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Can you still hear me?\",\"status\":"
                                + "\"Not sent: refused (Decline)\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
            assertThat(server.http("GET", "/api/v1/me/messaging", null, TestServer.basic("carol", "carol-secret-pw")).body())
                    .contains("\"blockedSenders\":[\"sip:alice@localhost\"]");
            assertThat(server.admin("/admin/v1/registrations?aor=sip:alice@localhost")).contains("\"transport\":\"WSS\"");
        }
    }

    @Test
    @DisplayName("UC 5.1: a contact request declined in one browser; on the requester's page the contact leaves the list "
            + "and the server's notice says who declined")
    void contactRequestDeclined() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            try (WebRun run = WebRun.start("decline", base(server), SHOTS, dir.resolve("profile"), ALICE, CAROL)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"carol\"}",
                        "{\"event\":\"contact\",\"user\":\"carol\",\"contact\":\"alice\",\"label\":\"ally, Waiting for approval\"}",
                        "{\"event\":\"declined\",\"user\":\"alice\",\"text\":\"Declined sip:carol@localhost.\"}",
                        "{\"event\":\"contacts\",\"user\":\"carol\",\"labels\":[\"parley@localhost, Not in your contacts, 1 unread\"]}",
                        "{\"event\":\"notice\",\"user\":\"carol\",\"texts\":[\"sip:alice@localhost declined your contact request.\"]}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("PP2-5, issue 12: the user's data export, downloaded by the browser from the settings, is the account's "
            + "JSON document: the account, its contact lists and its messaging settings")
    void dataExportDownloaded() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            befriend(server, ALICE, BOB);
            Path profile = dir.resolve("profile");
            try (WebRun run = WebRun.start("export", base(server), SHOTS, profile, ALICE)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"export\",\"user\":\"alice\",\"status\":\"Your data was downloaded.\"}",
                        "{\"event\":\"downloaded\",\"user\":\"alice\",\"files\":[\"parley-alice.json\"]}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
            JsonNode export = Json.mapper().readTree(Files.readString(profile.resolve("downloads/parley-alice.json")));
            JsonNode api = Json.mapper().readTree(server.http("GET", "/api/v1/me/export", null,
                    TestServer.basic("alice", "alice secret phrase")).body());
            assertThat(export.toString()).contains("\"username\":\"alice\"", "sip:bob@localhost", "ally");
            assertThat(fieldNames(export)).isEqualTo(fieldNames(api));
        }
    }

    @Test
    @DisplayName("Issue 12 (desktop notifications): with the permission granted over the DevTools protocol, a message that "
            + "comes while the tab is hidden makes the browser construct a Notification naming the sender, with the text "
            + "as text; one that comes while the user looks does not")
    void desktopNotificationWhenHidden() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            befriend(server, ALICE, BOB);
            try (WebRun run = WebRun.start("notify", base(server), SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Available\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"While you look\",\"status\":\"Delivered\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"While you are away <b>now</b>\",\"status\":\"Delivered\"}",
                        "{\"event\":\"notifications\",\"user\":\"bob\",\"permission\":\"granted\",\"shown\":[{\"title\":"
                                + "\"ally\",\"body\":\"While you are away <b>now</b>\"}]}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("GIM-1, PP-13: a browser user and baresip see each other online, exchange a MESSAGE each way (plain text "
            + "to a client that writes plain text), and the browser sees baresip go offline")
    void browserAndBaresip() throws Exception {
        String binary = ExternalTool.find("baresip", "baresip");
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            server.allowWatcher("alice", "alice secret phrase", "sip:bob@localhost");
            befriend(server, ALICE, BOB);
            try (Baresip bob = Baresip.start(binary, dir.resolve("bob"), "bob", "bob-secret-pw", "alice",
                    server.sipPort(Transport.UDP));
                 WebRun run = WebRun.start("baresip", base(server), SHOTS, dir.resolve("profile"), ALICE)) {
                bob.await("bob@localhost: {0/UDP/v4} 200 OK () [1 binding]");
                run.awaitRequest("baresip-message");
                bob.awaitContact("Online");
                bob.message("Hello alice, from baresip");
                run.proceed();
                run.awaitRequest("baresip-quit");
                bob.awaitRequest("MESSAGE", "Hello baresip, from the browser");
                bob.close();
                run.proceed();
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).contains(
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Available\"}",
                        "{\"event\":\"received\",\"user\":\"alice\",\"text\":\"Hello alice, from baresip\"}",
                        "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Hello baresip, from the browser\",\"status\":\"Delivered\"}",
                        "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Offline\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("UC 5.17, PP-27, PP-28, PP-29, PP-31, PP-39, MU-6, GIM-20: in two browsers, one creates a public room, the "
            + "other finds it in the directory and joins (a malformed screen name refused with a clear word first); both "
            + "write to the room over MESSAGE and see the sender's screen name, markup shown as text; the room's copies "
            + "stay out of the person-to-person conversations; signed in again, the room's history is read on opening "
            + "(their own message as theirs); leaving is told to the other member; PP-30: invited to two rooms, the user "
            + "declines one and accepts the other, where a member is shown by screen name and address")
    void publicRoomInTwoBrowsers() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            try (WebRun run = WebRun.start("rooms", base(server), SHOTS, dir.resolve("profile"), ALICE, BOB)) {
                run.awaitRequest("invite");
                invite(server, ALICE, "team", "bob");
                HttpResponse<String> side = server.http("POST", "/api/v1/rooms", "{\"name\":\"side\"}",
                        TestServer.basic("carol", "carol-secret-pw"));
                assertThat(side.statusCode()).as(side.body()).isEqualTo(201);
                invite(server, CAROL, "side", "bob");
                run.proceed();
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"room-open\",\"user\":\"alice\",\"about\":\"Public room — you are Alice_A\","
                                + "\"status\":\"Room lobby created: you are its administrator.\"}",
                        "{\"event\":\"directory\",\"user\":\"bob\",\"text\":\"lobby (1 member)\"}",
                        "{\"event\":\"join\",\"user\":\"bob\",\"status\":\"Not joined: A screen name is 1-32 letters, "
                                + "digits, '.', '_' or '-'\"}",
                        "{\"event\":\"join\",\"user\":\"bob\",\"status\":\"You joined lobby as Bobby.\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"Bobby joined\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"Bobby\",\"text\":"
                                + "\"Hello lobby <script>window.pwned=1</scri\"}",
                        "{\"event\":\"room-sent\",\"user\":\"bob\",\"text\":\"Hello lobby <script>window.pwned=1</scri\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"Alice_A\",\"text\":\"Welcome, Bobby\"}",
                        "{\"event\":\"markup\",\"user\":\"alice\",\"pwned\":null,\"elements\":0}",
                        "{\"event\":\"conversations\",\"user\":\"alice\",\"people\":0}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"While you were out\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"history\",\"user\":\"bob\",\"messages\":[\"You: Hello lobby "
                                + "<script>window.pwned=1</script> 👋\",\"Alice_A: Welcome, Bobby\",\"Alice_A: While you were out\"]}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"Bobby left\"}",
                        "{\"event\":\"await\",\"what\":\"invite\"}",
                        "{\"event\":\"invitations\",\"user\":\"bob\",\"texts\":[\"side (from carol@localhost)\","
                                + "\"team (from alice@localhost)\"]}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"bob (sip:bob@localhost) joined\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"Alice_A (sip:alice@localhost)\","
                                + "\"text\":\"Team talk\"}",
                        "{\"event\":\"rooms\",\"user\":\"bob\",\"labels\":[\"Room team\"]}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
            // what the pages did is what the rooms API now says: alice alone in lobby, which keeps the history;
            // bob's declined invitation is gone
            assertThat(server.http("GET", "/api/v1/me/invitations", null, TestServer.basic("bob", "bob-secret-pw")).body())
                    .isEqualTo("{\"invitations\":[]}");
            String history = server.http("GET", "/api/v1/rooms/lobby/history", null,
                    TestServer.basic("alice", "alice secret phrase")).body();
            assertThat(history).contains("\"sender\":\"Bobby\"", "\"text\":\"While you were out\"");
            assertThat(server.http("GET", "/api/v1/rooms/lobby", null, TestServer.basic("alice", "alice secret phrase")).body())
                    .contains("\"memberCount\":1");
        }
    }

    @Test
    @DisplayName("UC 5.17, PP-27, PP-29, PP-31, PP-32 (interop): a public room created in the browser; baresip joins it as a "
            + "pager member with #join; the browser sees baresip's message under its screen name, and baresip gets the "
            + "browser's from the room's URI with the browser user's screen name as display name")
    void roomWithBrowserAndBaresip() throws Exception {
        String binary = ExternalTool.find("baresip", "baresip");
        String room = "sip:room_pier@groups.localhost";
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            try (Baresip carol = Baresip.start(binary, dir.resolve("carol"), "carol", "carol-secret-pw", room,
                    server.sipPort(Transport.UDP));
                 WebRun run = WebRun.start("room-baresip", base(server), SHOTS, dir.resolve("profile"), ALICE)) {
                carol.await("carol@localhost: {0/UDP/v4} 200 OK () [1 binding]");
                run.awaitRequest("baresip-join");
                carol.message("#join Carol");
                carol.awaitRequest("MESSAGE", "Welcome to pier as Carol");
                run.proceed();
                run.awaitRequest("baresip-message");
                carol.message("Hello pier, from baresip");
                run.proceed();
                run.awaitRequest("baresip-received");
                carol.awaitRequest("MESSAGE", "Hello baresip, from the browser");
                assertThat(carol.output()).contains("\"Alice_A\" <" + room + ">");
                run.proceed();
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"await\",\"what\":\"baresip-join\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"Carol joined\"}",
                        "{\"event\":\"await\",\"what\":\"baresip-message\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"Carol\",\"text\":"
                                + "\"Hello pier, from baresip\"}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"Hello baresip, from the browser\"}",
                        "{\"event\":\"await\",\"what\":\"baresip-received\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("C1, RFC 7118, RFC 3903: the server restarts under a signed-in page: it says the connection was lost, "
            + "reconnects, registers, publishes and subscribes again, gets a new token, and chats")
    void reconnectsAfterTheServerRestarts() throws Exception {
        Path data = dir.resolve("server");
        TestServer first = TestServer.start(data, new SystemScheduler(), Map.of());
        Map<String, String> samePorts = Map.of("http.port", String.valueOf(first.server().httpPort()),
                "https.port", String.valueOf(first.server().httpsPort()),
                "sip.ws.port", String.valueOf(first.sipPort(Transport.WS)),
                "sip.wss.port", String.valueOf(first.sipPort(Transport.WSS)));
        String base = base(first);
        addUsers(first);
        befriend(first, ALICE, BOB);
        TestServer second = null;
        try (WebRun run = WebRun.start("restart", base, SHOTS, dir.resolve("profile"), ALICE, BOB)) {
            run.awaitRequest("restart");
            first.close();
            run.proceed();
            run.awaitRequest("started");
            second = TestServer.start(data, new SystemScheduler(), samePorts);
            run.proceed();
            List<String> lines = run.finish();
            assertThat(run.exitCode()).as(run.transcript()).isZero();
            assertThat(lines).as(run.transcript()).containsSubsequence(
                    "{\"event\":\"banner\",\"user\":\"alice\",\"text\":\"The connection to the server was lost. Reconnecting…\"}",
                    "{\"event\":\"reconnected\",\"user\":\"alice\"}",
                    "{\"event\":\"contact\",\"user\":\"alice\",\"contact\":\"bob\",\"label\":\"bob, Available\"}",
                    "{\"event\":\"status\",\"user\":\"alice\",\"text\":\"Back after the restart\",\"status\":\"Delivered\"}",
                    "{\"event\":\"external-requests\",\"urls\":[]}");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    @DisplayName("Issue 12, PP2-5: a session whose password was changed elsewhere ends at the next action with a clear message")
    void sessionEndsWhenThePasswordChanges() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            try (WebRun run = WebRun.start("session", base(server), SHOTS, dir.resolve("profile"), ALICE)) {
                run.awaitRequest("change-password");
                HttpResponse<String> changed = server.http("POST", "/api/v1/me/password",
                        "{\"currentPassword\":\"alice secret phrase\",\"newPassword\":\"another secret phrase\"}",
                        TestServer.basic("alice", "alice secret phrase"));
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
                run.proceed();
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).contains("{\"event\":\"session-ended\",\"user\":\"alice\",\"text\":"
                        + "\"Your session has ended (the password was changed?). Sign in again.\"}");
            }
        }
    }

    @Test
    @DisplayName("Issue 12, RFC 6750: with two-second tokens the page renews them; after five seconds the user API still answers it")
    void shortTokensAreRenewed() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(),
                Map.of("http.user-token-seconds", "2"))) {
            addUsers(server);
            try (WebRun run = WebRun.start("renew", base(server), SHOTS, dir.resolve("profile"), ALICE)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).contains(
                        "{\"event\":\"settings-loaded\",\"user\":\"alice\",\"signedIn\":true}");
            }
        }
    }

    @Test
    @DisplayName("RFC 3863, RFC 4480, RFC 4662, RFC 3862, RFC 5438, RFC 3994: the page's parsers in Chromium, well-formed and "
            + "malformed documents (truncated XML, no boundary, a missing part, an external entity, no CPIM headers): "
            + "never an exception, nothing made up")
    void pageParsersTakeMalformedInput() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            try (WebRun run = WebRun.start("parsers", base(server), SHOTS, dir.resolve("profile"))) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"parsed\",\"kind\":\"pidf\",\"outcomes\":[{\"state\":\"available\",\"note\":\"\"},"
                                + "{\"state\":\"busy\",\"note\":\"in a meeting\"},{\"state\":\"offline\",\"note\":\"\"},"
                                + "{\"state\":\"offline\",\"note\":\"\"},{\"state\":\"offline\",\"note\":\"\"},"
                                + "{\"state\":\"offline\",\"note\":\"\"}]}",
                        "{\"event\":\"parsed\",\"kind\":\"list\",\"outcomes\":[{\"fullState\":true,\"resources\":{"
                                + "\"sip:a@x\":{\"state\":\"available\",\"note\":\"\"},\"sip:b@x\":{\"state\":\"pending\",\"note\":\"\"},"
                                + "\"sip:c@x\":{\"state\":\"offline\",\"note\":\"\"}}},{\"fullState\":false,\"resources\":{}},"
                                + "{\"fullState\":false,\"resources\":{}},{\"fullState\":false,\"resources\":{}},"
                                + "{\"fullState\":false,\"resources\":{}}]}",
                        "{\"event\":\"parsed\",\"kind\":\"cpim\",\"outcomes\":[{\"id\":\"m1\",\"notify\":[\"positive-delivery\","
                                + "\"display\"],\"contentType\":\"text/plain\",\"content\":\"hi\\r\\nthere\",\"report\":null,\"from\":\"<sip:a@x>\",\"to\":null,\"dateTime\":null},"
                                + "{\"id\":\"m2\",\"notify\":[],\"contentType\":\"message/imdn+xml\",\"content\":\"<imdn xmlns=\\\"urn:ietf:params:xml:ns:imdn\\\">"
                                + "<message-id>m1</message-id><display-notification><status><displayed/></status></display-notification></imdn>\","
                                + "\"report\":{\"id\":\"m1\",\"status\":\"displayed\"},\"from\":\"<sip:a@x>\",\"to\":null,\"dateTime\":null},{\"id\":null,\"notify\":[],\"contentType\":"
                                + "\"message/imdn+xml\",\"content\":\"<imdn><message-id>broken\",\"report\":null,\"from\":\"<sip:a@x>\",\"to\":null,\"dateTime\":null},null,{\"id\":null,"
                                + "\"notify\":[],\"contentType\":\"text/plain\",\"content\":\"\",\"report\":null,\"from\":null,\"to\":null,\"dateTime\":null}]}",
                        "{\"event\":\"parsed\",\"kind\":\"composing\",\"outcomes\":[{\"active\":true,\"refresh\":30},"
                                + "{\"active\":false,\"refresh\":120},{\"active\":true,\"refresh\":120},null,null]}",
                        "{\"event\":\"parsed\",\"kind\":\"roundTrip\",\"outcomes\":{\"state\":\"away\",\"note\":"
                                + "\"back <soon> & \\\"then\\\"\"}}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("GS-4: wrong passwords get a clear message that does not say which part was wrong, then the guard refuses")
    void wrongPasswordsMeetTheGuard() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of(
                "auth.failures-before-delay", "2", "auth.failures-before-block", "3", "auth.first-delay-ms", "100"))) {
            addUsers(server);
            try (WebRun run = WebRun.start("guard", base(server), SHOTS, dir.resolve("profile"), ALICE)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                List<String> refusals = lines.stream().filter(l -> l.startsWith("{\"event\":\"refused\"")).toList();
                assertThat(refusals).as(run.transcript()).startsWith(
                        "{\"event\":\"refused\",\"user\":\"alice\",\"text\":\"Wrong user name or password.\"}");
                assertThat(refusals.getLast()).isEqualTo("{\"event\":\"refused\",\"user\":\"alice\",\"text\":"
                        + "\"Too many failed sign-ins from here. Wait a little and try again.\"}");
            }
            assertThat(server.admin("/admin/v1/auth-attempts?identity=alice")).contains("http-user");
        }
    }

    static String base(TestServer server) {
        return "http://127.0.0.1:" + server.server().httpPort() + "/";
    }

    static void addUsers(TestServer server) {
        server.addUser("alice", "alice secret phrase", null, List.of("ally"));
        server.addUser("bob", "bob-secret-pw", null, List.of());
        server.addUser("carol", "carol-secret-pw", null, List.of());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** {@code invitee} invited to {@code room} by {@code inviter} ("user:password") through the rooms API (PP-30). */
    private static void invite(TestServer server, String inviter, String room, String invitee)
            throws IOException, InterruptedException {
        String[] by = inviter.split(":", 2);
        HttpResponse<String> invited = server.http("POST", "/api/v1/rooms/" + room + "/invitations",
                "{\"user\":\"" + invitee + "\"}", TestServer.basic(by[0], by[1]));
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
    }

    /** Each on the other's contact list, each request approved (UC 5.1) through the user API. */
    static void befriend(TestServer server, String a, String b) throws IOException, InterruptedException {
        String[] first = a.split(":", 2);
        String[] second = b.split(":", 2);
        for (String[][] pair : List.of(new String[][] {first, second}, new String[][] {second, first})) {
            String[] asker = pair[0];
            String[] target = pair[1];
            HttpResponse<String> added = server.http("POST", "/api/v1/contacts/lists/friends/entries",
                    "{\"contact\":\"" + target[0] + "\"}", TestServer.basic(asker[0], asker[1]));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            if (added.body().contains("\"pending\":true")) {
                HttpResponse<String> approved = server.http("POST", "/api/v1/contacts/requests/approve",
                        "{\"watcher\":\"" + asker[0] + "\"}", TestServer.basic(target[0], target[1]));
                assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            }
        }
    }
}
