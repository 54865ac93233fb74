package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.http.Json;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.xdm.oma.Group;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.oma.GroupXml;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlSchema;
import org.parley.xml.XmlWriter;

/**
 * The conference focus over the wire with pager-mode members (issue 11): rooms made, joined and
 * left with #commands, messages fanned out with sender and room named, private messages,
 * moderation, invitations, the conference event package validated against RFC 4575's schema,
 * public rooms and history through the REST API, chat in XDM groups, and hostile input.
 */
@DisplayName("Chat rooms and group chat over the wire (PP-26..PP-41, GIM-4, MU-6, UC 5.7-5.10, 5.12, 5.17)")
class ConferenceWireTest {
    private static final XmlSchema CONFERENCE_INFO = XmlSchema.load("schema/conference-info.xsd");
    static ManualScheduler clock;
    static TestServer server;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of());
        for (String u : List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "judy",
                "mallory", "olga", "pete")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String room(String name) {
        return "sip:room_" + name + "@groups.localhost";
    }

    /** A pager-mode member on a TCP connection it registered over (trusted, no challenge); answers every MESSAGE 200. */
    private static final class Chatter implements AutoCloseable {
        final SipTestClient c;
        final String user;

        Chatter(String user) throws IOException {
            this.user = user;
            this.c = TrustedSender.open(server, user, user + "-secret");
        }

        SipResponse say(String target, String text) throws IOException {
            c.send(TrustedSender.message(c, user, target, text));
            return c.receiveResponse();
        }

        SipResponse ok(String target, String text) throws IOException {
            SipResponse r = say(target, text);
            assertThat(r.status()).as(user + ": " + text + " -> " + r.startLine()).isEqualTo(200);
            return r;
        }

        /** The next MESSAGE whose body matches, answering it and the ones before it. */
        SipRequest until(Predicate<String> body) throws IOException {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SipRequest r = c.receiveRequest();
                c.send(r.createResponse(200, "OK"));
                String text = text(r);
                if (body.test(text)) {
                    return r;
                }
                seen.add(text);
            }
            throw new AssertionError(user + " never got the message; got " + seen);
        }

        SipRequest until(String contains) throws IOException {
            return until(t -> t.contains(contains));
        }

        /** Nothing more within a short while (what comes is answered). */
        boolean quiet() throws IOException {
            Optional<org.parley.sip.message.SipMessage> m = c.poll(300);
            m.filter(SipRequest.class::isInstance).ifPresent(r -> {
                try {
                    c.send(((SipRequest) r).createResponse(200, "OK"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return m.isEmpty();
        }

        @Override
        public void close() throws IOException {
            c.close();
        }
    }

    private static String text(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String display(SipRequest r) {
        return r.from().displayName() == null ? "" : r.from().displayName();
    }

    private static void validConferenceInfo(SipRequest notify) {
        assertThat(notify.header("Content-Type")).hasValue("application/conference-info+xml");
        assertThatCode(() -> CONFERENCE_INFO.validate(XmlParser.parse(notify.body()))).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("PP-39, PP-27, PP-29, PP-31, PP-32, PP-28, MU-6: create, join, send to all with sender and room named, list, leave")
    void roomWithPagerMembers() throws IOException {
        try (Chatter alice = new Chatter("alice"); Chatter bob = new Chatter("bob"); Chatter carol = new Chatter("carol")) {
            assertThat(alice.say(room("lobby"), "hello?").status()).as("no such room yet").isEqualTo(404);
            alice.ok(room("lobby"), "#create");
            assertThat(text(alice.until("created"))).contains("administrator");
            bob.ok(room("lobby"), "#join");
            SipRequest welcome = bob.until("Welcome");
            assertThat(welcome.from().uri().toString()).isEqualTo(room("lobby"));
            assertThat(text(alice.until("joined"))).isEqualTo("bob (sip:bob@localhost) joined");
            carol.ok(room("lobby"), "#join");
            alice.until("carol");
            bob.until("carol");

            SipResponse sent = alice.ok(room("lobby"), "Hello all");
            assertThat(sent.reason()).isEqualTo("Sent to 2 members");
            for (Chatter member : List.of(bob, carol)) {
                SipRequest copy = member.until("Hello all");
                assertThat(copy.from().uri().toString()).as("the room: replies go back to it").isEqualTo(room("lobby"));
                assertThat(display(copy)).as("the sender").isEqualTo("alice (sip:alice@localhost)");
                assertThat(copy.requestUri().toString()).contains(member.user);
            }
            assertThat(alice.quiet()).as("no copy to the sender").isTrue();

            bob.ok(room("lobby"), "#list");
            assertThat(text(bob.until("members:"))).contains("3 members", "alice (sip:alice@localhost) [administrator]",
                    "carol (sip:carol@localhost)");

            carol.ok(room("lobby"), "#leave");
            assertThat(text(alice.until("left"))).isEqualTo("carol (sip:carol@localhost) left");
            assertThat(text(bob.until("left"))).isEqualTo("carol (sip:carol@localhost) left");
            assertThat(carol.say(room("lobby"), "still here?").status()).as("not a member").isEqualTo(403);
        }
    }

    @Test
    @DisplayName("PP-33, PP-34: a private message reaches one member only, marked private on arrival")
    void privateMessage() throws IOException {
        try (Chatter dave = new Chatter("dave"); Chatter erin = new Chatter("erin"); Chatter frank = new Chatter("frank")) {
            dave.ok(room("whispers"), "#create");
            erin.ok(room("whispers"), "#join");
            frank.ok(room("whispers"), "#join");
            dave.until("frank");
            erin.until("frank");
            erin.ok(room("whispers"), "#msg frank only for you");
            SipRequest got = frank.until("only for you");
            assertThat(display(got)).isEqualTo("erin (sip:erin@localhost) [private]");
            assertThat(text(got)).isEqualTo("only for you");
            assertThat(dave.quiet()).isTrue();
            assertThat(erin.say(room("whispers"), "#msg nobody hi").status()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("PP-26, PP-40, PP-41, UC 5.9: members have limited privileges; administrators kick, ban, rename, promote, close")
    void moderation() throws IOException {
        try (Chatter gina = new Chatter("gina"); Chatter hank = new Chatter("hank"); Chatter ivy = new Chatter("ivy")) {
            gina.ok(room("club"), "#create");
            hank.ok(room("club"), "#join");
            ivy.ok(room("club"), "#join");
            for (String command : List.of("#kick ivy", "#ban ivy", "#topic mine now", "#lock", "#close", "#admin hank",
                    "#invite judy")) {
                SipResponse r = hank.say(room("club"), command);
                assertThat(r.status()).as(command).isEqualTo(403);
                assertThat(r.reason()).as(command).contains("administrator");
            }
            gina.ok(room("club"), "#topic Friday night");
            assertThat(text(ivy.until("Room settings"))).contains("topic Friday night");
            gina.ok(room("club"), "#kick ivy");
            assertThat(text(ivy.until("You were"))).isEqualTo("You were removed from club");
            assertThat(text(hank.until("was removed"))).isEqualTo("ivy (sip:ivy@localhost) was removed by an administrator");
            ivy.ok(room("club"), "#join");
            gina.ok(room("club"), "#ban ivy");
            ivy.until("You were banned");
            SipResponse back = ivy.say(room("club"), "#join someone-else");
            assertThat(back.status()).as("a banned account under another screen name").isEqualTo(403);
            assertThat(back.reason()).contains("banned");
            gina.ok(room("club"), "#admin hank");
            hank.until("is an administrator");
            hank.ok(room("club"), "#topic mine now");
            hank.ok(room("club"), "#close");
            assertThat(text(gina.until("closed"))).contains("was closed");
            assertThat(gina.say(room("club"), "anyone?").status()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("PP-30: an invitation names the room, hides the inviter when asked, opens a locked room; a cancelled one does not")
    void invitations() throws Exception {
        try (Chatter judy = new Chatter("judy"); Chatter olga = new Chatter("olga"); Chatter pete = new Chatter("pete")) {
            judy.ok(room("secret"), "#create");
            judy.ok(room("secret"), "#lock");
            assertThat(olga.say(room("secret"), "#join").status()).isEqualTo(403);
            judy.ok(room("secret"), "#invite olga hidden");
            String invitation = text(olga.until("invites you"));
            assertThat(invitation).startsWith("someone invites you to secret (" + room("secret") + ")")
                    .contains("#accept").doesNotContain("judy");
            judy.ok(room("secret"), "#invite pete");
            assertThat(text(pete.until("invites you"))).startsWith("sip:judy@localhost invites you");
            judy.ok(room("secret"), "#cancel pete");
            assertThat(text(pete.until("withdrawn"))).contains("secret");
            assertThat(pete.say(room("secret"), "#accept").status()).isEqualTo(403);

            clock.advance(Duration.ofMinutes(10));
            olga.ok(room("secret"), "#accept");
            olga.until("Welcome");
            judy.until("joined");
            HttpResponse<String> none = server.http("GET", "/api/v1/me/invitations", null,
                    TestServer.basic("olga", "olga-secret"));
            assertThat(Json.mapper().readTree(none.body()).get("invitations")).isEmpty();
        }
    }

    @Test
    @DisplayName("PP-35, PP-36, MU-6, RFC 4575: members subscribe to conference and see the list and who came and went; others get 403; a removed member's subscription ends")
    void conferenceEventPackage() throws IOException {
        try (Chatter alice = new Chatter("alice"); Chatter bob = new Chatter("bob"); Chatter mallory = new Chatter("mallory")) {
            alice.ok(room("events"), "#create");
            bob.ok(room("events"), "#join");
            alice.until("joined");
            bob.c.send(TrustedSender.request(bob.c, "SUBSCRIBE", "bob", room("events"),
                    "Event: conference\r\nExpires: 600\r\nAccept: application/conference-info+xml\r\n", ""));
            assertThat(bob.c.receiveResponse().status()).isEqualTo(200);
            SipRequest full = notify(bob);
            assertThat(full.header("Event")).hasValue("conference");
            validConferenceInfo(full);
            assertThat(text(full)).contains("state=\"full\"", "entity=\"sip:alice@localhost\"",
                    "entity=\"sip:bob@localhost\"", "<entry>administrator</entry>");

            mallory.ok(room("events"), "#join");
            SipRequest joined = notify(bob);
            validConferenceInfo(joined);
            assertThat(text(joined)).contains("state=\"partial\"", "entity=\"sip:mallory@localhost\"", "<status>connected");
            mallory.ok(room("events"), "#leave");
            SipRequest left = notify(bob);
            validConferenceInfo(left);
            assertThat(text(left)).contains("state=\"deleted\"", "<disconnection-method>departed");

            mallory.c.send(TrustedSender.request(mallory.c, "SUBSCRIBE", "mallory", room("events"),
                    "Event: conference\r\nExpires: 600\r\n", ""));
            SipResponse refused = mallory.c.receiveResponse();
            assertThat(refused.status()).as("not a member").isEqualTo(403);
            mallory.c.send(TrustedSender.request(mallory.c, "SUBSCRIBE", "mallory", room("nowhere"),
                    "Event: conference\r\nExpires: 600\r\n", ""));
            assertThat(mallory.c.receiveResponse().status()).isEqualTo(404);

            alice.ok(room("events"), "#kick bob");
            SipRequest booted = notify(bob);
            validConferenceInfo(booted);
            assertThat(text(booted)).contains("entity=\"sip:bob@localhost\" state=\"deleted\"",
                    "<disconnection-method>booted");
            SipRequest ended = notify(bob);
            assertThat(ended.header("Subscription-State")).as("a removed member watches no more")
                    .hasValue("terminated;reason=rejected");
        }
    }

    /** The next NOTIFY on the member's connection, the room's MESSAGEs before it answered and passed over. */
    private static SipRequest notify(Chatter member) throws IOException {
        for (int i = 0; i < 20; i++) {
            SipRequest r = member.c.receiveRequest();
            member.c.send(r.createResponse(200, "OK"));
            if (r.method().equals("NOTIFY")) {
                return r;
            }
        }
        throw new AssertionError("no NOTIFY");
    }

    @Test
    @DisplayName("UC 5.17, PP-38: public rooms in the directory, screen names only, a taken name gets a free one suggested; history as JSON")
    void publicRoomAndHistory() throws Exception {
        HttpResponse<String> created = server.http("POST", "/api/v1/rooms",
                "{\"name\":\"agora\",\"subject\":\"Agora\",\"public\":true,\"screenName\":\"host\",\"historySize\":2}",
                TestServer.basic("carol", "carol-secret"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode directory = Json.mapper().readTree(server.http("GET", "/api/v1/public-rooms", null,
                TestServer.basic("dave", "dave-secret")).body());
        assertThat(directory.get("rooms").findValuesAsText("name")).contains("agora");
        assertThat(directory.toString()).doesNotContain("sip:carol@");

        HttpResponse<String> join = server.http("POST", "/api/v1/rooms/agora/members", "{\"screenName\":\"Dee\"}",
                TestServer.basic("dave", "dave-secret"));
        assertThat(join.statusCode()).as(join.body()).isEqualTo(200);
        HttpResponse<String> taken = server.http("POST", "/api/v1/rooms/agora/members", "{\"screenName\":\"dee\"}",
                TestServer.basic("erin", "erin-secret"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(taken.body()).contains("dee2 is free");

        try (Chatter carol = new Chatter("carol"); Chatter dave = new Chatter("dave")) {
            carol.ok(room("agora"), "first");
            carol.ok(room("agora"), "second");
            carol.ok(room("agora"), "third");
            SipRequest copy = dave.until("third");
            assertThat(display(copy)).as("the screen name only").isEqualTo("host");
            assertThat(new String(copy.encode(), StandardCharsets.UTF_8)).doesNotContain("sip:carol@");
            dave.ok(room("agora"), "#list");
            assertThat(text(dave.until("members:"))).isEqualTo("2 members: host [administrator], Dee")
                    .doesNotContain("sip:");
            byte[] cpim = ("From: <sip:dave@localhost>\r\nTo: <" + room("agora") + ">\r\n\r\n"
                    + "Content-Type: text/plain\r\n\r\nhi").getBytes(StandardCharsets.UTF_8);
            dave.c.send(Pager.message(dave.c, "dave", room("agora"), "message/cpim", cpim, "", null)
                    + new String(cpim, StandardCharsets.UTF_8));
            assertThat(dave.c.receiveResponse().status()).as("a CPIM body would show the address").isEqualTo(415);
        }
        HttpResponse<String> history = server.http("GET", "/api/v1/rooms/agora/history", null,
                TestServer.basic("dave", "dave-secret"));
        assertThat(history.statusCode()).isEqualTo(200);
        JsonNode messages = Json.mapper().readTree(history.body()).get("messages");
        assertThat(messages.findValuesAsText("text")).containsExactly("second", "third");
        assertThat(messages.findValuesAsText("sender")).containsOnly("host");
        HttpResponse<String> outsider = server.http("GET", "/api/v1/rooms/agora/history", null,
                TestServer.basic("erin", "erin-secret"));
        assertThat(outsider.statusCode()).isEqualTo(403);
        assertThat(server.admin("/admin/v1/openapi.json")).contains("\"/rooms/{name}/history\"", "\"/public-rooms\"");
    }

    @Test
    @DisplayName("Hostile input: floods (MessageLimiter), oversize bodies, unknown commands, INVITE, strangers' rooms -> clear SIP errors")
    void hostileInput() throws IOException {
        try (Chatter mallory = new Chatter("mallory"); Chatter frank = new Chatter("frank")) {
            frank.ok(room("busy"), "#create");
            mallory.ok(room("busy"), "#join");
            SipResponse big = mallory.say(room("busy"), "x".repeat(2000));
            assertThat(big.status()).isEqualTo(413);
            mallory.c.send(Pager.message(mallory.c, "mallory", room("busy"), "text/plain",
                    "who am I".getBytes(StandardCharsets.UTF_8), "Privacy: id\n", null) + "who am I");
            SipResponse anonymous = mallory.c.receiveResponse();
            assertThat(anonymous.status()).as("RFC 3323 privacy in a room that shows who speaks").isEqualTo(403);
            assertThat(anonymous.reason()).contains("anonymous");
            SipResponse unknown = mallory.say(room("busy"), "#explode now");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.reason()).contains("#help");
            assertThat(mallory.say(room("busy"), "#invite").reason()).startsWith("Usage: #invite");
            frank.c.send(TrustedSender.message(frank.c, "frank", room("busy"), "#topic two\tlines\u0007"));
            SipResponse control = frank.c.receiveResponse();
            assertThat(control.status()).as("control characters in a topic").isEqualTo(400);
            assertThat(control.reason()).doesNotContain("\u0007");
            assertThat(mallory.say(room("Bad!Name"), "#create").status()).isEqualTo(404);
            SipResponse last = null;
            for (int i = 0; i < 70 && (last == null || last.status() == 200); i++) {
                last = mallory.say(room("busy"), "spam " + i);
            }
            assertThat(last.status()).as("the messaging rate limit applies to rooms").isEqualTo(403);
            assertThat(last.reason()).contains("rate limit");
            assertThat(last.header("Retry-After")).isPresent();

            mallory.c.send(TrustedSender.request(mallory.c, "INVITE", "mallory", room("busy"),
                    "Content-Type: application/sdp\r\n", "v=0"));
            assertThat(mallory.c.receiveResponse().status()).as("an offer with no MSRP stream").isIn(400, 488);
        }
        try (SipTestClient stranger = SipTestClient.udp(server.sipPort(org.parley.sip.transport.Transport.UDP))) {
            stranger.send(Pager.message(stranger, "frank", room("busy"), "text/plain", "hi".getBytes(StandardCharsets.UTF_8),
                    "", null) + "hi");
            assertThat(stranger.receiveResponse().status()).as("challenged first (GS-1)").isEqualTo(407);
        }
    }

    @Test
    @DisplayName("UC 5.7, 5.8, 5.10, GIM-8: a MESSAGE to an XDM group reaches its members; non-members are refused; open groups are joined")
    void groupChat() throws Exception {
        putGroup("alice", "team", Group.Membership.CLOSED, List.of("sip:bob@localhost", "sip:carol@localhost"),
                Optional.empty());
        putGroup("alice", "open", Group.Membership.OPEN, List.of("sip:bob@localhost"), Optional.empty());
        try (Chatter alice = new Chatter("alice"); Chatter bob = new Chatter("bob"); Chatter carol = new Chatter("carol");
             Chatter hank = new Chatter("hank")) {
            SipResponse sent = bob.ok("sip:alice.team@groups.localhost", "team meeting at 3");
            assertThat(sent.reason()).isEqualTo("Sent to 2 members");
            for (Chatter member : List.of(alice, carol)) {
                SipRequest copy = member.until("team meeting");
                assertThat(copy.from().uri().toString()).isEqualTo("sip:alice.team@groups.localhost");
                assertThat(display(copy)).isEqualTo("sip:bob@localhost");
            }
            assertThat(hank.say("sip:alice.team@groups.localhost", "let me in").status()).isEqualTo(403);
            assertThat(hank.say("sip:alice.team@groups.localhost", "#join").status()).as("closed").isEqualTo(403);
            hank.ok("sip:alice.open@groups.localhost", "#join");
            assertThat(bob.ok("sip:alice.open@groups.localhost", "hi hank").reason()).isEqualTo("Sent to 2 members");
            hank.until("hi hank");
            assertThat(hank.say("sip:nobody.none@groups.localhost", "hello").status()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("UC 5.12: a temporary group lives past its expiry exactly while its chat goes on")
    void temporaryGroupLivesWhileItsChatDoes() throws Exception {
        putGroup("erin", "pop-up", Group.Membership.CLOSED, List.of("sip:frank@localhost"),
                Optional.of(clock.instant().plus(Duration.ofMinutes(5))));
        try (Chatter erin = new Chatter("erin"); Chatter frank = new Chatter("frank")) {
            clock.advance(Duration.ofMinutes(4));
            erin.ok("sip:erin.pop-up@groups.localhost", "still on?");
            frank.until("still on?");
            clock.advance(Duration.ofMinutes(5));
            assertThat(groupExists("erin", "pop-up")).as("expired, chat going on").isTrue();
            clock.advance(Duration.ofMinutes(15));
            assertThat(groupExists("erin", "pop-up")).as("chat over").isFalse();
        }
    }

    private static void putGroup(String owner, String name, Group.Membership membership, List<String> members,
                                 Optional<java.time.Instant> expires) throws Exception {
        Group group = new Group("sip:" + owner + "." + name + "@groups.localhost", Optional.of(name),
                members.stream().map(m -> new Group.Member(m, Optional.empty())).toList(), OptionalInt.of(10),
                Group.Origin.USER, "sip:" + owner + "@localhost", membership, Group.ContentWrite.OWNER, expires);
        HttpResponse<String> r = server.http("PUT", "/xcap-root/org.openmobilealliance.groups/users/sip:" + owner
                        + "@localhost/" + name, new String(XmlWriter.document(GroupXml.write(group)), StandardCharsets.UTF_8),
                TestServer.basic(owner, owner + "-secret"), GroupUsage.MIME_TYPE);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static boolean groupExists(String owner, String name) throws Exception {
        return server.http("GET", "/xcap-root/org.openmobilealliance.groups/users/sip:" + owner + "@localhost/" + name,
                null, TestServer.basic(owner, owner + "-secret")).statusCode() == 200;
    }

    @Test
    @DisplayName("PP-30 over REST: invite (inviter hidden), the invitee's list, cancel; malformed JSON and non-admins refused as problems")
    void restInvitationsAndRefusals() throws Exception {
        String hank = TestServer.basic("hank", "hank-secret");
        String ivy = TestServer.basic("ivy", "ivy-secret");
        assertThat(server.http("POST", "/api/v1/rooms", "{\"name\":\"rest\",\"locked\":true}", hank).statusCode())
                .isEqualTo(201);
        HttpResponse<String> invited = server.http("POST", "/api/v1/rooms/rest/invitations",
                "{\"user\":\"ivy\",\"hideInviter\":true}", hank);
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
        JsonNode mine = Json.mapper().readTree(server.http("GET", "/api/v1/me/invitations", null, ivy).body())
                .get("invitations").get(0);
        assertThat(mine.get("room").asText()).isEqualTo("rest");
        assertThat(mine.get("roomUri").asText()).isEqualTo(room("rest"));
        assertThat(mine.has("inviter")).as("hidden").isFalse();
        assertThat(mine.get("expires").asText()).isNotBlank();
        assertThat(server.http("DELETE", "/api/v1/rooms/rest/invitations/ivy", null, hank).statusCode()).isEqualTo(204);
        assertThat(server.http("POST", "/api/v1/rooms/rest/members", null, ivy).statusCode()).as("locked").isEqualTo(403);

        for (String bad : List.of("{\"name\":", "{\"name\":\"x\",\"colour\":\"red\"}", "[]", "{\"name\":42}")) {
            HttpResponse<String> r = server.http("POST", "/api/v1/rooms", bad, hank);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(server.http("POST", "/api/v1/rooms", "{\"name\":\"Not A Name\"}", hank).statusCode()).isEqualTo(400);
        assertThat(server.http("PATCH", "/api/v1/rooms/rest", "{\"topic\":\"mine\"}", ivy).statusCode()).isEqualTo(403);
        assertThat(server.http("DELETE", "/api/v1/rooms/rest", null, ivy).statusCode()).isEqualTo(403);
        assertThat(server.http("GET", "/api/v1/rooms/nowhere", null, ivy).statusCode()).isEqualTo(404);
        assertThat(server.http("GET", "/api/v1/rooms/rest", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("PP-30, PP-40, UC 5.17 over REST: a member is told which entry of a public room's list is theirs (no "
            + "address shown); administrators list a room's open invitations and lift a ban by user name; members may "
            + "not; unknown users and accounts not banned are 404 problems")
    void restOpenInvitationsAndUnban() throws Exception {
        String olga = TestServer.basic("olga", "olga-secret");
        String pete = TestServer.basic("pete", "pete-secret");
        assertThat(server.http("POST", "/api/v1/rooms", "{\"name\":\"bans\",\"public\":true,\"screenName\":\"Olga\"}",
                olga).statusCode()).isEqualTo(201);
        assertThat(server.http("POST", "/api/v1/rooms/bans/members", "{\"screenName\":\"Pete\"}", pete).statusCode())
                .isEqualTo(200);
        // a public room's member list has no addresses: "you" tells each member which entry is theirs
        JsonNode seen = Json.mapper().readTree(server.http("GET", "/api/v1/rooms/bans", null, pete).body());
        assertThat(seen.get("you").toString()).isEqualTo("{\"screenName\":\"Pete\",\"role\":\"member\"}");
        assertThat(seen.get("members").toString()).doesNotContain("sip:");
        assertThat(server.http("POST", "/api/v1/rooms/bans/invitations", "{\"user\":\"judy\",\"hideInviter\":true}", olga)
                .statusCode()).isEqualTo(201);
        JsonNode open = Json.mapper().readTree(server.http("GET", "/api/v1/rooms/bans/invitations", null, olga).body())
                .get("invitations");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("invitee").asText()).isEqualTo("sip:judy@localhost");
        assertThat(open.get(0).has("inviter")).as("hidden").isFalse();
        HttpResponse<String> notAdmin = server.http("GET", "/api/v1/rooms/bans/invitations", null, pete);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(notAdmin.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        assertThat(server.http("DELETE", "/api/v1/rooms/bans/members/Pete?ban=true", null, olga).statusCode()).isEqualTo(204);
        assertThat(server.http("POST", "/api/v1/rooms/bans/members", "{\"screenName\":\"Peter\"}", pete).statusCode())
                .as("banned under another screen name").isEqualTo(403);
        assertThat(server.http("DELETE", "/api/v1/rooms/bans/bans/pete", null, pete).statusCode()).isEqualTo(403);
        assertThat(server.http("DELETE", "/api/v1/rooms/bans/bans/nobody", null, olga).statusCode()).isEqualTo(404);
        assertThat(server.http("DELETE", "/api/v1/rooms/bans/bans/ivy", null, olga).statusCode()).as("not banned").isEqualTo(404);
        assertThat(server.http("DELETE", "/api/v1/rooms/bans/bans/pete", null, olga).statusCode()).isEqualTo(204);
        assertThat(server.http("POST", "/api/v1/rooms/bans/members", "{\"screenName\":\"Pete\"}", pete).statusCode())
                .isEqualTo(200);
        assertThat(server.admin("/admin/v1/openapi.json")).contains("\"/rooms/{name}/bans/{user}\"", "\"listRoomInvitations\"");
    }

    @Test
    @DisplayName("UC 5.17: the operator switches public chat off (conference.public-chat.enabled=false)")
    void publicChatSwitchedOff(@TempDir Path otherData) throws Exception {
        try (TestServer off = TestServer.start(otherData, new ManualScheduler(),
                Map.of("conference.public-chat.enabled", "false"))) {
            off.addUser("alice", "alice-secret", null, List.of());
            String alice = TestServer.basic("alice", "alice-secret");
            assertThat(off.http("GET", "/api/v1/public-rooms", null, alice).statusCode()).isEqualTo(403);
            assertThat(off.http("POST", "/api/v1/rooms", "{\"name\":\"pub\",\"public\":true}", alice).statusCode())
                    .isEqualTo(403);
            assertThat(off.http("POST", "/api/v1/rooms", "{\"name\":\"private\"}", alice).statusCode()).isEqualTo(201);
        }
    }

    @Test
    @DisplayName("PP2-5: the rooms are in the user's export; a deleted account leaves them, its administrator role passing to the longest member")
    void deletedAccountLeavesItsRooms() throws Exception {
        server.addUser("zed", "zed-secret", null, List.of());
        assertThat(server.http("POST", "/api/v1/rooms", "{\"name\":\"zeds\"}", TestServer.basic("zed", "zed-secret"))
                .statusCode()).isEqualTo(201);
        assertThat(server.http("POST", "/api/v1/rooms/zeds/members", null, TestServer.basic("ivy", "ivy-secret"))
                .statusCode()).isEqualTo(200);
        HttpResponse<String> export = server.http("GET", "/api/v1/me/export", null, TestServer.basic("zed", "zed-secret"));
        assertThat(Json.mapper().readTree(export.body()).get("chatRooms").toString())
                .contains("\"room\":\"zeds\"", "\"role\":\"administrator\"");
        assertThat(server.http("DELETE", "/admin/v1/users/zed", null, "Bearer test-admin-token").statusCode())
                .isEqualTo(204);
        JsonNode room = Json.mapper().readTree(server.http("GET", "/api/v1/rooms/zeds", null,
                TestServer.basic("ivy", "ivy-secret")).body());
        assertThat(room.get("members").findValuesAsText("uri")).containsExactly("sip:ivy@localhost");
        assertThat(room.get("members").findValuesAsText("role")).containsExactly("administrator");
    }

    @Test
    @DisplayName("PP-39..PP-41: rooms, roles, bans and history survive a restart of the server")
    void survivesRestart(@TempDir Path otherData) throws Exception {
        ManualScheduler own = new ManualScheduler();
        TestServer first = TestServer.start(otherData, own, Map.of());
        first.addUser("alice", "alice-secret", null, List.of());
        first.addUser("bob", "bob-secret", null, List.of());
        first.addUser("carol", "carol-secret", null, List.of());
        String alice = TestServer.basic("alice", "alice-secret");
        try {
            assertThat(first.http("POST", "/api/v1/rooms", "{\"name\":\"keep\",\"topic\":\"kept\"}", alice).statusCode())
                    .isEqualTo(201);
            assertThat(first.http("POST", "/api/v1/rooms/keep/members", null, TestServer.basic("bob", "bob-secret"))
                    .statusCode()).isEqualTo(200);
            assertThat(first.http("POST", "/api/v1/rooms/keep/members", null, TestServer.basic("carol", "carol-secret"))
                    .statusCode()).isEqualTo(200);
            assertThat(first.http("PATCH", "/api/v1/rooms/keep/members/bob", "{\"role\":\"administrator\"}", alice)
                    .statusCode()).isEqualTo(200);
            assertThat(first.http("DELETE", "/api/v1/rooms/keep/members/carol?ban=true", null, alice).statusCode())
                    .isEqualTo(204);
        } finally {
            first.close();
        }
        TestServer second = TestServer.start(otherData, own, Map.of());
        try {
            JsonNode room = Json.mapper().readTree(second.http("GET", "/api/v1/rooms/keep", null, alice).body());
            assertThat(room.get("topic").asText()).isEqualTo("kept");
            assertThat(room.get("members").findValuesAsText("role")).containsExactly("administrator", "administrator");
            HttpResponse<String> banned = second.http("POST", "/api/v1/rooms/keep/members", "{\"screenName\":\"new-me\"}",
                    TestServer.basic("carol", "carol-secret"));
            assertThat(banned.statusCode()).isEqualTo(403);
        } finally {
            second.close();
        }
    }
}
