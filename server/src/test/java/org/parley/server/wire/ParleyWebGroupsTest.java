package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Parley Web's group chats (issue 12 over the "Group chat" issue): an XDM group's chat between two
 * browsers and baresip, an ad-hoc group chat between four browsers, and an open page keeping its
 * relay grant — each driven through the page's own controls (src/test/browser/groups.mjs). The
 * pages are loaded over plain HTTP, so their MSRP goes over the plain WebSocket listeners, which
 * listen on loopback by default (issue 12: sessions from http://localhost out of the box).
 */
@DisplayName("Issue 12, GIM-4, UC 5.4, UC 5.7, UC 5.8, RFC 4976 §5: group chats in Parley Web")
class ParleyWebGroupsTest {
    private static final String DAVE = "dave:dave-secret-pw";
    private static final String GROUP = "sip:alice.crew@groups.localhost";

    @TempDir
    Path dir;

    @BeforeAll
    static void installOnce(@TempDir Path scratch) throws IOException, InterruptedException {
        BrowserProject.install(scratch);
    }

    @Test
    @DisplayName("UC 5.7, UC 5.8, GIM-7: alice creates an XDM group of two contacts from the page (XCAP); her message "
            + "reaches bob's page, which lists the group when it speaks, and carol's baresip; baresip's reaches both pages "
            + "under carol's address; bob joins by session (INVITE with MSRP to the group's URI, RFC 4975, RFC 7977) and "
            + "both ways reach everybody; GET /api/v1/groups lists the group for its members only")
    void xdmGroupWithTwoBrowsersAndBaresip() throws Exception {
        String binary = ExternalTool.find("baresip", "baresip");
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), TestServer.PLAIN_MSRP_WS)) {
            ParleyWebTest.addUsers(server);
            ParleyWebTest.befriend(server, ParleyWebTest.ALICE, ParleyWebTest.BOB);
            ParleyWebTest.befriend(server, ParleyWebTest.ALICE, ParleyWebTest.CAROL);
            try (Baresip carol = Baresip.start(binary, dir.resolve("carol"), "carol", "carol-secret-pw", GROUP,
                    server.sipPort(Transport.UDP));
                 WebRun run = WebRun.start("xdm-group", ParleyWebTest.base(server), ParleyWebTest.SHOTS,
                         dir.resolve("profile"), ParleyWebTest.ALICE, ParleyWebTest.BOB)) {
                carol.await("carol@localhost: {0/UDP/v4} 200 OK () [1 binding]");
                run.awaitRequest("group-created");
                assertThat(groups(server, "carol", "carol-secret-pw")).contains("\"uri\":\"" + GROUP + "\"",
                        "\"displayName\":\"The Crew\"", "\"mine\":false", "\"owner\":\"sip:alice@localhost\"");
                assertThat(groups(server, "alice", "alice secret phrase")).contains("\"mine\":true");
                run.proceed();
                run.awaitRequest("baresip-message");
                carol.awaitRequest("MESSAGE", "Hello crew");
                assertThat(carol.output()).contains("\"sip:alice@localhost\" <" + GROUP + ">");
                carol.message("Hi from baresip");
                run.proceed();
                run.awaitRequest("baresip-received");
                carol.awaitRequest("MESSAGE", "Bob over MSRP");
                carol.awaitRequest("MESSAGE", "To the session <b>too</b>");
                run.proceed();
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"about\",\"user\":\"alice\",\"title\":\"The Crew\",\"about\":\"XDM group — your group — 2 members\"}",
                        "{\"event\":\"groups\",\"user\":\"alice\",\"groups\":[\"Group The Crew\"]}",
                        "{\"event\":\"await\",\"what\":\"group-created\"}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"Hello crew 👋\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"sip:alice@localhost\",\"text\":\"Hello crew 👋\"}",
                        "{\"event\":\"about\",\"user\":\"bob\",\"title\":\"The Crew\",\"about\":\"XDM group — alice@localhost's group — 2 members\"}",
                        "{\"event\":\"await\",\"what\":\"baresip-message\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"sip:carol@localhost\",\"text\":\"Hi from baresip\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"sip:carol@localhost\",\"text\":\"Hi from baresip\"}",
                        "{\"event\":\"room-notice\",\"user\":\"bob\",\"text\":\"In session with the group chat: its messages come over MSRP.\"}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"To the session <b>too</b>\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"sip:alice@localhost\",\"text\":\"To the session <b>too</b>\"}",
                        "{\"event\":\"room-sent\",\"user\":\"bob\",\"text\":\"Bob over MSRP\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"sip:bob@localhost\",\"text\":\"Bob over MSRP\"}",
                        "{\"event\":\"await\",\"what\":\"baresip-received\"}",
                        "{\"event\":\"room-notice\",\"user\":\"bob\",\"text\":\"You left the room's session: its messages come as pager "
                                + "messages again.\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
            assertThat(groups(server, "dave-less", "no password")).isEqualTo("401");
        }
    }

    @Test
    @DisplayName("GIM-4, UC 5.4, RFC 5366, RFC 4579 §5.5, RFC 3515: alice starts a group chat with two contacts from the "
            + "page (INVITE to sip:adhoc_chat@groups.localhost, multipart with the URI list); both pages show the "
            + "invitation as a group chat and join by session; everybody reads everybody; alice adds dave by REFER "
            + "(method=INVITE), who accepts and is read by all; carol leaves with BYE and the others see it")
    void adHocChatWithAParticipantAddedByRefer() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), TestServer.PLAIN_MSRP_WS)) {
            ParleyWebTest.addUsers(server);
            server.addUser("dave", "dave-secret-pw", null, List.of());
            ParleyWebTest.befriend(server, ParleyWebTest.ALICE, ParleyWebTest.BOB);
            ParleyWebTest.befriend(server, ParleyWebTest.ALICE, ParleyWebTest.CAROL);
            try (WebRun run = WebRun.start("adhoc-chat", ParleyWebTest.base(server), ParleyWebTest.SHOTS,
                    dir.resolve("profile"), ParleyWebTest.ALICE, ParleyWebTest.BOB, ParleyWebTest.CAROL, DAVE)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                String accepted = "\",\"text\":\"Leave the group chat\",\"leaveHidden\":true}";
                String invitation = "\",\"text\":\"Group chat: Lunch plans (from alice@localhost)\"}";
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"signed-in\",\"user\":\"carol\"}",
                        "{\"event\":\"signed-in\",\"user\":\"dave\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"In session with the group chat: its messages come over MSRP.\"}",
                        "{\"event\":\"about\",\"user\":\"alice\",\"title\":\"Lunch plans\",\"about\":\"Group chat — you are alice (sip:alice@localhost)\"}",
                        "{\"event\":\"add-form\",\"user\":\"alice\",\"shown\":true}",
                        "{\"event\":\"invitation\",\"user\":\"bob" + invitation,
                        "{\"event\":\"room-notice\",\"user\":\"bob\",\"text\":\"In session with the group chat: its messages come over MSRP.\"}",
                        "{\"event\":\"session-button\",\"user\":\"bob" + accepted,
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"bob (sip:bob@localhost) joined\"}",
                        "{\"event\":\"invitation\",\"user\":\"carol" + invitation,
                        "{\"event\":\"room-notice\",\"user\":\"carol\",\"text\":\"In session with the group chat: its messages come over MSRP.\"}",
                        "{\"event\":\"session-button\",\"user\":\"carol" + accepted,
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"carol (sip:carol@localhost) joined\"}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"Where shall we eat? 🍜\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"alice (sip:alice@localhost)\",\"text\":\"Where shall we eat? 🍜\"}",
                        "{\"event\":\"room-received\",\"user\":\"carol\",\"sender\":\"alice (sip:alice@localhost)\",\"text\":\"Where shall we eat? 🍜\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"bob (sip:bob@localhost)\",\"text\":\"Noodles!\"}",
                        "{\"event\":\"room-received\",\"user\":\"carol\",\"sender\":\"bob (sip:bob@localhost)\",\"text\":\"Noodles!\"}",
                        "{\"event\":\"refer\",\"user\":\"alice\",\"status\":\"dave is invited.\"}",
                        "{\"event\":\"invitation\",\"user\":\"dave" + invitation,
                        "{\"event\":\"room-notice\",\"user\":\"dave\",\"text\":\"In session with the group chat: its messages come over MSRP.\"}",
                        "{\"event\":\"session-button\",\"user\":\"dave" + accepted,
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"dave (sip:dave@localhost)\",\"text\":\"Count me in\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"dave (sip:dave@localhost)\",\"text\":\"Count me in\"}",
                        "{\"event\":\"room-received\",\"user\":\"carol\",\"sender\":\"dave (sip:dave@localhost)\",\"text\":\"Count me in\"}",
                        "{\"event\":\"room-notice\",\"user\":\"carol\",\"text\":\"You left the group chat.\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"carol (sip:carol@localhost) left\"}",
                        "{\"event\":\"composer\",\"user\":\"carol\",\"disabled\":true}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("RFC 4976 §5, issue 12: a page over plain HTTP on the server's machine reaches the relay over the plain "
            + "MSRP WebSocket (msrp.ws.port, bound to loopback) and, with 12-second grants, AUTHs again on the same "
            + "connection before each grant ends, unasked; its session goes on")
    void openPageRenewsItsRelayGrant() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(),
                Map.of("msrp.auth.default-expires", "12", "msrp.auth.min-expires", "10", "msrp.ws.port", "0",
                        "msrp.endpoint.ws.port", "0"))) {
            ParleyWebTest.addUsers(server);
            ParleyWebTest.befriend(server, ParleyWebTest.ALICE, ParleyWebTest.BOB);
            try (WebRun run = WebRun.start("grant-refresh", ParleyWebTest.base(server), ParleyWebTest.SHOTS,
                    dir.resolve("profile"), ParleyWebTest.ALICE)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"In session with the group chat: its messages come over MSRP.\"}",
                        "{\"event\":\"relay-socket\",\"scheme\":\"ws:\",\"host\":\"127.0.0.1\"}",
                        "{\"event\":\"grants\",\"expires\":12,\"renewedBeforeEnd\":true,\"auths\":true}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"Still here\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }

    @Test
    @DisplayName("RFC 4579 §3, RFC 3420, RFC 5366, RFC 4826: the page's readers of a focus's Contact and of a REFER "
            + "NOTIFY's sipfrag, fed well-formed and malformed input in Chromium, and its writers of the URI list and the "
            + "group document, fed hostile addresses and names, which stay text in well-formed XML")
    void pageParsersOfGroupChats() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of());
             WebRun run = WebRun.start("group-parsers", ParleyWebTest.base(server), ParleyWebTest.SHOTS, dir.resolve("profile"))) {
            List<String> lines = run.finish();
            assertThat(run.exitCode()).as(run.transcript()).isZero();
            assertThat(lines).as(run.transcript()).containsExactly(
                    "{\"event\":\"parsed\",\"rooms\":[{\"name\":\"adhoc-5f3a\",\"user\":\"room_adhoc-5f3a\"},"
                            + "{\"name\":\"lunch\",\"user\":\"room_lunch\"},{\"name\":\"x\",\"user\":\"room_x\"},"
                            + "null,null,null,null,null,null,null,null],"
                            + "\"statuses\":[200,100,403,null,null,null,null,null,null],"
                            + "\"multipart\":{\"type\":true,\"parts\":4,\"closed\":true,\"disposition\":true},"
                            + "\"list\":[\"sip:bob@localhost\",\"sip:\\\"><script>x</script>@evil\",\"sip:a&b@localhost\"],"
                            + "\"group\":{\"name\":\"The </display-name> & <b>Crew</b>\",\"members\":3}}",
                    "{\"event\":\"external-requests\",\"urls\":[]}");
        }
    }

    /** GET /api/v1/groups as a user: the body, or the status when it is not 200. */
    private static String groups(TestServer server, String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> response = server.http("GET", "/api/v1/groups", null, TestServer.basic(user, password));
        return response.statusCode() == 200 ? response.body() : String.valueOf(response.statusCode());
    }
}
