package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.parley.sip.message.SipParseException;

/**
 * The parts of a multipart body (RFC 2046 §5.1), byte-exact: each part's content is the octets
 * between its header block and the next delimiter, never re-encoded (MT-4, PP-7).
 */
public record Multipart(List<Part> parts) {

    /** One body part: its headers (names lower-cased) and its content. */
    public record Part(Map<String, String> headers, byte[] content) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        public String contentType() {
            return header("content-type").orElse("text/plain");
        }
    }

    /** @throws SipParseException when the body does not follow the multipart syntax */
    public static Multipart parse(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + delimiter.length <= body.length; i++) {
            if ((i == 0 || body[i - 1] == '\n') && matches(body, i, delimiter)) {
                starts.add(i);
                i += delimiter.length - 1;
            }
        }
        if (starts.size() < 2) {
            throw new SipParseException("multipart body without its boundaries");
        }
        List<Part> parts = new ArrayList<>();
        for (int k = 0; k + 1 < starts.size(); k++) {
            int from = lineEnd(body, starts.get(k));
            int to = starts.get(k + 1);
            // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
            to -= (to >= 2 && body[to - 2] == '\r') ? 2 : 1;
            parts.add(part(Arrays.copyOfRange(body, from, Math.max(from, to))));
        }
        return new Multipart(List.copyOf(parts));
    }

    private static String boundary(String contentType) {
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring(9).strip();
                return b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2 ? b.substring(1, b.length() - 1) : b;
            }
        }
        throw new SipParseException("multipart Content-Type without a boundary");
    }

    private static Part part(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int skip = 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            skip = 2;
        }
        if (end < 0) {
            return new Part(Map.of(), raw);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.substring(0, end).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return new Part(Map.copyOf(headers), Arrays.copyOfRange(raw, end + skip, raw.length));
    }

    private static boolean matches(byte[] body, int at, byte[] what) {
        for (int j = 0; j < what.length; j++) {
            if (body[at + j] != what[j]) {
                return false;
            }
        }
        return true;
    }

    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i + 1;
            }
        }
        return body.length;
    }
}
