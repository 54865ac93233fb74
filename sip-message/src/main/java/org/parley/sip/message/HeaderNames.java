package org.parley.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Canonical spelling of header names, compact forms (RFC 3261 §7.3.3 and later RFCs) included. */
public final class HeaderNames {
    public static final String VIA = "Via";
    public static final String FROM = "From";
    public static final String TO = "To";
    public static final String CALL_ID = "Call-ID";
    public static final String CSEQ = "CSeq";
    public static final String CONTACT = "Contact";
    public static final String MAX_FORWARDS = "Max-Forwards";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String EXPIRES = "Expires";
    public static final String MIN_EXPIRES = "Min-Expires";
    public static final String ROUTE = "Route";
    public static final String RECORD_ROUTE = "Record-Route";
    public static final String PATH = "Path";
    public static final String REQUIRE = "Require";
    public static final String PROXY_REQUIRE = "Proxy-Require";
    public static final String SUPPORTED = "Supported";
    public static final String UNSUPPORTED = "Unsupported";
    public static final String ALLOW = "Allow";
    public static final String ACCEPT = "Accept";
    public static final String USER_AGENT = "User-Agent";
    public static final String SERVER = "Server";
    public static final String AUTHORIZATION = "Authorization";
    public static final String PROXY_AUTHORIZATION = "Proxy-Authorization";
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    public static final String PROXY_AUTHENTICATE = "Proxy-Authenticate";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String DATE = "Date";
    public static final String P_ACCESS_NETWORK_INFO = "P-Access-Network-Info";
    public static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    public static final String WARNING = "Warning";

    private static final Map<String, String> CANONICAL = new HashMap<>();
    /**
     * The names as the code and most clients spell them, to their canonical form: looked up first,
     * so that the lookups of every request (Call-ID, CSeq, Via...) allocate no lower-cased copy.
     */
    private static final Map<String, String> AS_SPELT = new HashMap<>();

    static {
        for (String n : new String[] {VIA, FROM, TO, CALL_ID, CSEQ, CONTACT, MAX_FORWARDS, CONTENT_LENGTH,
                CONTENT_TYPE, EXPIRES, MIN_EXPIRES, ROUTE, RECORD_ROUTE, PATH, REQUIRE, PROXY_REQUIRE, SUPPORTED,
                UNSUPPORTED, ALLOW, ACCEPT, USER_AGENT, SERVER, AUTHORIZATION, PROXY_AUTHORIZATION, WWW_AUTHENTICATE,
                PROXY_AUTHENTICATE, RETRY_AFTER, DATE, P_ACCESS_NETWORK_INFO, P_ASSERTED_IDENTITY, WARNING,
                "Content-Encoding", "Subject", "Event", "Allow-Events", "Refer-To", "Referred-By",
                "Session-Expires", "Identity", "Accept-Contact", "Reject-Contact", "Request-Disposition",
                "Subscription-State", "SIP-ETag", "SIP-If-Match", "Content-Disposition", "Privacy"}) {
            CANONICAL.put(n.toLowerCase(Locale.ROOT), n);
        }
        String[][] compact = {{"i", CALL_ID}, {"m", CONTACT}, {"e", "Content-Encoding"}, {"l", CONTENT_LENGTH},
            {"c", CONTENT_TYPE}, {"f", FROM}, {"s", "Subject"}, {"k", SUPPORTED}, {"t", TO}, {"v", VIA},
            {"o", "Event"}, {"u", "Allow-Events"}, {"r", "Refer-To"}, {"b", "Referred-By"},
            {"x", "Session-Expires"}, {"y", "Identity"}, {"a", "Accept-Contact"}, {"j", "Reject-Contact"},
            {"d", "Request-Disposition"}};
        for (String[] c : compact) {
            CANONICAL.put(c[0], c[1]);
        }
        CANONICAL.forEach((lower, canonical) -> {
            AS_SPELT.put(canonical, canonical);
            AS_SPELT.put(lower, canonical);
        });
    }

    /**
     * The spellings of {@link #AS_SPELT} by their length and first character ({@link #key}), to find
     * one in a text without copying it: nearly always one candidate or none, compared at once.
     */
    private static final String[][] SPELT_BY_KEY;
    /** The canonical names of {@link #SPELT_BY_KEY}'s spellings, at the same places. */
    private static final String[][] CANONICAL_BY_KEY;
    private static final int LONGEST_SPELT;
    /** The canonical names by their length, for {@link #isKnown}. */
    private static final String[][] KNOWN_BY_LENGTH;

