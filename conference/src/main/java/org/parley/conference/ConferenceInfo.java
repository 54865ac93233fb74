package org.parley.conference;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.parley.xml.XmlWriter;

/**
 * conference-info documents (RFC 4575 §5) of a room: the full state — description, state, every
 * member with role — and partial ones naming one member that came, changed or went (PP-35,
 * PP-36, MU-6). In a public room a member's entity is the room's URI with the screen name, never
 * the member's address (UC 5.17).
 */
final class ConferenceInfo {
    static final String CONTENT_TYPE = "application/conference-info+xml";
    private static final String NS = "urn:ietf:params:xml:ns:conference-info";

    private ConferenceInfo() {
    }

    static byte[] full(ChatRoom room, long version) {
        RoomConfig c = room.config();
        StringBuilder b = open(room, "full", version);
        b.append("<conference-description><display-text>").append(XmlWriter.escape(c.subject()))
                .append("</display-text>");
        if (!c.topic().isEmpty()) {
            b.append("<subject>").append(XmlWriter.escape(c.topic())).append("</subject>");
        }
        b.append("<maximum-user-count>").append(c.maxMembers()).append("</maximum-user-count>")
                .append("</conference-description>");
        b.append("<conference-state><user-count>").append(room.members().size())
                .append("</user-count><active>").append(!room.closed()).append("</active><locked>")
                .append(c.locked()).append("</locked></conference-state>");
        b.append("<users state=\"full\">");
        for (Member m : room.members()) {
            user(b, room, m, "full", "connected", null);
        }
        b.append("</users>");
        return close(b);
    }

    /**
     * One member's change: present ({@code gone} false) with its current name and role, or gone
     * with how it left — {@code departed} by itself, {@code booted} by an administrator (RFC 4575 §5.6.4).
     */
    static byte[] partial(ChatRoom room, Member m, boolean gone, boolean booted, long version) {
        StringBuilder b = open(room, "partial", version);
        b.append("<conference-state><user-count>").append(room.members().size())
                .append("</user-count></conference-state>");
        b.append("<users state=\"partial\">");
        if (gone) {
            user(b, room, m, "deleted", "disconnected", booted ? "booted" : "departed");
        } else {
            user(b, room, m, "full", "connected", null);
        }
        b.append("</users>");
        return close(b);
    }

    private static StringBuilder open(ChatRoom room, String state, long version) {
        return new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<conference-info xmlns=\"").append(NS).append("\" entity=\"")
                .append(XmlWriter.escape(room.uri())).append("\" state=\"").append(state)
                .append("\" version=\"").append(version).append("\">");
    }

    private static byte[] close(StringBuilder b) {
        return b.append("</conference-info>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void user(StringBuilder b, ChatRoom room, Member m, String state, String status,
                             String disconnection) {
        String entity = XmlWriter.escape(entity(room, m));
        b.append("<user entity=\"").append(entity).append("\" state=\"").append(state).append("\">")
                .append("<display-text>").append(XmlWriter.escape(m.screenName())).append("</display-text>")
                .append("<roles><entry>").append(m.administrator() ? "administrator" : "participant")
                .append("</entry></roles>")
                .append("<endpoint entity=\"").append(entity).append("\"><status>").append(status).append("</status>");
        if (disconnection != null) {
            b.append("<disconnection-method>").append(disconnection).append("</disconnection-method>");
        } else {
            b.append("<joining-method>dialed-in</joining-method>");
        }
        b.append("</endpoint></user>");
    }

    /** The member's address, or in a public room the room's URI naming the screen name. */
    static String entity(ChatRoom room, Member m) {
        return room.config().publicRoom()
                ? room.uri() + ";screen-name=" + URLEncoder.encode(m.screenName(), StandardCharsets.UTF_8)
                : m.aor();
    }
}
