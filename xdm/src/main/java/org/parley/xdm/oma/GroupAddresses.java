package org.parley.xdm.oma;

import org.parley.xdm.DocumentContext;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group URIs and where their documents live. Groups get URIs in a domain of their own (e.g.
 * {@code groups.example.org}) so that no group can ever take a user's address. A user's group
 * {@code zombies} of {@code sip:mary@example.org} is {@code sip:mary.zombies@groups.example.org}
 * stored at {@code users/sip:mary@example.org/zombies}; an operator's group {@code news} is
 * {@code sip:news@groups.example.org} stored at {@code global/news}. Group names have no dot,
 * so the last dot tells owner from group and the two kinds never collide.
 */
public record GroupAddresses(String userDomain, String groupDomain) {
    public static final String AUID = GroupUsage.AUID;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern USER_XUI = Pattern.compile("sip:([a-z0-9][a-z0-9._~-]{0,63})@(.+)");

    public GroupAddresses {
        userDomain = userDomain.toLowerCase(Locale.ROOT);
        groupDomain = groupDomain.toLowerCase(Locale.ROOT);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The URI a group document at {@code where} must carry, if the location is one a group may have. */
    public Optional<String> uriOf(DocumentContext where) {
        if (!validName(where.documentName())) {
            return Optional.empty();
        }
        if (where.global()) {
            return Optional.of("sip:" + where.documentName() + "@" + groupDomain);
        }
        return userOf(where.xui()).map(user -> "sip:" + user + "." + where.documentName() + "@" + groupDomain);
    }

    /** Where the document of the group with this URI lives. */
    public Optional<DocumentContext> locationOf(String groupUri) {
        String uri = groupUri.toLowerCase(Locale.ROOT);
        String suffix = "@" + groupDomain;
        if (!uri.startsWith("sip:") || !uri.endsWith(suffix)) {
            return Optional.empty();
        }
        String user = uri.substring(4, uri.length() - suffix.length());
        int dot = user.lastIndexOf('.');
        if (dot < 0) {
            return validName(user) ? Optional.of(new DocumentContext(AUID, true, null, user)) : Optional.empty();
        }
        String owner = user.substring(0, dot);
        String name = user.substring(dot + 1);
        DocumentContext where = new DocumentContext(AUID, false, "sip:" + owner + "@" + userDomain, name);
        return uriOf(where).filter(uri::equals).map(u -> where);
    }

    /** The user part of a local user's XUI. */
    public Optional<String> userOf(String xui) {
        if (xui == null) {
            return Optional.empty();
        }
        Matcher m = USER_XUI.matcher(xui.toLowerCase(Locale.ROOT));
        return m.matches() && m.group(2).equals(userDomain) ? Optional.of(m.group(1)) : Optional.empty();
    }
}
