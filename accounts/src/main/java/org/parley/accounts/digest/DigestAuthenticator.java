package org.parley.accounts.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.parley.accounts.DigestCredentials;

/**
 * HTTP Digest as SIP uses it (RFC 3261 §22, RFC 7616, RFC 8760): challenges offering every
 * configured algorithm, the strongest first, and verification of the answer with qop=auth (or
 * without qop, RFC 2069 style, for old clients). Works on HA1 values only.
 */
public final class DigestAuthenticator {
    /** The start of the {@link AuthOutcome.Challenge#reason()} for credentials with an algorithm we did not offer. */
    public static final String ALGORITHM_NOT_OFFERED = "algorithm not offered: ";

    private final String realm;
    private final List<DigestAlgorithm> algorithms;
    /** Their tokens, made once: every challenge tells the gate what was offered. */
    private final List<String> offered;
    private final NonceService nonces;
    private final Function<String, Optional<DigestCredentials>> credentials;

    public DigestAuthenticator(String realm, List<DigestAlgorithm> algorithms, NonceService nonces,
                               Function<String, Optional<DigestCredentials>> credentials) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one digest algorithm must be offered");
        }
        this.realm = realm;
        this.algorithms = List.copyOf(algorithms);
        this.offered = this.algorithms.stream().map(DigestAlgorithm::token).toList();
        this.nonces = nonces;
        this.credentials = credentials;
    }

    public String realm() {
        return realm;
    }

    /** One challenge header value per offered algorithm (RFC 7616 §3.7: preferred first). */
    public List<String> challenges(boolean stale, Instant now) {
        List<String> out = new ArrayList<>();
        for (DigestAlgorithm a : algorithms) {
            out.add("Digest realm=\"" + realm + "\", nonce=\"" + nonces.issue(now) + "\", algorithm=" + a.token()
                    + ", qop=\"auth\"" + (stale ? ", stale=true" : ""));
        }
        return out;
    }

    /** The algorithm tokens offered, preferred first. */
    public List<String> offered() {
        return offered;
    }

    /** The credentials {@link #verify} would look at: the first Digest header for our realm. */
    public Optional<DigestParams> credentialsFor(List<String> authorizationHeaders) {
        for (String h : authorizationHeaders) {
            Optional<DigestParams> parsed = DigestParams.parse(h);
            if (parsed.isPresent() && parsed.get().get("realm").map(realm::equals).orElse(false)) {
                return parsed;
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the credentials headers of a request: the first Digest header for our realm counts;
     * other schemes are ignored (RFC 4475 §3.3.7: an unknown scheme gets a challenge).
     */
    public AuthOutcome verify(String method, List<String> authorizationHeaders, Instant now) {
        return verify(method, authorizationHeaders, now, uri -> true);
    }

    /**
     * As {@link #verify(String, List, Instant)}, and the {@code uri} parameter must name the request
     * actually sent (RFC 7616 §3.4.6; for SIP its Request-URI, RFC 3261 §22.4), so that credentials
     * seen on one request cannot be replayed on another; checked before the nonce-count is used.
     */
    public AuthOutcome verify(String method, List<String> authorizationHeaders, Instant now, Predicate<String> uriMatches) {
        return verify(method, credentialsFor(authorizationHeaders), now, uriMatches);
    }

    /**
     * As {@link #verify(String, List, Instant, Predicate)}, on the credentials {@link #credentialsFor}
     * found, for a door that already looked at them (the gate needs the user name first): one parse
     * per request.
     */
    public AuthOutcome verify(String method, Optional<DigestParams> offered, Instant now, Predicate<String> uriMatches) {
        DigestParams p = offered.orElse(null);
        if (p == null) {
            return new AuthOutcome.Challenge(false, "no credentials for realm " + realm);
        }
        Optional<String> username = p.get("username");
        Optional<String> nonce = p.get("nonce");
        Optional<String> uri = p.get("uri");
        Optional<String> response = p.get("response");
        if (username.isEmpty() || nonce.isEmpty() || uri.isEmpty() || response.isEmpty()) {
            return new AuthOutcome.Challenge(false, "incomplete credentials");
        }
        if (!uriMatches.test(uri.get())) {
            return new AuthOutcome.Challenge(false, "digest uri does not match the request");
        }
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromToken(p.get("algorithm").orElse("MD5"));
        if (algorithm.isEmpty() || !algorithms.contains(algorithm.get())) {
            return new AuthOutcome.Challenge(false, ALGORITHM_NOT_OFFERED + p.get("algorithm").orElse("MD5"));
        }
        Optional<String> qop = p.get("qop");
        long nc = -1;
        if (qop.isPresent()) {
            if (!qop.get().equalsIgnoreCase("auth") || p.get("cnonce").isEmpty() || p.get("nc").isEmpty()) {
                return new AuthOutcome.Challenge(false, "unsupported qop or missing cnonce/nc");
            }
            try {
                nc = Long.parseLong(p.get("nc").get(), 16);
            } catch (NumberFormatException e) {
                return new AuthOutcome.Challenge(false, "bad nonce-count");
            }
        }
        NonceService.Check check = nonces.check(nonce.get(), nc, now);
        if (check == NonceService.Check.INVALID || check == NonceService.Check.REPLAYED) {
            return new AuthOutcome.Challenge(false, check == NonceService.Check.INVALID ? "unknown nonce" : "nonce-count replayed");
        }
        Optional<DigestCredentials> creds = credentials.apply(username.get());
        DigestAlgorithm a = algorithm.get();
        // an unknown user costs the same hashing as a wrong password: the timing tells nothing either
        String ha1 = creds.map(c -> a == DigestAlgorithm.MD5 ? c.ha1Md5() : c.ha1Sha256())
                .orElseGet(() -> a.hash(username.get() + ":" + realm + ":"));
        String ha2 = a.hash(method + ":" + uri.get());
        String expected = qop.isPresent()
                ? a.hash(ha1 + ":" + nonce.get() + ":" + p.get("nc").get() + ":" + p.get("cnonce").get() + ":" + qop.get() + ":" + ha2)
                : a.hash(ha1 + ":" + nonce.get() + ":" + ha2);
        boolean matches = java.security.MessageDigest.isEqual(expected.getBytes(),
                response.get().toLowerCase(java.util.Locale.ROOT).getBytes());
        if (creds.isEmpty() || !matches) {
            return new AuthOutcome.Refused(username.get(), "unknown user or wrong password");
        }
        if (check == NonceService.Check.STALE) {
            return new AuthOutcome.Challenge(true, "nonce expired");
        }
        nonces.accept(nonce.get(), nc);
        return new AuthOutcome.Authenticated(creds.get().username());
    }
}
