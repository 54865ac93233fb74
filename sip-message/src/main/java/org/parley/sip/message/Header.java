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
    /* Made at most once; unsynchronized on purpose: a thread that sees null makes an equal copy. */
    private String value;

    public Header(String name, String value) {
        this.name = HeaderNames.canonical(name);
        this.value = value;
        this.head = null;
        this.start = 0;
        this.end = 0;
    }

    /**
     * The value {@code head[start, end)} of an ASCII head (a head with other octets is UTF-8 text:
     * the parser gives its values as text), white space around it already cut off.
     */
    Header(String canonicalName, byte[] head, int start, int end) {
        this.name = canonicalName;
        this.head = head;
        this.start = start;
        this.end = end;
    }

    public String name() {
        return name;
    }

    public String value() {
        String v = value;
        if (v == null && head != null) {
            v = new String(head, start, end - start, StandardCharsets.ISO_8859_1);
            value = v;
        }
        return v;
    }

    /** The length of the value in octets when {@link #copyValue} can write it, else -1. */
    int octets() {
        return head != null ? end - start : -1;
    }

    /** Copies the received ASCII octets of the value (see {@link #octets}) to {@code out}; returns the index after them. */
    int copyValue(byte[] out, int at) {
        System.arraycopy(head, start, out, at, end - start);
        return at + end - start;
    }

    /**
     * The value as a bounded number ({@link HeaderValues#boundedNumber}, the same faults), read
     * from the received octets without making the text: Content-Length, Max-Forwards and Expires
     * are checked on every request.
     */
    long number(long max, String what) {
        if (head == null || value != null) {
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
        if (head != null && value == null) {
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
