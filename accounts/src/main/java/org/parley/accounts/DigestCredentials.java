package org.parley.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The digest HA1 values of one account for the service realm (RFC 7616 section 3.4.2):
 * H(username ":" realm ":" password) with MD5 and with SHA-256, lower-case hex.
 */
public record DigestCredentials(String username, String realm, String ha1Md5, String ha1Sha256) {
    /** Whether {@code password} is the account's, for the realm its hashes were made for (time-constant compare). */
    public boolean matches(String password) {
        String presented = DigestHashes.ha1(DigestHashes.SHA_256, username, realm, password);
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                ha1Sha256.getBytes(StandardCharsets.US_ASCII));
    }
}
