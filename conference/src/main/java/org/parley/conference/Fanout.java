package org.parley.conference;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.Locator;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Ids;

/**
 * The copies of room messages to pager-mode members (RFC 3428, as Kamailio's imc sends them):
 * written by {@link UserAgent}, sent to every registered device of the member at once. Each copy
 * comes from the room's URI — so that a reply goes back to the room — with the sender as the
 * From display name (PP-31, PP-32): the screen name in a public room, the screen name and address
 * elsewhere, and "[private]" after it for a private message (PP-34). A member with no device
 * registered misses the live copy; the room's history has it.
 *
 * <p>A member in session with the room (INVITE + MSRP, {@link FocusSessions}) gets every copy as
 * a SEND in that session instead: CPIM (RFC 3862) from the sender as the room shows them (in a
 * public room the screen name and the room's entity for it, never the address), to the room — or
 * to the member alone for a private message.
 */
final class Fanout {
    private static final String TEXT = "text/plain;charset=UTF-8";
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Forker forker;
    private final Locator locator;
    private final FocusSessions sessions;
    private final InstantSource clock;

    Fanout(Forker forker, Locator locator, FocusSessions sessions, InstantSource clock) {
        this.forker = forker;
        this.locator = locator;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** A member's message to the others of the room, or (private) to one of them. */
    void message(Rooms.Posted p, String contentType, byte[] body) {
        ChatRoom room = p.room();
        Member from = p.sender();
        for (Member m : p.recipients()) {
            List<FocusSessions.Session> in = sessions.of(room.name(), m.aor());
            if (in.isEmpty()) {
                send(room.uri(), p.shownSender(), m.aor(), contentType, body, Headers.EMPTY);
                continue;
            }
            String name = from.screenName() + (p.isPrivate() ? " [private]" : "");
            byte[] cpim = RoomCpim.wrap(name, ConferenceInfo.entity(room, from),
                    p.isPrivate() ? ConferenceInfo.entity(room, m) : room.uri(), clock.instant(), contentType, body);
            in.forEach(s -> s.deliver(cpim));
        }
    }

    /** A message of the room's history, dated when it was first sent (RFC 3261 §20.17 Date, RFC 3862 DateTime). */
    void fromHistory(ChatRoom room, RoomMessage m, String toAor) {
        List<FocusSessions.Session> in = sessions.of(room.name(), toAor);
        if (in.isEmpty()) {
            send(room.uri(), m.sender(), toAor, m.contentType(), m.body(),
                    Headers.EMPTY.append("Date", RFC_1123.format(m.at())));
            return;
        }
        // the history keeps the sender as shown, not who it was: the room's URI stands for them
        byte[] cpim = RoomCpim.wrap(m.sender(), room.uri(), room.uri(), m.at(), m.contentType(), m.body());
        in.forEach(s -> s.deliver(cpim));
    }

    /** A text from the room itself: a command's answer, who came and went. */
    void notice(ChatRoom room, String toAor, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        List<FocusSessions.Session> in = sessions.of(room.name(), toAor);
        if (in.isEmpty()) {
            send(room.uri(), room.config().subject(), toAor, TEXT, body, Headers.EMPTY);
            return;
        }
        byte[] cpim = RoomCpim.wrap(room.config().subject(), room.uri(), room.uri(), clock.instant(), TEXT, body);
        in.forEach(s -> s.deliver(cpim));
    }

    /** A group member's message to another member (UC 5.7): in session as CPIM, else as a MESSAGE from the group. */
    void toGroupMember(String groupUri, String senderAor, String toAor, String contentType, byte[] body) {
        List<FocusSessions.Session> in = sessions.of(groupUri, toAor);
        if (in.isEmpty()) {
            send(groupUri, senderAor, toAor, contentType, body, Headers.EMPTY);
            return;
        }
        byte[] cpim = RoomCpim.wrap(senderAor, senderAor, groupUri, clock.instant(), contentType, body);
        in.forEach(s -> s.deliver(cpim));
    }

    void notice(ChatRoom room, List<Member> to, String text) {
        to.forEach(m -> notice(room, m.aor(), text));
    }

    /** A copy from {@code fromUri} (a room or a group) with {@code display} naming the sender. */
    void send(String fromUri, String display, String toAor, String contentType, byte[] body, Headers extra) {
        SipUri to = SipUri.parse(toAor);
        List<ContactTarget> devices = locator.lookup(to);
        if (devices.isEmpty()) {
            return;
        }
        SipRequest copy = UserAgent.request("MESSAGE", to, quoted(display) + " <" + fromUri + ">",
                "<" + toAor + ">", extra, contentType, body);
        forker.toDevices(copy, devices, Ids.tag(), response -> { }, () -> { });
    }

    /** A display name as a quoted-string (RFC 3261 §25.1): '"' and '\' escaped, line breaks gone. */
    static String quoted(String display) {
        String clean = display.replaceAll("[\\r\\n]+", " ").replace("\\", "\\\\").replace("\"", "\\\"");
        return "\"" + clean + "\"";
    }
}
