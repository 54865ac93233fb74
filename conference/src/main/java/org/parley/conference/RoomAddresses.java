package org.parley.conference;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;

/**
 * Chat room URIs. Rooms live in the groups domain beside the XDM groups (e.g.
 * {@code groups.example.org}), as {@code sip:room_<name>@groups.example.org}. A group URI is
 * {@code owner.name} or a bare {@code name} of letters, digits and hyphens: the underscore and
 * the missing dot mean that no group can ever have a room's URI, nor a room a group's. The
 * conference factory (RFC 4579 §5.4: an INVITE to it with a URI list makes an ad-hoc room) is
 * {@code sip:adhoc_chat@groups.example.org}: its underscore keeps it apart from the groups, the
 * missing prefix from the rooms.
 */
public record RoomAddresses(String groupDomain) {
    private static final String PREFIX = "room_";
    private static final String FACTORY = "adhoc_chat";
    /** Ad-hoc rooms are named by the focus, with this prefix (nobody else may take it). */
    static final String AD_HOC = "adhoc-";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public RoomAddresses {
        groupDomain = groupDomain.toLowerCase(Locale.ROOT);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public String uriOf(String name) {
        return "sip:" + PREFIX + name + "@" + groupDomain;
    }

    public String factoryUri() {
        return "sip:" + FACTORY + "@" + groupDomain;
    }

    /** Whether the URI is the conference factory's. */
    public boolean isFactory(Uri uri) {
        return inGroupDomain(uri) && uri instanceof SipUri sip && FACTORY.equalsIgnoreCase(sip.user());
    }

    /** Whether a room was made by the factory (a temporary room: it closes when its last member goes). */
    static boolean adHoc(String name) {
        return name.startsWith(AD_HOC);
    }

    /** Whether the URI is in the groups domain at all (a room, or an XDM group). */
    public boolean inGroupDomain(Uri uri) {
        return uri instanceof SipUri sip && sip.host().equalsIgnoreCase(groupDomain);
    }

    /** The room name the URI names, if it has the form of a room's URI (the room may not exist). */
    public Optional<String> nameOf(Uri uri) {
        if (!inGroupDomain(uri) || !(uri instanceof SipUri sip) || sip.user() == null) {
            return Optional.empty();
        }
        String user = sip.user().toLowerCase(Locale.ROOT);
        if (!user.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String name = user.substring(PREFIX.length());
        return validName(name) ? Optional.of(name) : Optional.empty();
    }
}
