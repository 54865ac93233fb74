package org.parley.registrar.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.parley.accounts.LookupMemory;
import org.parley.accounts.digest.AuthOutcome;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.DigestParams;
import org.parley.accounts.gate.Admission;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateAttempt;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transport.Flow;

/**
 * SIP digest (RFC 3261 §22) through the one {@link AuthGate}: the registrar with 401 and
 * Authorization, every other service with 407 and Proxy-Authorization. The guard speaks first
 * (a blocked source gets its 403 without a look at the credentials), the digest {@code uri} must be
 * the Request-URI, a wrong password and an unknown user earn the same 403 after the same delay,
 * and each challenge is remembered until the client answers it.
 */
public final class SipDigestGate {
    /** The sender proved to be {@code username}; {@code attempt} is what to tell the gate next. */
    public record Verified(String username, GateAttempt attempt) {
    }

    /** Either verified, or the refusal to send after {@code delay}. */
    public record Result(Optional<Verified> verified, SipResponse refusal, Duration delay) {
        static Result refuse(SipResponse r, Duration delay) {
            return new Result(Optional.empty(), r, delay);
        }
    }

    /** Peer addresses whose text is kept; past that the memory of them starts afresh. */
    static final int SOURCES_KEPT = 65_536;

    private final DigestAuthenticator digest;
    private final AuthGate gate;
    private final LocalDomains domains;
    /**
     * Each peer address's text, made once per address: {@code InetAddress.getHostAddress} makes a
     * new String at every call, and every request the gate sees names its source (the guard's and the
     * pending challenges' keys, the attempt log); a kept one also keeps its hash for those maps.
     */
    private final LookupMemory<InetAddress, String> sources = new LookupMemory<>(SOURCES_KEPT);

    public SipDigestGate(DigestAuthenticator digest, AuthGate gate, LocalDomains domains) {
        this.digest = digest;
        this.gate = gate;
        this.domains = domains;
    }

    public AuthGate gate() {
        return gate;
    }

    /** What the gate should know of a request at {@code door}, claiming {@code identity}. */
    private GateAttempt attempt(String door, SipRequest req, Flow flow, String identity) {
        return new GateAttempt(door, sources.get(flow.remote().getAddress(), InetAddress::getHostAddress),
                flow.transport().name(), req.header(HeaderNames.USER_AGENT), identity);
    }

    /**
     * @param registrar true for REGISTER (401 / Authorization), false for the services' 407 / Proxy-Authorization
     * @param door      where the attempt is recorded, e.g. "sip-register", "sip-message"
     */
    public Result authenticate(SipRequest req, Flow flow, String toTag, String door, boolean registrar, Instant now) {
        List<String> headers = req.headers().lines(registrar ? HeaderNames.AUTHORIZATION : HeaderNames.PROXY_AUTHORIZATION);
        Optional<DigestParams> credentials = digest.credentialsFor(headers);
        String claimed = credentials.flatMap(p -> p.get("username")).orElse("");
        GateAttempt attempt = attempt(door, req, flow, claimed);
        Admission admission = gate.admit(attempt, now);
        if (admission.refused()) {
            return Result.refuse(req.createResponse(403, capitalised(admission.reason()), toTag), Duration.ZERO);
        }
        if (credentials.isPresent()) {
            gate.answered(attempt, req.callId());
        }
        AuthOutcome outcome = digest.verify(req.method(), credentials, now,
                uri -> namesRequest(uri, req.requestUri()) || namesThisServer(uri));
        return switch (outcome) {
            case AuthOutcome.Challenge c -> {
                if (c.reason().startsWith(DigestAuthenticator.ALGORITHM_NOT_OFFERED)) {
                    gate.algorithmNotOffered(attempt, c.reason().substring(DigestAuthenticator.ALGORITHM_NOT_OFFERED.length()),
                            digest.offered(), now);
                }
                SipResponse r = req.createResponse(registrar ? 401 : 407,
                        registrar ? "Unauthorized" : "Proxy Authentication Required", toTag);
                for (String ch : digest.challenges(c.stale(), now)) {
                    r = r.withHeader(registrar ? HeaderNames.WWW_AUTHENTICATE : HeaderNames.PROXY_AUTHENTICATE, ch);
                }
                gate.challenged(claimed.isEmpty() ? attempt.claiming(claimedByRequest(req, registrar)) : attempt,
                        req.callId(), digest.offered(), now);
                yield Result.refuse(r, Duration.ZERO);
            }
            case AuthOutcome.Refused r -> {
                gate.badCredentials(attempt, now);
                yield Result.refuse(req.createResponse(403, "Wrong user name or password", toTag), admission.delayOnFailure());
            }
            case AuthOutcome.Authenticated a -> new Result(Optional.of(new Verified(a.username(), attempt.claiming(a.username()))),
                    null, Duration.ZERO);
        };
    }

    /** Who an unanswered challenge was for, as the request says: To of a REGISTER, else From. */
    private static String claimedByRequest(SipRequest req, boolean registrar) {
        Uri uri = registrar ? req.to().uri() : req.from().uri();
        return uri instanceof SipUri sip && sip.user() != null ? sip.user() : uri.toString();
    }

    /**
     * SIPp puts the address it sent the request to in {@code uri} (e.g. {@code sip:127.0.0.1:5060})
     * rather than the Request-URI; a URI with no user part naming this server is accepted too, so
     * such credentials still cannot be moved to another user's Request-URI by anyone in the path.
     */
    private boolean namesThisServer(String digestUri) {
        try {
            return Uri.parse(digestUri) instanceof SipUri u && (u.user() == null || u.user().isEmpty())
                    && domains.isLocal(u.host());
        } catch (SipParseException e) {
            return false;
        }
    }

    /** RFC 3261 §22.4: the digest-uri is the Request-URI; compared as URIs (§19.1.4) when not byte-equal. */
    static boolean namesRequest(String digestUri, Uri requestUri) {
        if (requestUri instanceof SipUri sip ? sip.isWrittenAs(digestUri) : digestUri.equals(requestUri.toString())) {
            return true; // the usual case, a SIP Request-URI compared as written: no text of it made
        }
        try {
            Uri u = Uri.parse(digestUri);
            if (u instanceof SipUri a && requestUri instanceof SipUri b) {
                return a.secure() == b.secure() && a.unescapedUser().equals(b.unescapedUser())
                        && a.hostLower().equals(b.hostLower()) && a.port() == b.port();
            }
            return u.equals(requestUri);
        } catch (SipParseException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String capitalised(String reason) {
        return Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
    }
}
