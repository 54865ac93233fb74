package org.parley.sip.message;

import java.nio.charset.StandardCharsets;

/**
 * The wire form of a message (RFC 3261 §7), with a Content-Length that always matches the body.
 * Every message the proxy relays is encoded once per hop and every request is answered, so the
 * common case — a head of ASCII only — is written straight into the one array sent, sized up
 * front: the start line from its parts, the value of a line as it was received (Via, From, To,
 * Call-ID, CSeq copied into a response; every line a relay did not change) as octets, the others
 * from their text (issue 13). A head with other characters goes through UTF-8 encoding.
 */
final class WireEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};
    private static final byte[] VERSION = {'S', 'I', 'P', '/', '2', '.', '0'};
    private static final byte[] VIA_VERSION = {'S', 'I', 'P', '/', '2', '.', '0', '/'};

    private WireEncoder() {
    }

    static byte[] encode(SipMessage m) {
        byte[] body = m.body();
        int length = body.length;
        // a request's start line is the method, its URI's text and the version; a response's the
        // version, three digits and the reason
        String method = null;
        String target = null;
        SipUri sipTarget = null; // a SIP Request-URI is written from its parts, never made into a text first
        int targetLength;
        if (m instanceof SipRequest r) {
            method = r.method();
            if (r.requestUri() instanceof SipUri sip) {
                sipTarget = sip;
                targetLength = sip.textLength();
            } else {
                target = r.requestUri().toString();
                targetLength = target.length();
            }
        } else {
            target = ((SipResponse) m).reason();
            targetLength = target.length();
        }
        int size = (method == null ? VERSION.length + digits(((SipResponse) m).status()) + 2 : method.length() + 2 + VERSION.length)
                + targetLength + 2;
        Headers headers = m.headers();
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            if (!h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                int octets = h.octets();
                size += h.name().length() + 2 + (octets >= 0 ? octets : h.via() != null ? h.via().textLength() : h.value().length()) + 2;
            }
        }
        size += HeaderNames.CONTENT_LENGTH.length() + 2 + digits(length) + 4;
        byte[] out = new byte[size + length];
        int at;
        if (method == null) {
            at = put(VERSION, out, 0);
            out[at++] = ' ';
            at = number(((SipResponse) m).status(), out, at);
            out[at++] = ' ';
            at = ascii(target, out, at);
        } else {
            at = ascii(method, out, 0);
            if (at >= 0) {
                out[at++] = ' ';
                at = sipTarget != null ? uri(sipTarget, out, at) : ascii(target, out, at);
            }
            if (at >= 0) {
                out[at++] = ' ';
                at = put(VERSION, out, at);
            }
        }
        at = at < 0 ? at : put(CRLF, out, at);
        for (int i = 0; i < headers.size() && at >= 0; i++) {
            Header h = headers.get(i);
            if (!h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                at = put(COLON_SPACE, out, ascii(h.name(), out, at));
                at = h.octets() >= 0 ? h.copyValue(out, at) : h.via() != null ? via(h.via(), out, at) : ascii(h.value(), out, at);
                at = at < 0 ? at : put(CRLF, out, at);
            }
        }
        if (at < 0) {
            return utf8(m, body);
        }
        at = put(COLON_SPACE, out, ascii(HeaderNames.CONTENT_LENGTH, out, at));
        at = put(CRLF, out, put(CRLF, out, number(length, out, at)));
        System.arraycopy(body, 0, out, at, length);
        return out;
    }

    /** Copies an ASCII string; -1 at the first other character (the caller starts over as UTF-8). */
    private static int ascii(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            out[at++] = (byte) c;
        }
        return at;
    }

    /** Writes what {@link SipUri#toString} says, as ASCII; -1 at the first other character. */
    private static int uri(SipUri u, byte[] out, int at) {
        at = ascii(u.scheme(), out, at);
        out[at++] = ':';
        if (u.user() != null) {
            at = ascii(u.user(), out, at);
            if (at >= 0 && u.password() != null) {
                out[at++] = ':';
                at = ascii(u.password(), out, at);
            }
            if (at < 0) {
                return at;
            }
            out[at++] = '@';
        }
        at = ascii(u.host(), out, at);
        if (at >= 0 && u.port() >= 0) {
            out[at++] = ':';
            at = number(u.port(), out, at);
        }
        at = at < 0 ? at : params(u.params(), out, at);
        if (at >= 0 && u.headers() != null) {
            out[at++] = '?';
            at = ascii(u.headers(), out, at);
        }
        return at;
    }

    /** Writes what {@link Via#toString} says, as ASCII; -1 at the first other character. */
    private static int via(Via v, byte[] out, int at) {
        at = put(VIA_VERSION, out, at);
        at = ascii(v.transport(), out, at);
        if (at < 0) {
            return at;
        }
        out[at++] = ' ';
        at = ascii(v.host(), out, at);
        if (at >= 0 && v.port() >= 0) {
            out[at++] = ':';
            at = number(v.port(), out, at);
        }
        return at < 0 ? at : params(v.params(), out, at);
    }

    /** Writes each parameter as {@code ;name[=value]}, as {@link Params#appendTo} does; -1 at the first other character than ASCII. */
    private static int params(Params params, byte[] out, int at) {
        for (int i = 0; i < params.size() && at >= 0; i++) {
            Params.Param p = params.param(i);
            out[at++] = ';';
            at = ascii(p.name(), out, at);
            if (at >= 0 && p.value() != null) {
                out[at++] = '=';
                at = ascii(p.value(), out, at);
            }
        }
        return at;
    }

    private static int put(byte[] bytes, byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** The number of decimal digits of a non-negative number. */
    static int digits(int n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }

    /** Writes a non-negative number in decimal, without a string for it. */
    private static int number(int n, byte[] out, int at) {
        int end = at + digits(n);
        for (int i = end - 1; i >= at; i--) {
            out[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return end;
    }

    private static byte[] utf8(SipMessage m, byte[] body) {
        StringBuilder sb = new StringBuilder(512).append(m.startLine()).append("\r\n");
        for (Header h : m.headers().asList()) {
            if (!h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        sb.append(HeaderNames.CONTENT_LENGTH).append(": ").append(body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
