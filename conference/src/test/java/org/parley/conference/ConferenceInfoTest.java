package org.parley.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlSchema;

@DisplayName("RFC 4575 conference-info documents of a room: PP-35, PP-36, MU-6, UC 5.17")
class ConferenceInfoTest {
    static final XmlSchema SCHEMA = XmlSchema.load("schema/conference-info.xsd");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static ChatRoom room(boolean publicRoom) {
        ChatRoom room = new ChatRoom("lobby", "sip:room_lobby@groups.example.org", "sip:alice@example.org", T,
                new RoomConfig("The <Lobby> & \"friends\"", "plans for Friday", 10, true, publicRoom, false, 5));
        room.put(new Member("sip:alice@example.org", "alice", Role.ADMINISTRATOR, T));
        room.put(new Member("sip:bob@example.org", "Bööb", Role.MEMBER, T));
        return room;
    }

    static void valid(byte[] doc) {
        assertThatCode(() -> SCHEMA.validate(XmlParser.parse(doc))).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("RFC 4575 §5: the full state is schema-valid and lists every member with role")
    void fullState() {
        byte[] doc = ConferenceInfo.full(room(false), 0);
        valid(doc);
        String xml = new String(doc, StandardCharsets.UTF_8);
        assertThat(xml).contains("state=\"full\"", "version=\"0\"", "entity=\"sip:room_lobby@groups.example.org\"",
                "<user-count>2</user-count>", "<locked>true</locked>", "<maximum-user-count>10</maximum-user-count>",
                "entity=\"sip:alice@example.org\"", "<entry>administrator</entry>", "<entry>participant</entry>",
                "&lt;Lobby&gt; &amp;");
    }

    @Test
    @DisplayName("PP-36, MU-6: partial documents for one who joined, one who left, one who was removed")
    void partialStates() {
        ChatRoom room = room(false);
        Member bob = room.member("sip:bob@example.org").orElseThrow();
        byte[] joined = ConferenceInfo.partial(room, bob, false, false, 1);
        byte[] left = ConferenceInfo.partial(room, bob, true, false, 2);
        byte[] booted = ConferenceInfo.partial(room, bob, true, true, 3);
        valid(joined);
        valid(left);
        valid(booted);
        assertThat(new String(left, StandardCharsets.UTF_8)).contains("state=\"partial\"", "state=\"deleted\"",
                "<status>disconnected</status>", "<disconnection-method>departed</disconnection-method>");
        assertThat(new String(booted, StandardCharsets.UTF_8)).contains("<disconnection-method>booted</disconnection-method>");
    }

    @Test
    @DisplayName("UC 5.17: in a public room no member's address appears, only screen names under the room's URI")
    void publicRoomHidesIdentities() {
        byte[] doc = ConferenceInfo.full(room(true), 4);
        valid(doc);
        String xml = new String(doc, StandardCharsets.UTF_8);
        assertThat(xml).doesNotContain("sip:alice@", "sip:bob@")
                .contains("sip:room_lobby@groups.example.org;screen-name=alice",
                        "sip:room_lobby@groups.example.org;screen-name=B%C3%B6%C3%B6b");
    }
}
