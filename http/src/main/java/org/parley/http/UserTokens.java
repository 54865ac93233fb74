package org.parley.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.parley.accounts.DigestCredentials;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Bearer access tokens for subscribers (RFC 6750; GS-1): a compact JWS, HMAC-SHA-256 under a random
 * 256-bit key drawn when the server starts and held only in memory, so every token dies with the
 * process (a restart logs every browser out; they log in again with the SIP password). The claims
 * are {@code sub} (the canonical user name), {@code iss} {@value #ISSUER}, {@code aud} (the SIP
 * domain), {@code iat}, {@code exp}, a random {@code jti} and {@value #CREDENTIALS_CLAIM}, a keyed
 * hash of the account's digest hashes when the token was issued; the header carries
 * {@code typ: at+jwt} (RFC 9068 §2.1) so no other kind of JWT passes for an access token.
 * <p>
 * This class checks the token itself; the caller checks that the account still exists and, with
 * {@link #stillCurrent}, that its password has not changed since: a password change (or deletion)
 * is what revokes a user's tokens, without a list of revoked tokens to share.
 */
final class UserTokens {
    static final String ISSUER = "parley";
    /** Tolerance on {@code exp} and {@code iat}, for tokens checked on another clock than the one that issued them. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    /** Names the credentials a token was issued for; a private claim name (RFC 7519 §4.3). */
    static final String CREDENTIALS_CLAIM = "parley_cred";
    private static final int KEY_BYTES = 32;
    private static final int STAMP_BYTES = 16;

    private final byte[] key;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    private UserTokens(byte[] key, String audience, Duration lifetime, Clock clock) {
        if (audience.isBlank()) {
            throw new IllegalArgumentException("The token audience (the SIP domain) must not be blank");
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.toSeconds() == 0) {
            throw new IllegalArgumentException("The user token lifetime must be at least one second");
        }
        this.key = key.clone();
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Unusable HMAC key: " + e.getMessage(), e);
        }
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock);
    }

    /** Tokens for {@code audience} under a fresh random key, valid for {@code lifetime} (whole seconds). */
    static UserTokens withRandomKey(String audience, Duration lifetime, Clock clock) {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new UserTokens(key, audience, lifetime, clock);
    }

    /** A new token for the account of {@code credentials}, with its lifetime in seconds. */
    Issued issue(DigestCredentials credentials) {
        String username = credentials.username();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long seconds = lifetime.toSeconds();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(username)
                .issuer(ISSUER)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(seconds)))
                .jwtID(UUID.randomUUID().toString())
                .claim(CREDENTIALS_CLAIM, stamp(credentials))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return new Issued(jwt.serialize(), seconds);
    }

    /**
     * Whether {@code token} is worth a look as a JWS at all: three dot-separated parts. Lets a door
     * that also takes a static bearer token (the admin's) tell the two apart without parsing either.
     */
    static boolean looksLikeJws(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return second > 0 && token.indexOf('.', second + 1) < 0;
    }

    /**
     * Checks the signature, the header ({@code alg} HS256 only, {@code typ} at+jwt), {@code iss},
     * {@code aud}, {@code exp} and {@code iat} (each with {@link #CLOCK_SKEW}) and that there is a subject.
     */
    Verification verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return new Verification.Invalid("", "malformed-token");
        }
        // Pinning the algorithm before verifying rules out alg confusion (RFC 8725 §3.1).
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !TYPE.equals(jwt.getHeader().getType())) {
            return new Verification.Invalid("", "unexpected-token-header");
        }
        try {
            if (!jwt.verify(verifier)) {
                return new Verification.Invalid("", "bad-token-signature");
            }
        } catch (JOSEException | IllegalStateException e) {
            return new Verification.Invalid("", "bad-token-signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Verification.Invalid("", "malformed-token");
        }
        // Only a token we signed gets here, so its subject is ours and may name the attempt.
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return new Verification.Invalid("", "wrong-token-claims");
        }
        List<String> audiences = claims.getAudience();
        Date expires = claims.getExpirationTime();
        Date issued = claims.getIssueTime();
        if (!ISSUER.equals(claims.getIssuer()) || !audiences.contains(audience) || expires == null || issued == null) {
            return new Verification.Invalid(subject, "wrong-token-claims");
        }
        Instant now = clock.instant();
        if (now.isAfter(expires.toInstant().plus(CLOCK_SKEW))) {
            return new Verification.Invalid(subject, "expired-token");
        }
        if (issued.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            return new Verification.Invalid(subject, "token-issued-in-future");
        }
        Object stamp = claims.getClaim(CREDENTIALS_CLAIM);
        if (!(stamp instanceof String credentials)) {
            return new Verification.Invalid(subject, "wrong-token-claims");
        }
        return new Verification.Valid(subject, credentials);
    }

    /** Whether the account's password is still the one the token was issued under. */
    boolean stillCurrent(Verification.Valid token, DigestCredentials credentials) {
        return MessageDigest.isEqual(token.credentials().getBytes(StandardCharsets.US_ASCII),
                stamp(credentials).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * HMAC-SHA-256 under the signing key over the HA1 values: changes with the password (and realm),
     * and, being keyed, tells a reader of the token nothing to guess the password with.
     */
    private String stamp(DigestCredentials credentials) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((credentials.realm() + ":" + credentials.ha1Sha256() + ":" + credentials.ha1Md5())
                    .getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, STAMP_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** A token as handed out, and how many seconds it is good for ({@code expires_in}). */
    record Issued(String token, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Issued[expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    /** The outcome of {@link #verify}: the subject, or why not (never the token). */
    sealed interface Verification {
        /** {@code credentials}: the stamp of the password the token was issued under. */
        record Valid(String username, String credentials) implements Verification {
        }

        /** {@code identity}: the subject of a token we did sign, else "". */
        record Invalid(String identity, String reason) implements Verification {
        }
    }
}
