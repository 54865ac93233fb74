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
 * Flow tokens (RFC 5626 §5.2): the flow a device is reached on, sealed with an HMAC and carried
 * in the user part of this proxy's Record-Route, so that requests later in the dialog go back
 * over that same connection. A token that does not verify is ignored, never trusted.
 */
final class FlowTokens {
    private static final int MAC_BYTES = 10;
    private final SecretKeySpec key;

    FlowTokens() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String encode(Flow flow) {
        byte[] payload = flow.token().getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(mac(payload), MAC_BYTES + payload.length);
        System.arraycopy(payload, 0, out, MAC_BYTES, payload.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    Optional<Flow> decode(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token);
            if (raw.length <= MAC_BYTES) {
                return Optional.empty();
            }
            byte[] payload = Arrays.copyOfRange(raw, MAC_BYTES, raw.length);
            if (!MessageDigest.isEqual(mac(payload), Arrays.copyOf(raw, MAC_BYTES))) {
                return Optional.empty();
            }
            return Optional.of(Flow.parse(new String(payload, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return Arrays.copyOf(m.doFinal(payload), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
