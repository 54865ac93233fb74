package org.parley.http;

import org.parley.accounts.AccountService;
import org.parley.accounts.digest.AuthOutcome;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.DigestParams;
import org.parley.accounts.digest.NonceService;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Digest (RFC 7616; RFC 4825 §9 makes it mandatory for XCAP) for the user-facing doors, on the
 * very {@link DigestAuthenticator} the SIP registrar uses: realm = the SIP domain and the HA1 values
 * stored for SIP, so one password serves both. SHA-256 is offered first, then MD5, each with
 * {@code qop="auth"}; nonces come from a {@link NonceService} (stale after its TTL, each nonce-count
 * usable once). The HTTP-specific part is checking that the {@code uri} parameter names the
 * request-target actually sent (RFC 7616 §3.4.6), before the answer is verified and its
 * nonce-count consumed.
 */
final class HttpDigestAuth {
    /** How long a nonce is good for before an otherwise right answer earns {@code stale=true}. */
    static final Duration NONCE_TTL = Duration.ofSeconds(300);
    static final List<DigestAlgorithm> ALGORITHMS = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    private static final String SCHEME = "digest ";

    private final DigestAuthenticator digest;
    private final Clock clock;

    HttpDigestAuth(AccountService accounts, String realm, NonceService nonces, Clock clock) {
        this.digest = new DigestAuthenticator(realm, ALGORITHMS, nonces, accounts::credentials);
        this.clock = clock;
    }

    static boolean isDigest(String authorization) {
        return authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The user name a Digest header claims (lower-cased like account names), for the attempt log; "" if none. */
    static String claimedUser(List<String> authorizations) {
        return authorizations.stream().map(DigestParams::parse).flatMap(Optional::stream)
                .map(p -> p.get("username").orElse("")).findFirst()
                .map(u -> u.strip().toLowerCase(Locale.ROOT)).orElse("");
    }

    /**
     * Verifies the Digest credentials of one request.
     *
     * @param method        the HTTP method, as the client hashed it into HA2
     * @param requestTarget the request-target as sent (raw path and query)
     */
    AuthOutcome verify(String method, String requestTarget, List<String> authorizations) {
        Instant now = clock.instant();
        for (String header : authorizations) {
            Optional<DigestParams> p = DigestParams.parse(header);
            // The same header DigestAuthenticator will pick: the first Digest one for our realm.
            if (p.isPresent() && p.get().get("realm").map(digest.realm()::equals).orElse(false)) {
                Optional<String> uri = p.get().get("uri");
                if (uri.isPresent() && !namesTarget(uri.get(), requestTarget)) {
                    return new AuthOutcome.Challenge(false, "digest uri does not match the request-target");
                }
                break;
            }
        }
        return digest.verify(method, authorizations, now);
    }

    /** The Digest challenges, SHA-256 first, each with a fresh nonce. */
    List<String> challenges(boolean stale) {
        return digest.challenges(stale, clock.instant());
    }

    /** The origin-form, or an absolute-form naming the same path and query (RFC 7616 §3.4.6). */
    private static boolean namesTarget(String uri, String requestTarget) {
        if (uri.equals(requestTarget)) {
            return true;
        }
        try {
            URI u = new URI(uri);
            if (!u.isAbsolute() || u.getRawPath() == null) {
                return false;
            }
            String target = (u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            return target.equals(requestTarget);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
