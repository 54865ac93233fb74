package org.parley.accounts.digest;

import java.time.Instant;
import java.util.Arrays;
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
    /**
     * What comes before and after the nonce in each challenge, made once: a challenge is then one
     * concatenation of three strings.
     */
    private final String challengeStart;
    private final String[] ends;
    private final String[] staleEnds;
    private final NonceService nonces;
    private final Function<String, Optional<DigestCredentials>> credentials;
    /** The outcome of every first request (no credentials yet), made once: its reason names the realm. */
    private final AuthOutcome.Challenge noCredentials;

    public DigestAuthenticator(String realm, List<DigestAlgorithm> algorithms, NonceService nonces,
                               Function<String, Optional<DigestCredentials>> credentials) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one digest algorithm must be offered");
        }
        this.realm = realm;
        this.algorithms = List.copyOf(algorithms);
        // copied once into a list List.copyOf returns as it is: toList's allows nulls, so the gate copied it per challenge
        this.offered = List.copyOf(this.algorithms.stream().map(DigestAlgorithm::token).toList());
        this.challengeStart = "Digest realm=\"" + realm + "\", nonce=\"";
        this.ends = this.algorithms.stream().map(a -> "\", algorithm=" + a.token() + ", qop=\"auth\"").toArray(String[]::new);
        this.staleEnds = Arrays.stream(ends).map(e -> e + ", stale=true").toArray(String[]::new);
        this.nonces = nonces;
        this.credentials = credentials;
        this.noCredentials = new AuthOutcome.Challenge(false, "no credentials for realm " + realm);
    }

    public String realm() {
        return realm;
    }

    /**
     * One challenge header value per offered algorithm (RFC 7616 §3.7: preferred first), all with the
     * one nonce of this answer: RFC 7616 §3.3 asks for a nonce per 401, and each nonce costs a seal
     * (an HMAC) now and a slot for its nonce-count until a newer one takes it. The client answers one
     * of them, with one algorithm; a nonce is not bound to an algorithm.
     */
    public List<String> challenges(boolean stale, Instant now) {
        String nonce = nonces.issue(now);
        String[] out = new String[algorithms.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = challengeStart + nonce + (stale ? staleEnds[i] : ends[i]);
        }
        return List.of(out);
    }

    /** The algorithm tokens offered, preferred first. */
    public List<String> offered() {
        return offered;
    }

    /** The credentials {@link #verify} would look at: the first Digest header for our realm. */
    public Optional<DigestParams> credentialsFor(List<String> authorizationHeaders) {
        for (String h : authorizationHeaders) {
            Optional<DigestParams> parsed = DigestParams.parse(h);
            if (parsed.isPresent() && realm.equals(parsed.get().valueOf("realm"))) {
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
            return noCredentials;
        }
        String username = p.valueOf("username");
        String nonce = p.valueOf("nonce");
        String uri = p.valueOf("uri");
        String response = p.valueOf("response");
        if (username == null || nonce == null || uri == null || response == null) {
            return new AuthOutcome.Challenge(false, "incomplete credentials");
        }
        if (!uriMatches.test(uri)) {
            return new AuthOutcome.Challenge(false, "digest uri does not match the request");
        }
        String algorithmToken = p.valueOf("algorithm");
        DigestAlgorithm a = algorithmToken == null ? DigestAlgorithm.MD5 : DigestAlgorithm.fromToken(algorithmToken).orElse(null);
        if (a == null || !algorithms.contains(a)) {
            return new AuthOutcome.Challenge(false, ALGORITHM_NOT_OFFERED + (algorithmToken == null ? "MD5" : algorithmToken));
        }
        String qop = p.valueOf("qop");
        String nc = p.valueOf("nc");
        String cnonce = p.valueOf("cnonce");
        long count = -1;
        if (qop != null) {
            if (!qop.equalsIgnoreCase("auth") || cnonce == null || nc == null) {
                return new AuthOutcome.Challenge(false, "unsupported qop or missing cnonce/nc");
            }
            try {
                count = Long.parseLong(nc, 16);
            } catch (NumberFormatException e) {
                return new AuthOutcome.Challenge(false, "bad nonce-count");
            }
        }
        NonceService.Check check = nonces.check(nonce, count, now);
        if (check == NonceService.Check.INVALID || check == NonceService.Check.REPLAYED) {
            return new AuthOutcome.Challenge(false, check == NonceService.Check.INVALID ? "unknown nonce" : "nonce-count replayed");
        }
        DigestCredentials creds = credentials.apply(username).orElse(null);
        String ha1 = creds == null ? null : a == DigestAlgorithm.MD5 ? creds.ha1Md5() : creds.ha1Sha256();
        boolean matches = answers(a, ha1, username, method, uri, nonce, nc, cnonce, qop, response);
        if (ha1 == null || !matches) {
            return new AuthOutcome.Refused(username, "unknown user or wrong password");
        }
        if (check == NonceService.Check.STALE) {
            return new AuthOutcome.Challenge(true, "nonce expired");
        }
        nonces.accept(nonce, count);
        return new AuthOutcome.Authenticated(creds.username());
    }

    /**
     * Whether {@code response} is KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2), or without qop
     * H(HA1 ":" nonce ":" HA2) (RFC 7616 §3.4.1, RFC 2069), hashed in place. An unknown user
     * ({@code ha1} null) costs the same hashing as a wrong password, HA1 made of an empty password:
     * the timing tells nothing either.
     */
    private boolean answers(DigestAlgorithm a, String ha1, String username, String method, String uri, String nonce,
                            String nc, String cnonce, String qop, String response) {
        DigestText t = a.take();
        try {
            t.ha2Of(method, uri);
            if (ha1 == null) {
                t.add(username).add(':').add(realm).add(':').hexInto(t.ha1);
                t.add(t.ha1);
            } else {
                t.add(ha1);
            }
            t.add(':').add(nonce).add(':');
            if (qop != null) {
                t.add(nc).add(':').add(cnonce).add(':').add(qop).add(':');
            }
            t.add(t.ha2).hexInto(t.expected);
            return DigestText.spells(t.expected, response);
        } finally {
            a.give(t);
        }
    }
}
