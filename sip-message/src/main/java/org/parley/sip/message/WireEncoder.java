package org.parley.sip.message;

import java.nio.charset.StandardCharsets;

/**
 * The wire form of a message (RFC 3261 §7), with a Content-Length that always matches the body.
 * Every message the proxy relays is encoded once per hop, so the common case — a head of ASCII
 * only — is written straight into the one array sent, sized up front (issue 13 §3); a head with
 * other characters goes through UTF-8 encoding.
 */
final class WireEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};

    private WireEncoder() {
    }

    static byte[] encode(SipMessage m) {
        byte[] body = m.body();
        String length = Integer.toString(body.length);
        String startLine = m.startLine();
        int size = startLine.length() + 2;
        Headers headers = m.headers();
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            if (!h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                size += h.name().length() + 2 + h.value().length() + 2;
            }
        }
        size += HeaderNames.CONTENT_LENGTH.length() + 2 + length.length() + 4;
        byte[] out = new byte[size + body.length];
        int at = ascii(startLine, out, 0);
        at = at < 0 ? at : put(CRLF, out, at);
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            if (at >= 0 && !h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                at = ascii(h.name(), out, at);
                at = at < 0 ? at : ascii(h.value(), out, put(COLON_SPACE, out, at));
                at = at < 0 ? at : put(CRLF, out, at);
            }
        }
        if (at < 0) {
            return utf8(m, body, length);
        }
        at = put(COLON_SPACE, out, ascii(HeaderNames.CONTENT_LENGTH, out, at));
        at = put(CRLF, out, put(CRLF, out, ascii(length, out, at)));
        System.arraycopy(body, 0, out, at, body.length);
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

    private static int put(byte[] bytes, byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static byte[] utf8(SipMessage m, byte[] body, String length) {
        StringBuilder sb = new StringBuilder(512).append(m.startLine()).append("\r\n");
        for (Header h : m.headers().asList()) {
            if (!h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        sb.append(HeaderNames.CONTENT_LENGTH).append(": ").append(length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
