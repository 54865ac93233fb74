package org.parley.msrp.relay;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.parley.accounts.digest.AuthOutcome;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.DigestParams;
import org.parley.accounts.gate.Admission;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateAttempt;
import org.parley.msrp.MsrpHeader;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4976 §5): a request without good credentials gets 401 with a digest challenge (the
 * account digest every Parley door uses, HA1 from the account store); one with them gets 200
 * with a fresh URI of this relay in Use-Path, granted to that user over that connection for
 * Expires seconds. Like every door it passes the one authentication gate: a source guessing is
 * refused for a while (403) before its credentials are looked at, a wrong password and an unknown
 * user are the same 403, and successes and refusals go to the attempts log. The digest is computed
 * over method "AUTH" and the relay URI the client addressed, which must be the To-Path.
 */
final class RelayAuth {
    private static final Logger log = LoggerFactory.getLogger(RelayAuth.class);
    private static final int SESSION_ID_BYTES = 16;
    /** The door of the authentication attempts log. */
    static final String DOOR = "msrp-relay";

    private final MsrpRelaySettings settings;
    private final DigestAuthenticator digest;
    private final Grants grants;
    private final Clock clock;
    private final ToIntFunction<MsrpTransport> boundPort;
    private final AuthGate gate;
    private final SecureRandom random = new SecureRandom();

    RelayAuth(MsrpRelaySettings settings, DigestAuthenticator digest, Grants grants, Clock clock,
              ToIntFunction<MsrpTransport> boundPort, AuthGate gate) {
        this.gate = gate;
        this.settings = settings;
        this.digest = digest;
        this.grants = grants;
        this.clock = clock;
        this.boundPort = boundPort;
    }

    MsrpResponse answer(Channel connection, MsrpRequest request) {
        List<MsrpUri> to = request.toPath();
        if (to.size() != 1) {
            return MsrpResponse.to(request, 400, "AUTH goes to the relay alone (one To-Path URI)", List.of());
        }
        Optional<MsrpResponse> badExpiry = checkExpires(request);
        if (badExpiry.isPresent()) {
            return badExpiry.get();
        }
        Instant now = clock.instant();
        List<String> credentials = request.headerValues(MsrpMessage.AUTHORIZATION);
        GateAttempt attempt = attempt(connection,
                digest.credentialsFor(credentials).flatMap(p -> p.get("username")).orElse(""));
        Admission admission = gate.admit(attempt, now);
        if (admission.refused()) {
            return MsrpResponse.to(request, 403, admission.reason(), List.of());
        }
        if (!credentials.isEmpty() && !addressedUri(credentials, to.getFirst())) {
            return challenge(request, false, now);
        }
        AuthOutcome outcome = digest.verify(MsrpRequest.AUTH, credentials, now);
        return switch (outcome) {
            case AuthOutcome.Authenticated a -> {
                gate.succeeded(attempt.claiming(a.username()), true, now);
                yield grant(connection, request, a.username(), now);
            }
            case AuthOutcome.Challenge c -> challenge(request, c.stale(), now);
            case AuthOutcome.Refused r -> {
                log.info("MSRP AUTH refused for {} from {}: {}", r.username(), connection.remoteAddress(), r.reason());
                gate.badCredentials(attempt, now);
                // this runs on a virtual thread of its own (account look-up): the guard's delay holds only it
                gate.pause(admission.delayOnFailure());
                yield MsrpResponse.to(request, 403, "wrong credentials", List.of());
            }
        };
    }

    private static GateAttempt attempt(Channel connection, String identity) {
        String source = connection.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(connection.remoteAddress());
        return new GateAttempt(DOOR, source, connection.attr(RelayHandler.TRANSPORT).get().name(), Optional.empty(),
                identity);
    }

    /** The digest "uri" must name the relay URI the request went to (RFC 4976 §5), not some other one. */
    private boolean addressedUri(List<String> credentials, MsrpUri to) {
        return credentials.stream().map(DigestParams::parse).flatMap(Optional::stream)
                .filter(p -> p.get("realm").map(digest.realm()::equals).orElse(false)).findFirst()
                .flatMap(p -> p.get("uri")).flatMap(MsrpUri::parse).map(to::equals).orElse(false);
    }

    private Optional<MsrpResponse> checkExpires(MsrpRequest request) {
        Optional<Long> asked = request.header(MsrpMessage.EXPIRES).map(Long::parseLong);
        if (asked.isPresent() && asked.get() < settings.minExpiry().toSeconds()) {
            return Optional.of(MsrpResponse.to(request, 423, "Interval-out-of-bounds", List.of(
                    new MsrpHeader(MsrpMessage.MIN_EXPIRES, Long.toString(settings.minExpiry().toSeconds())))));
        }
        if (asked.isPresent() && asked.get() > settings.maxExpiry().toSeconds()) {
            return Optional.of(MsrpResponse.to(request, 423, "Interval-out-of-bounds", List.of(
                    new MsrpHeader(MsrpMessage.MAX_EXPIRES, Long.toString(settings.maxExpiry().toSeconds())))));
        }
        return Optional.empty();
    }

    private MsrpResponse challenge(MsrpRequest request, boolean stale, Instant now) {
        List<MsrpHeader> headers = new ArrayList<>();
        digest.challenges(stale, now).forEach(c -> headers.add(new MsrpHeader(MsrpMessage.WWW_AUTHENTICATE, c)));
        return MsrpResponse.to(request, 401, "Unauthorized", headers);
    }

    /**
     * A new URI, or — when this user already holds a live one over this connection — the same URI
     * for longer (RFC 4976 §5.1: a client refreshes its AUTH before the grant ends; the sessions it
     * set up with the URI go on).
     */
    private MsrpResponse grant(Channel connection, MsrpRequest request, String username, Instant now) {
        Duration lifetime = request.header(MsrpMessage.EXPIRES).map(s -> Duration.ofSeconds(Long.parseLong(s)))
                .orElse(settings.defaultExpiry());
        Instant expires = now.plus(lifetime);
        Optional<Grant> refreshed = grants.refresh(connection, username, expires, now);
        MsrpUri uri;
        if (refreshed.isPresent()) {
            uri = refreshed.get().uri();
            log.debug("MSRP relay refreshed {} of {} for {} s", uri, username, lifetime.toSeconds());
        } else {
            MsrpTransport transport = connection.attr(RelayHandler.TRANSPORT).get();
            int port = boundPort.applyAsInt(transport);
            if (port < 0) {
                port = ((InetSocketAddress) connection.localAddress()).getPort();
            }
            uri = MsrpUri.of(transport.secure(), settings.advertisedHost(), port, newSessionId(),
                    transport.uriTransport());
            grants.add(new Grant(uri, username, connection, expires));
            log.debug("MSRP relay granted {} to {} for {} s", uri, username, lifetime.toSeconds());
        }
        connection.attr(RelayHandler.USER).set(username);
        return MsrpResponse.to(request, 200, "OK", List.of(new MsrpHeader(MsrpMessage.USE_PATH, uri.toString()),
                new MsrpHeader(MsrpMessage.EXPIRES, Long.toString(lifetime.toSeconds()))));
    }

    private String newSessionId() {
        byte[] b = new byte[SESSION_ID_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
