package org.parley.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Bearer access tokens for subscribers (RFC 6750; GS-1): a compact JWS, HMAC-SHA-256 under a random
 * 256-bit key drawn when the server starts and held only in memory, so every token dies with the
 * process (a restart logs every browser out; they log in again with the SIP password). The claims
 * are {@code sub} (the canonical user name), {@code iss} {@value #ISSUER}, {@code aud} (the SIP
 * domain), {@code iat}, {@code exp} and a random {@code jti}; the header carries {@code typ: at+jwt}
 * (RFC 9068 §2.1) so no other kind of JWT passes for an access token.
 * <p>
 * This class checks the token itself; that the account still exists is the caller's check, since
 * a token cannot be revoked other than by deleting its account or restarting the server.
 */
final class UserTokens {
    static final String ISSUER = "parley";
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /** Tolerance on {@code exp} and {@code iat}, for tokens checked on another clock than the one that issued them. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    private static final int KEY_BYTES = 32;

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

    /** A new token for {@code username}, with its lifetime in seconds. */
    Issued issue(String username) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long seconds = lifetime.toSeconds();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(username)
                .issuer(ISSUER)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(seconds)))
                .jwtID(UUID.randomUUID().toString())
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
        return new Verification.Valid(subject);
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
        record Valid(String username) implements Verification {
        }

        /** {@code identity}: the subject of a token we did sign, else "". */
        record Invalid(String identity, String reason) implements Verification {
        }
    }
}
