package org.parley.msrp.testpeer;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One MSRP message as the test peer reads it, written from RFC 4975 §9 alone: a start line
 * {@code MSRP tid method} or {@code MSRP tid code comment}, "Name: value" lines, and either the
 * end-line right away or a blank line, the body, CRLF and the end-line.
 */
public record PeerMessage(String tid, String method, int status, String comment, List<String[]> headers, byte[] body,
                          char flag) {

    public boolean isRequest() {
        return method != null;
    }

    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                out.add(h[1]);
            }
        }
        return out;
    }

    public static PeerMessage read(InputStream in) throws IOException {
        String start = line(in);
        while (start.isEmpty()) {
            start = line(in);
        }
        String[] words = start.split(" ", 4);
        if (words.length < 3 || !words[0].equals("MSRP")) {
            throw new IOException("not an MSRP start line: " + start);
        }
        String tid = words[1];
        String method = null;
        int status = 0;
        String comment = "";
        if (words[2].matches("[0-9]{3}")) {
            status = Integer.parseInt(words[2]);
            comment = words.length > 3 ? words[3] : "";
        } else {
            method = words[2];
        }
        String endLine = "-------" + tid;
        List<String[]> headers = new ArrayList<>();
        while (true) {
            String l = line(in);
            if (l.startsWith(endLine) && l.length() == endLine.length() + 1) {
                return new PeerMessage(tid, method, status, comment, headers, null, l.charAt(l.length() - 1));
            }
            if (l.isEmpty()) {
                break;
            }
            int colon = l.indexOf(": ");
            headers.add(new String[] {l.substring(0, colon), l.substring(colon + 2)});
        }
        byte[] marker = ("\r\n" + endLine).getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[1024];
        int len = 0;
        while (true) {
            if (len == body.length) {
                body = Arrays.copyOf(body, len * 2);
            }
            body[len++] = (byte) next(in);
            if (endsWith(body, len, marker)) {
                char flag = (char) next(in);
                if (next(in) != '\r' || next(in) != '\n') {
                    throw new IOException("end-line not followed by CRLF");
                }
                return new PeerMessage(tid, method, status, comment, headers,
                        Arrays.copyOf(body, len - marker.length), flag);
            }
        }
    }

    private static boolean endsWith(byte[] b, int len, byte[] suffix) {
        if (len < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (b[len - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = next(in);
            if (prev == '\r' && c == '\n') {
                byte[] all = b.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }
}
