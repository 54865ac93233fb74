package org.parley.conference;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.Locator;
import org.parley.sip.proxy.UserAgent;

/**
 * The copies of room messages to pager-mode members (RFC 3428, as Kamailio's imc sends them):
 * written by {@link UserAgent}, sent to every registered device of the member at once. Each copy
 * comes from the room's URI — so that a reply goes back to the room — with the sender as the
 * From display name (PP-31, PP-32): the screen name in a public room, the screen name and address
 * elsewhere, and "[private]" after it for a private message (PP-34). A member with no device
 * registered misses the live copy; the room's history has it.
 */
final class Fanout {
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Forker forker;
    private final Locator locator;

    Fanout(Forker forker, Locator locator) {
        this.forker = forker;
        this.locator = locator;
    }

    /** A member's message to others of the room. */
    void message(ChatRoom room, String shownSender, List<Member> to, String contentType, byte[] body) {
        for (Member m : to) {
            send(room.uri(), shownSender, m.aor(), contentType, body, Headers.EMPTY);
        }
    }

    /** A message of the room's history, dated when it was first sent (RFC 3261 §20.17 Date). */
    void fromHistory(ChatRoom room, RoomMessage m, String toAor) {
        send(room.uri(), m.sender(), toAor, m.contentType(), m.body(),
                Headers.EMPTY.append("Date", RFC_1123.format(m.at())));
    }

    /** A text from the room itself: a command's answer, who came and went. */
    void notice(ChatRoom room, String toAor, String text) {
        send(room.uri(), room.config().subject(), toAor, "text/plain;charset=UTF-8",
                text.getBytes(StandardCharsets.UTF_8), Headers.EMPTY);
    }

    void notice(ChatRoom room, List<Member> to, String text) {
        to.forEach(m -> notice(room, m.aor(), text));
    }

    /** A copy from {@code fromUri} (a room or a group) with {@code display} naming the sender. */
    void send(String fromUri, String display, String toAor, String contentType, byte[] body, Headers extra) {
        List<ContactTarget> devices = locator.lookup(SipUri.parse(toAor));
        if (devices.isEmpty()) {
            return;
        }
        SipRequest copy = UserAgent.request("MESSAGE", SipUri.parse(toAor), quoted(display) + " <" + fromUri + ">",
                "<" + toAor + ">", extra, contentType, body);
        forker.toDevices(copy, devices, UUID.randomUUID().toString().substring(0, 8), response -> { }, () -> { });
    }

    /** A display name as a quoted-string (RFC 3261 §25.1): '"' and '\' escaped, line breaks gone. */
    static String quoted(String display) {
        String clean = display.replaceAll("[\\r\\n]+", " ").replace("\\", "\\\\").replace("\"", "\\\"");
        return "\"" + clean + "\"";
    }
}
