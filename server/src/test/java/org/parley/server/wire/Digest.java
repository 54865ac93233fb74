package org.parley.server.wire;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.accounts.digest.DigestAlgorithm;

/** The client side of digest (RFC 7616 §3.4) for wire tests: answers one challenge. */
public record Digest(String realm, String nonce, DigestAlgorithm algorithm, boolean stale) {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(\"([^\"]*)\"|([^,\\s]+))");

    public static Digest parse(String challenge) {
        String realm = null;
        String nonce = null;
        String algorithm = "MD5";
        boolean stale = false;
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            String v = m.group(3) != null ? m.group(3) : m.group(4);
            switch (m.group(1).toLowerCase()) {
                case "realm" -> realm = v;
                case "nonce" -> nonce = v;
                case "algorithm" -> algorithm = v;
                case "stale" -> stale = v.equalsIgnoreCase("true");
                default -> {
                }
            }
        }
        return new Digest(realm, nonce, DigestAlgorithm.fromToken(algorithm).orElseThrow(), stale);
    }

    /** The Authorization header value for a request with qop=auth and nonce-count {@code nc}. */
    public String authorization(String method, String uri, String user, String password, int nc) {
        String ha1 = algorithm.hash(user + ":" + realm + ":" + password);
        String ha2 = algorithm.hash(method + ":" + uri);
        String ncHex = String.format("%08x", nc);
        String cnonce = "c" + nc + "x" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        String response = algorithm.hash(ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm.token() + ", qop=auth, nc=" + ncHex
                + ", cnonce=\"" + cnonce + "\"";
    }
}
