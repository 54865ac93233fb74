package org.parley.xdm.xcap;

import org.parley.xdm.DocumentContext;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An XCAP resource URI (RFC 4825 §6): {@code {auid}/{users|global}/{xui}/{document path}[/~~/{node
 * selector}]} below the XCAP root, plus the {@code xmlns(prefix=namespace)} bindings of its query.
 *
 * @param root         the absolute XCAP root, for the URIs error documents point at (no-parent)
 * @param documentPath the document name, possibly inside folders ("folder/index")
 * @param nodeSelector the decoded node selector, if the URI addresses part of the document
 * @param namespaces   prefixes the node selector may use, from the query
 */
public record XcapUri(String root, String auid, boolean global, String xui, String documentPath,
                      Optional<String> nodeSelector, Map<String, String> namespaces) {
    private static final String SEPARATOR = "/~~/";
    private static final Pattern XMLNS = Pattern.compile("\\s*xmlns\\(\\s*([^=\\s)]+)\\s*=\\s*([^)]*?)\\s*\\)");

    public XcapUri {
        namespaces = Map.copyOf(namespaces);
    }

    /** The URI could not be understood: 404 when it names nothing that could exist, 400 when malformed. */
    public static final class Invalid extends Exception {
        private final int status;

        Invalid(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * @param root    the absolute XCAP root URI (without trailing slash)
     * @param rawPath the still percent-encoded path below the root, e.g. "/resource-lists/users/sip:alice@example.org/index"
     * @param rawQuery the still percent-encoded query, or null
     */
    public static XcapUri parse(String root, String rawPath, String rawQuery) throws Invalid {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        // The separator is found before decoding: a node selector may contain an encoded "/~~/" in a value.
        int separator = path.indexOf(SEPARATOR);
        String documentPart = separator < 0 ? path : path.substring(0, separator);
        Optional<String> selector = separator < 0 ? Optional.empty()
                : Optional.of(decode(path.substring(separator + SEPARATOR.length())));
        String[] segments = documentPart.split("/", -1);
        if (segments.length < 3) {
            throw new Invalid(404, "An XCAP URI needs {auid}/{users|global}/...");
        }
        String auid = decode(segments[0]);
        String tree = decode(segments[1]);
        boolean global;
        String xui;
        int firstDocSegment;
        if (tree.equals("global")) {
            global = true;
            xui = null;
            firstDocSegment = 2;
        } else if (tree.equals("users")) {
            global = false;
            xui = canonicalXui(decode(segments[2]));
            firstDocSegment = 3;
        } else {
            throw new Invalid(404, "The second segment must be 'users' or 'global'");
        }
        StringBuilder document = new StringBuilder();
        for (int i = firstDocSegment; i < segments.length; i++) {
            String segment = decode(segments[i]);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new Invalid(404, "Empty or relative document path segment");
            }
            document.append(document.isEmpty() ? "" : "/").append(segment);
        }
        if (auid.isEmpty() || document.isEmpty()) {
            throw new Invalid(404, "The URI names no document");
        }
        return new XcapUri(root, auid, global, xui, document.toString(), selector,
                rawQuery == null ? Map.of() : namespaces(decode(rawQuery)));
    }

    /** The XUI of a user's documents is their SIP URI; host names are case-insensitive, so lower-case the host. */
    public static String canonicalXui(String xui) throws Invalid {
        int at = xui.lastIndexOf('@');
        if (!xui.regionMatches(true, 0, "sip:", 0, 4) && !xui.regionMatches(true, 0, "sips:", 0, 5)) {
            throw new Invalid(404, "The XUI must be a SIP URI");
        }
        int colon = xui.indexOf(':');
        String scheme = xui.substring(0, colon).toLowerCase(Locale.ROOT);
        if (at < 0) {
            return scheme + ":" + xui.substring(colon + 1).toLowerCase(Locale.ROOT);
        }
        return scheme + ":" + xui.substring(colon + 1, at) + "@" + xui.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> namespaces(String query) throws Invalid {
        Map<String, String> bindings = new LinkedHashMap<>();
        Matcher m = XMLNS.matcher(query);
        int end = 0;
        while (m.lookingAt()) {
            bindings.put(m.group(1), m.group(2));
            end = m.end();
            m.region(end, query.length());
        }
        if (!query.substring(end).isBlank()) {
            throw new Invalid(400, "The query must be a sequence of xmlns(prefix=namespace)");
        }
        return bindings;
    }

    /** Strict percent-decoding of UTF-8 octets; '+' is a plus sign here, not a space. */
    static String decode(String raw) throws Invalid {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            int c = raw.codePointAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new Invalid(400, "Truncated percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new Invalid(400, "Bad percent-encoding");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = Character.toString(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(c) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public DocumentContext document() {
        return new DocumentContext(auid, global, xui, documentPath);
    }

    /** The absolute URI of the document (what no-parent's ancestor points at when only the document exists). */
    public String documentUri() {
        return root + "/" + auid + (global ? "/global/" : "/users/" + xui + "/") + documentPath;
    }

    /** The absolute URI of the user's (or the global) home for this AUID, the ancestor of a missing document. */
    public String homeUri() {
        return root + "/" + auid + (global ? "/global" : "/users/" + xui);
    }
}
