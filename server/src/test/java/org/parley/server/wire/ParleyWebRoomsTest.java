package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;

/**
 * Parley Web's room administration and private messages (issue 12 over issue 11's rooms), in
 * three browsers driven through the page's own controls (src/test/browser/parley-web.mjs,
 * scenario room-admin): what the administrator does, what the others see, and what the server
 * refuses when a member's page tries anyway.
 */
@DisplayName("PP-26..PP-34, PP-39..PP-41, UC 5.9, UC 5.17, GIM-20: room administration and private messages in Parley Web")
class ParleyWebRoomsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void installOnce(@TempDir Path scratch) throws IOException, InterruptedException {
        BrowserProject.install(scratch);
    }

    @Test
    @DisplayName("PP-39, PP-35: the creator sees the members with roles, only administrators get the controls; PP-33, "
            + "PP-34: a private message reaches one member, marked private, and not the third; UC 5.17: only screen names "
            + "shown; UC 5.9: a member's page that tries an administrator's action is refused with the server's word; "
            + "PP-26: promote and demote; PP-41: name, topic (as text), maximum, lock; PP-40: kick (the member sees it, "
            + "the locked room refuses them), ban and unban; PP-30: an invitation with the inviter hidden, cancelled, "
            + "then one accepted; PP-41: closing, seen by the members")
    void roomAdministrationBetweenThreeBrowsers() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            ParleyWebTest.addUsers(server);
            try (WebRun run = WebRun.start("room-admin", ParleyWebTest.base(server), ParleyWebTest.SHOTS,
                    dir.resolve("profile"), ParleyWebTest.ALICE, ParleyWebTest.BOB, ParleyWebTest.CAROL)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"signed-in\",\"user\":\"carol\"}",
                        "{\"event\":\"members\",\"user\":\"alice\",\"members\":[\"Alice_A (you) [administrator]\",\"Bobby\",\"Cara\"]}",
                        "{\"event\":\"members\",\"user\":\"bob\",\"members\":[\"Alice_A [administrator]\",\"Bobby (you)\",\"Cara\"]}",
                        "{\"event\":\"controls\",\"user\":\"alice\",\"admin\":true,\"buttons\":[\"Write privately to Bobby"
                                + "\",\"Remove Bobby from the room\",\"Ban Bobby from the room\",\"Make Bobby an administrator"
                                + "\",\"Write privately to Cara\",\"Remove Cara from the room\",\"Ban Cara from the room"
                                + "\",\"Make Cara an administrator\"]}",
                        "{\"event\":\"controls\",\"user\":\"bob\",\"admin\":false,\"buttons\":[\"Write privately to Alice_A"
                                + "\",\"Write privately to Cara\"]}",
                        "{\"event\":\"private-to\",\"user\":\"bob\",\"text\":\"Only Cara will read what you write now.\"}",
                        "{\"event\":\"room-sent\",\"user\":\"bob\",\"text\":\"Just between us, Cara\"}",
                        "{\"event\":\"private-received\",\"user\":\"carol"
                                + "\",\"messages\":[\"Bobby | Private message to you | Just between us, Cara\"]}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"Bobby\",\"text\":\"Hello everyone\"}",
                        "{\"event\":\"room-received\",\"user\":\"carol\",\"sender\":\"Bobby\",\"text\":\"Hello everyone\"}",
                        "{\"event\":\"private-elsewhere\",\"user\":\"alice\",\"seen\":0}",
                        "{\"event\":\"sender-notices\",\"user\":\"bob\",\"texts\":[]}",
                        "{\"event\":\"addresses\",\"user\":\"carol\",\"shown\":false}",
                        "{\"event\":\"admin-status\",\"user\":\"bob"
                                + "\",\"text\":\"Settings: not done. Only an administrator of the room may do that\"}",
                        "{\"event\":\"members\",\"user\":\"bob\",\"members\":[\"Alice_A [administrator]"
                                + "\",\"Bobby (you) [administrator]\",\"Cara\"]}",
                        "{\"event\":\"controls\",\"user\":\"bob\",\"admin\":false}",
                        "{\"event\":\"admin-status\",\"user\":\"alice\",\"text\":\"Settings: done.\"}",
                        "{\"event\":\"room-about\",\"user\":\"bob\",\"title\":\"The Club"
                                + "\",\"about\":\"Public room — Members <i>only</i> — you are Bobby\",\"canWrite\":true}",
                        "{\"event\":\"summary\",\"user\":\"bob\",\"text\":\"Members (3 of at most 5), locked\"}",
                        "{\"event\":\"room-notice\",\"user\":\"carol\",\"text\":\"You were removed from The Club\"}",
                        "{\"event\":\"room-about\",\"user\":\"carol\",\"title\":\"The Club"
                                + "\",\"about\":\"Public room — Members <i>only</i> — You are no longer a member of this room."
                                + "\",\"canWrite\":false}",
                        "{\"event\":\"members\",\"user\":\"alice\",\"members\":[\"Alice_A (you) [administrator]\",\"Bobby\"]}",
                        "{\"event\":\"join\",\"user\":\"carol\",\"status\":\"Not joined: The room is locked: you need an invitation\"}",
                        "{\"event\":\"open-invitations\",\"user\":\"alice\",\"texts\":[\"carol@localhost (inviter hidden)\"]}",
                        "{\"event\":\"invitations\",\"user\":\"carol\",\"texts\":[\"The Club\"]}",
                        "{\"event\":\"invitation-withdrawn\",\"user\":\"carol\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"Cara joined\"}",
                        "{\"event\":\"room-about\",\"user\":\"carol\",\"title\":\"The Club"
                                + "\",\"about\":\"Public room — Members <i>only</i> — you are Cara\",\"canWrite\":true}",
                        "{\"event\":\"room-notice\",\"user\":\"bob\",\"text\":\"You were banned from The Club\"}",
                        "{\"event\":\"room-about\",\"user\":\"bob\",\"title\":\"The Club"
                                + "\",\"about\":\"Public room — Members <i>only</i> — You are no longer a member of this room."
                                + "\",\"canWrite\":false}",
                        "{\"event\":\"admin-status\",\"user\":\"alice\",\"text\":\"Lift the ban on bob: done.\"}",
                        "{\"event\":\"room-notice\",\"user\":\"carol\",\"text\":\"The room The Club was closed\"}",
                        "{\"event\":\"room-about\",\"user\":\"carol\",\"title\":\"The Club"
                                + "\",\"about\":\"Public room — Members <i>only</i> — This room was closed.\",\"canWrite\":false}",
                        "{\"event\":\"room-about\",\"user\":\"alice\",\"title\":\"The Club"
                                + "\",\"about\":\"Public room — Members <i>only</i> — This room was closed.\",\"canWrite\":false}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
            // the room is gone for good; bob's ban was lifted before
            assertThat(server.http("GET", "/api/v1/rooms/club", null, TestServer.basic("alice", "alice secret phrase"))
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("Issue 12 with issue 11, RFC 4353 §5, RFC 4579 §3, RFC 4975, RFC 7977, RFC 3862: two browsers in a public "
            + "room's session (INVITE to the room, MSRP over WebSocket to the focus's endpoint) — welcomed, the history "
            + "not shown twice, messages both ways under screen names, and a pager member (a third browser) in the same "
            + "room sees them and is seen; PP-33, PP-34: a private message in session as CPIM To one member; leaving the "
            + "session falls back to pager mode; PP-40: the focus's BYE for a kicked member is shown with its Reason "
            + "(RFC 3326); one member leaves the room and the other sees it")
    void roomInSessionModeBesideAPagerMember() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            ParleyWebTest.addUsers(server);
            try (WebRun run = WebRun.start("room-session", ParleyWebTest.base(server), ParleyWebTest.SHOTS,
                    dir.resolve("profile"), ParleyWebTest.ALICE, ParleyWebTest.BOB, ParleyWebTest.CAROL)) {
                List<String> lines = run.finish();
                assertThat(run.exitCode()).as(run.transcript()).isZero();
                assertThat(lines).as(run.transcript()).containsExactly(
                        "{\"event\":\"signed-in\",\"user\":\"alice\"}",
                        "{\"event\":\"signed-in\",\"user\":\"bob\"}",
                        "{\"event\":\"signed-in\",\"user\":\"carol\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"Alice_A\",\"text\":\"Said before the sessions\"}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"In session with the room: its messages come over MSRP.\"}",
                        "{\"event\":\"session-button\",\"user\":\"alice\",\"text\":\"Leave session\",\"history\":1}",
                        "{\"event\":\"room-notice\",\"user\":\"bob\",\"text\":\"In session with the room: its messages come over MSRP.\"}",
                        "{\"event\":\"session-button\",\"user\":\"bob\",\"text\":\"Leave session\",\"history\":1}",
                        "{\"event\":\"room-sent\",\"user\":\"alice\",\"text\":\"Hello over MSRP 👋 — grüße, 你好\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"Alice_A\",\"text\":\"Hello over MSRP 👋 — grüße, 你好\"}",
                        "{\"event\":\"room-received\",\"user\":\"carol\",\"sender\":\"Alice_A\",\"text\":\"Hello over MSRP 👋 — grüße, 你好\"}",
                        "{\"event\":\"room-sent\",\"user\":\"bob\",\"text\":\"Reply in session <b>bold</b>\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"Bobby\",\"text\":\"Reply in session <b>bold</b>\"}",
                        "{\"event\":\"room-received\",\"user\":\"carol\",\"sender\":\"Bobby\",\"text\":\"Reply in session <b>bold</b>\"}",
                        "{\"event\":\"room-received\",\"user\":\"alice\",\"sender\":\"Cara\",\"text\":\"From a pager member\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"Cara\",\"text\":\"From a pager member\"}",
                        "{\"event\":\"room-sent\",\"user\":\"bob\",\"text\":\"Only for Alice, in session\"}",
                        "{\"event\":\"private-received\",\"user\":\"alice\",\"messages\":[\"Bobby | Private message to you | Only for Alice, in session\"]}",
                        "{\"event\":\"room-notice\",\"user\":\"bob\",\"text\":\"You left the room's session: its messages come as pager messages again.\"}",
                        "{\"event\":\"room-received\",\"user\":\"bob\",\"sender\":\"Alice_A\",\"text\":\"Bob is back in pager mode\"}",
                        "{\"event\":\"elsewhere\",\"user\":\"carol\",\"seen\":0}",
                        "{\"event\":\"room-notice\",\"user\":\"carol\",\"text\":\"In session with the room: its messages come over MSRP.\"}",
                        "{\"event\":\"session-ended\",\"user\":\"carol\",\"text\":\"The room ended your session: You were removed by an administrator.\"}",
                        "{\"event\":\"room-about\",\"user\":\"carol\",\"title\":\"salon\",\"about\":\"Public room — You are no "
                                + "longer a member of this room.\",\"canWrite\":false}",
                        "{\"event\":\"room-notice\",\"user\":\"alice\",\"text\":\"Bobby left\"}",
                        "{\"event\":\"external-requests\",\"urls\":[]}");
            }
        }
    }
}
