package org.parley.msrp.testpeer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MSRP endpoint for the tests, written from RFC 4975/4976/7977 alone and sharing no code with
 * the server: it AUTHs with a relay (digest per RFC 4976 §5 and RFC 7616), sends chunked SENDs,
 * answers SENDs with 200 and reports success when asked to (RFC 4975 §7.1.3).
 */
public final class TestPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Link link;
    /** This endpoint's own URI (its From-Path); WebSocket clients use an invalid host (RFC 7977 §5). */
    public final String uri;

    public TestPeer(Link link, String uri) {
        this.link = link;
        this.uri = uri;
    }

    public static String id() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public PeerMessage read() throws IOException {
        return PeerMessage.read(link.in());
    }

    public void raw(String text) throws IOException {
        link.send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void raw(byte[] bytes) throws IOException {
        link.send(bytes);
    }

    public boolean closedByPeer() {
        return link.closedByPeer();
    }

    /** Builds a request; {@code body} null for none. Content-Type goes last, as §7.1 demands. */
    public static byte[] request(String tid, String method, Map<String, String> headers, String contentType,
                                 byte[] body, char flag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder("MSRP " + tid + " " + method + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n\r\n");
        }
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("-------" + tid + flag + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** RFC 4976 §5: AUTH, answer the 401's first challenge, return the 200 (which carries Use-Path). */
    public PeerMessage auth(String relayUri, String user, String password) throws IOException {
        return auth(relayUri, user, password, null);
    }

    /** As {@link #auth(String, String, String)}, asking for the grant to last {@code expires} seconds (null: the relay's default). */
    public PeerMessage auth(String relayUri, String user, String password, Long expires) throws IOException {
        String tid = id();
        link.send(request(tid, "AUTH", paths(relayUri), null, null, '$'));
        PeerMessage challenge = read();
        if (challenge.status() != 401) {
            return challenge;
        }
        String header = challenge.all("WWW-Authenticate").getFirst();
        Map<String, String> c = params(header);
        String algorithm = c.getOrDefault("algorithm", "MD5");
        String cnonce = id();
        String nc = "00000001";
        String ha1 = hash(algorithm, user + ":" + c.get("realm") + ":" + password);
        String ha2 = hash(algorithm, "AUTH:" + relayUri);
        String response = hash(algorithm, ha1 + ":" + c.get("nonce") + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        Map<String, String> h = paths(relayUri);
        h.put("Authorization", "Digest username=\"" + user + "\", realm=\"" + c.get("realm") + "\", nonce=\""
                + c.get("nonce") + "\", uri=\"" + relayUri + "\", response=\"" + response + "\", algorithm="
                + algorithm + ", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"");
        if (expires != null) {
            h.put("Expires", expires.toString());
        }
        link.send(request(id(), "AUTH", h, null, null, '$'));
        return read();
    }

    private Map<String, String> paths(String to) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("To-Path", to);
        h.put("From-Path", uri);
        return h;
    }

    /**
     * Sends a message in chunks of at most {@code chunk} bytes (RFC 4975 §7.1.1) and returns the
     * transaction ids used, in order.
     */
    public List<String> send(String toPath, String messageId, String contentType, byte[] body, int chunk,
                             String successReport) throws IOException {
        List<String> tids = new ArrayList<>();
        int offset = 0;
        do {
            int n = Math.min(chunk, body.length - offset);
            String tid = id();
            Map<String, String> h = new LinkedHashMap<>();
            h.put("To-Path", toPath);
            h.put("From-Path", uri);
            h.put("Message-ID", messageId);
            h.put("Success-Report", successReport);
            h.put("Byte-Range", (offset + 1) + "-" + (offset + n) + "/" + body.length);
            byte[] part = new byte[n];
            System.arraycopy(body, offset, part, 0, n);
            offset += n;
            link.send(request(tid, "SEND", h, contentType, part, offset < body.length ? '+' : '$'));
            tids.add(tid);
        } while (offset < body.length);
        return tids;
    }

    /** RFC 4975 §7.2: 200 back to the previous hop only. */
    public void ok(PeerMessage request) throws IOException {
        String previousHop = request.header("From-Path").split(" ")[0];
        link.send(("MSRP " + request.tid() + " 200 OK\r\nTo-Path: " + previousHop + "\r\nFrom-Path: " + uri
                + "\r\n-------" + request.tid() + "$\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 4975 §7.1.3: a success REPORT for the whole message, back along the From-Path. */
    public void reportSuccess(PeerMessage lastChunk, long total) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("To-Path", lastChunk.header("From-Path"));
        h.put("From-Path", uri);
        h.put("Message-ID", lastChunk.header("Message-ID"));
        h.put("Byte-Range", "1-" + total + "/" + total);
        h.put("Status", "000 200 OK");
        link.send(request(id(), "REPORT", h, null, null, '$'));
    }

    private static Map<String, String> params(String challenge) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : challenge.substring(challenge.indexOf(' ') + 1).split(",")) {
            String[] kv = part.strip().split("=", 2);
            out.put(kv[0].toLowerCase(), kv[1].replace("\"", ""));
        }
        return out;
    }

    private static String hash(String algorithm, String data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm.equals("MD5") ? "MD5" : "SHA-256")
                    .digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        link.close();
    }
}
