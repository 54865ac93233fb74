package org.parley.sip.message;

/**
 * The host names and addresses of recent URIs and Vias, so that a host every message carries
 * (the domain in the Request-URI, From and To, a client's address in its Via) is one String the
 * parser hands out again rather than a new copy for every URI of every message (issue 13).
 *
 * <p>A small table indexed by a hash of the text, each slot the last host that fell there: a miss
 * copies the text and takes the slot. Unsynchronized on purpose: a slot holds an immutable String
 * or null, so a thread reads either a host to compare or nothing, never a wrong answer; hostile
 * traffic can only make every lookup a miss, and the table never holds more than its slots.
 */
final class RecentHosts {
    private static final int SLOTS = 256;
    /** Longer hosts are copied, never kept: names this long are rare and would crowd out the usual ones. */
    private static final int LONGEST = 64;
    private static final String[] TABLE = new String[SLOTS];

    private RecentHosts() {
    }

    /** {@code text[start, end)} as written (case kept): the String already in the table when it is equal, else a copy. */
    static String host(String text, int start, int end) {
        int length = end - start;
        if (length == 0 || length > LONGEST) {
            return text.substring(start, end);
        }
        int h = length;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        int slot = (h ^ (h >>> 8) ^ (h >>> 16)) & (SLOTS - 1);
        String known = TABLE[slot];
        if (known != null && known.length() == length && Lexer.holds(text, start, known)) {
            return known;
        }
        String copy = text.substring(start, end);
        TABLE[slot] = copy;
        return copy;
    }
}