    static {
        int longest = 0;
        for (String spelt : AS_SPELT.keySet()) {
            longest = Math.max(longest, spelt.length());
        }
        LONGEST_SPELT = longest;
        SPELT_BY_KEY = new String[key(longest, 127) + 1][];
        CANONICAL_BY_KEY = new String[SPELT_BY_KEY.length][];
        Map<Integer, List<String>> byKey = AS_SPELT.keySet().stream().sorted()
                .collect(Collectors.groupingBy(n -> key(n.length(), n.charAt(0))));
        for (int k = 0; k < SPELT_BY_KEY.length; k++) {
            SPELT_BY_KEY[k] = byKey.getOrDefault(k, List.of()).toArray(String[]::new);
            CANONICAL_BY_KEY[k] = Arrays.stream(SPELT_BY_KEY[k]).map(AS_SPELT::get).toArray(String[]::new);
        }
        KNOWN_BY_LENGTH = new String[longest + 1][];
        for (int n = 0; n <= longest; n++) {
            final int length = n;
            KNOWN_BY_LENGTH[n] = AS_SPELT.values().stream().distinct().filter(c -> c.length() == length).toArray(String[]::new);
        }
    }


    /** Headers that RFC 3261 allows only once; two of them make a request malformed (RFC 4475 §3.3.8). */
    public static final Set<String> SINGLE = Set.of(FROM, TO, CALL_ID, CSEQ, MAX_FORWARDS, CONTENT_LENGTH,
            CONTENT_TYPE, EXPIRES, MIN_EXPIRES);

    /** {@link #SINGLE}'s test of a canonical name, by identity: the parser asks it of every line it checks. */
    static boolean isSingle(String canonicalName) {
        return canonicalName == FROM || canonicalName == TO || canonicalName == CALL_ID || canonicalName == CSEQ
                || canonicalName == MAX_FORWARDS || canonicalName == CONTENT_LENGTH || canonicalName == CONTENT_TYPE
                || canonicalName == EXPIRES || canonicalName == MIN_EXPIRES;
    }

    /** Headers whose value has commas of its own and so is never split into elements. */
    public static final Set<String> NOT_LISTS = Set.of(WWW_AUTHENTICATE, AUTHORIZATION, PROXY_AUTHENTICATE,
            PROXY_AUTHORIZATION, DATE, RETRY_AFTER, "Subject", USER_AGENT, SERVER, WARNING);

    private HeaderNames() {
    }

    /**
     * The canonical name of the ASCII octets {@code head[start, end)}: found in place when it is
     * spelt as the code or most clients spell it (every line of nearly every message), else copied
     * and looked up.
     */
    static String canonical(byte[] head, int start, int end) {
        int length = end - start;
        if (length > 0 && length <= LONGEST_SPELT && head[start] >= 0) {
            int key = key(length, head[start]);
            String[] spellings = SPELT_BY_KEY[key];
            for (int i = 0; i < spellings.length; i++) {
                if (spelt(spellings[i], head, start)) {
                    return CANONICAL_BY_KEY[key][i];
                }
            }
        }
        return canonical(new String(head, start, length, StandardCharsets.ISO_8859_1));
    }

    /** The place of the spellings of this length and first (ASCII) character. */
    private static int key(int length, int first) {
        return length << 7 | first;
    }

    /** Whether {@code head} holds {@code spelling} at {@code start}, its first character already known to match. */
    private static boolean spelt(String spelling, byte[] head, int start) {
        for (int i = 1; i < spelling.length(); i++) {
            if (head[start + i] != spelling.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code canonicalName} is one of the canonical names this class knows (it is then
     * the very constant {@link #canonical} gives for every spelling of it).
     */
    static boolean isKnown(String canonicalName) {
        // by identity among the few canonical names of its length: every lookup of a header asks this
        int length = canonicalName.length();
        if (length >= KNOWN_BY_LENGTH.length) {
            return false;
        }
        for (String known : KNOWN_BY_LENGTH[length]) {
            if (known == canonicalName) {
                return true;
            }
        }
        return false;
    }

    public static String canonical(String name) {
        String spelt = AS_SPELT.get(name);
        if (spelt != null) {
            return spelt;
        }
        String c = CANONICAL.get(name.toLowerCase(Locale.ROOT));
        return c != null ? c : name;
    }
}
