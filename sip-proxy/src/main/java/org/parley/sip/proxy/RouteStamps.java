package org.parley.sip.proxy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.sip.transport.Flow;

/**
 * The user part of every Record-Route this proxy inserts: a stamp sealed with an HMAC, so that a
 * Route naming this server is followed only when the server recorded it (issue 9 §2 — otherwise
 * anybody's in-dialog request with a made-up Route makes the server a relay and an amplifier).
 * The stamp is bound to the dialog's Call-ID and carries what the server knew when it recorded the
 * route: the flow the device is reached on (RFC 5626 §5.2 flow token, so later requests go back
 * over that connection, §5.3) and the next hop after it, the first entry of the device's Path
 * (RFC 3327). A stamp that does not verify is ignored, never trusted.
 */
final class RouteStamps {
    private static final int MAC_BYTES = 10;
    private static final char SEPARATOR = '\n';
    private final SecretKeySpec key;

    /** What a verified stamp says. */
    record Stamp(Optional<Flow> flow, Optional<String> nextHop) {
    }

    RouteStamps() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * @param deviceFlow the device's flow, or null when the request does not go to a registered device
     * @param nextHop    the Route the request is sent to after this server (a Path entry), or null
     */
    String encode(String callId, Flow deviceFlow, String nextHop) {
        byte[] payload = ((deviceFlow == null ? "" : deviceFlow.token()) + SEPARATOR + (nextHop == null ? "" : nextHop))
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(mac(callId, payload), MAC_BYTES + payload.length);
        System.arraycopy(payload, 0, out, MAC_BYTES, payload.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The stamp, when {@code user} is one this server made for a dialog with this Call-ID. */
    Optional<Stamp> decode(String user, String callId) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(user);
            if (raw.length <= MAC_BYTES) {
                return Optional.empty();
            }
            byte[] payload = Arrays.copyOfRange(raw, MAC_BYTES, raw.length);
            if (!MessageDigest.isEqual(mac(callId, payload), Arrays.copyOf(raw, MAC_BYTES))) {
                return Optional.empty();
            }
            String text = new String(payload, StandardCharsets.UTF_8);
            int sep = text.indexOf(SEPARATOR);
            String flow = text.substring(0, sep);
            String next = text.substring(sep + 1);
            return Optional.of(new Stamp(flow.isEmpty() ? Optional.empty() : Optional.of(Flow.parse(flow)),
                    next.isEmpty() ? Optional.empty() : Optional.of(next)));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String callId, byte[] payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update(callId.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return Arrays.copyOf(m.doFinal(payload), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
