package org.parley.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One header field line; {@code name} is in canonical spelling, {@code value} is unfolded and trimmed.
 * Equal when name and value are, as a record would be.
 *
 * <p>A line the parser read is kept as where its value stands in the received head: most values
 * of a request (credentials relayed or removed, User-Agent, Content-Length...) are never read, so
 * the text is made only when {@link #value} is first asked for, and the encoder copies the
 * received octets of a line nobody changed (issue 13).
 */
public final class Header {
    private final String name;
    /** The received head the value stands in, or null when the value was given as text. */
    private final byte[] head;
    private final int start;
    private final int end;
    /** The tag a response adds to the received To (§8.2.6.2), ASCII, written after its octets; else null. */
    private final String tag;
    /** The Via this line was given as (a Via stamped or put on top), written from its parts; else null. */
    private final Via via;
    /* Made at most once; unsynchronized on purpose: a thread that sees null makes an equal copy. */
    private String value;

    public Header(String name, String value) {
        this(HeaderNames.canonical(name), null, 0, 0, null, null);
        this.value = value;
    }

    /**
     * A Via line given as its element: the transport stamps received and rport on the top Via of
     * every request and the client transaction puts its own on top, so the encoder writes the
     * parts straight into the message and the text is made only if {@link #value} is asked for.
     */
    Header(Via via) {
        this(HeaderNames.VIA, null, 0, 0, null, via);
    }

    /**
     * The value {@code head[start, end)} of an ASCII head (a head with other octets is UTF-8 text:
     * the parser gives its values as text), white space around it already cut off.
     */
    Header(String canonicalName, byte[] head, int start, int end) {
        this(canonicalName, head, start, end, null, null);
    }

    private Header(String canonicalName, byte[] head, int start, int end, String tag, Via via) {
        this.name = canonicalName;
        this.head = head;
        this.start = start;
        this.end = end;
        this.tag = tag;
        this.via = via;
    }

    /**
     * This received line with {@code ;tag=} and an ASCII tag after it: the To of a response to a
     * request without a To tag (§8.2.6.2), which every first request of a dialog or transaction
     * gets, written as the received octets and the tag rather than made into a text and joined.
     * Only for a line whose {@link #octets} are known.
     */
    Header withTag(String asciiTag) {
        return new Header(name, head, start, end, asciiTag, null);
    }

    public String name() {
        return name;
    }

    public String value() {
        String v = value;
        if (v == null && head != null) {
            v = new String(head, start, end - start, StandardCharsets.ISO_8859_1);
            v = tag == null ? v : v + TAG + tag;
            value = v;
        } else if (v == null && via != null) {
            v = via.toString();
            value = v;
        }
        return v;
    }

    /** The Via this line was given as ({@link #Header(Via)}), or null. */
    Via via() {
        return via;
    }

    /** The length of the value in octets when {@link #copyValue} can write it, else -1. */
    int octets() {
        return head == null ? -1 : tag == null ? end - start : end - start + TAG.length() + tag.length();
    }

    /** Copies the received ASCII octets of the value (see {@link #octets}) to {@code out}; returns the index after them. */
    int copyValue(byte[] out, int at) {
        System.arraycopy(head, start, out, at, end - start);
        at += end - start;
        if (tag != null) {
            at = ascii(TAG, out, at);
            at = ascii(tag, out, at);
        }
        return at;
    }

    private static final String TAG = ";tag=";

    private static int ascii(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /**
     * The value as a bounded number ({@link HeaderValues#boundedNumber}, the same faults), read
     * from the received octets without making the text: Content-Length, Max-Forwards and Expires
     * are checked on every request.
     */
    long number(long max, String what) {
        if (head == null || value != null || tag != null) {
            return HeaderValues.boundedNumber(value(), max, what);
        }
        if (start == end) {
            throw new SipParseException(what + " is not a number");
        }
        int first = start;
        while (first < end - 1 && head[first] == '0') {
            first++;
        }
        long n = 0;
        for (int i = first; i < end; i++) {
            byte b = head[i];
            if (b < '0' || b > '9') {
                throw new SipParseException(what + " is not a number");
            }
            n = n * 10 + (b - '0');
        }
        if (end - first > 18 || n > max) {
            throw new SipParseException(what + " out of range");
        }
        return n;
    }

    /**
     * The value as a CSeq (§20.16), read from the received octets when it is written as nearly
     * every client writes it — digits, one space, a known method — and by {@link CSeq#parse}
     * otherwise, which also gives every fault: the two agree on every value the first accepts.
     */
    CSeq cseq() {
        if (head != null && value == null && tag == null) {
            int i = start;
            long n = 0;
            while (i < end && i - start < 10 && head[i] >= '0' && head[i] <= '9') {
                n = n * 10 + (head[i++] - '0');
            }
            if (i > start && i < end && head[i] == ' ' && n <= Integer.MAX_VALUE) {
                String method = Lexer.knownMethod(head, i + 1, end);
                if (method != null) {
                    return new CSeq(n, method);
                }
            }
        }
        return CSeq.parse(value());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header other && name.equals(other.name) && Objects.equals(value(), other.value());
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Objects.hashCode(value());
    }

    @Override
    public String toString() {
        return "Header[name=" + name + ", value=" + value() + "]";
    }
}
