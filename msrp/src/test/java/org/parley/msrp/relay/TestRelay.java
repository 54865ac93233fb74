package org.parley.msrp.relay;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.DigestHashes;
import org.parley.accounts.Page;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpTransport;
import org.parley.testkit.TestCertificate;

/**
 * Fixture of the RFC 4976 relay wire tests (§5 AUTH, §7 relaying; RFC 7977 over WebSocket), not a test itself.
 * A relay on every transport, on ephemeral ports of the loopback, for the wire tests: the test
 * certificate, 8 KiB header and 64 KiB chunk limits, alice and bob as accounts, the gate as the
 * server has it with short delays (2 failures slow, 3 block) and its attempts kept in memory.
 */
final class TestRelay implements AutoCloseable {
    static final String REALM = "localhost";
    static final Map<String, String> PASSWORDS = Map.of("alice", "alice-secret", "bob", "bob-secret");

    final List<AuthAttempt> attempts = new CopyOnWriteArrayList<>();
    final MsrpRelay relay;

    TestRelay(Duration responseTimeout, Duration idleTimeout) throws Exception {
        this(responseTimeout, idleTimeout, LocalEndpoint.NONE);
    }

    /** @param local Parley's own endpoint as the relay's next hop (deferred sessions) */
    TestRelay(Duration responseTimeout, Duration idleTimeout, LocalEndpoint local) throws Exception {
        this(responseTimeout, idleTimeout, local, Clock.systemUTC());
    }

    /** @param clock what the relay's grants expire by (a test moves it) */
    TestRelay(Clock clock) throws Exception {
        this(Duration.ofSeconds(30), Duration.ZERO, LocalEndpoint.NONE, clock);
    }

    private TestRelay(Duration responseTimeout, Duration idleTimeout, LocalEndpoint local, Clock clock)
            throws Exception {
        Map<MsrpTransport, Integer> ports = new EnumMap<>(MsrpTransport.class);
        for (MsrpTransport t : MsrpTransport.values()) {
            ports.put(t, 0);
        }
        MsrpRelaySettings settings = new MsrpRelaySettings(InetAddress.getLoopbackAddress(), "127.0.0.1", ports,
                TestCertificate.get().serverContext(), new MsrpLimits(8192, 65536), Duration.ofMinutes(30),
                Duration.ofMinutes(1), Duration.ofHours(2), responseTimeout, idleTimeout);
        DigestAuthenticator digest = new DigestAuthenticator(REALM, List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5),
                new NonceService(Duration.ofMinutes(5)), user -> Optional.ofNullable(PASSWORDS.get(user))
                .map(pw -> new DigestCredentials(user, REALM, DigestHashes.ha1(DigestHashes.MD5, user, REALM, pw),
                        DigestHashes.ha1(DigestHashes.SHA_256, user, REALM, pw))));
        GateSettings guard = new GateSettings(2, 3, 100, 30, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(32));
        relay = new MsrpRelay(settings, digest, new AuthGate(guard, new AttemptList()), clock, RelayListener.NONE,
                local);
        relay.start();
    }

    TestRelay() throws Exception {
        this(Duration.ofSeconds(30), Duration.ZERO);
    }

    int port(MsrpTransport t) {
        return relay.boundPort(t);
    }

    /** The relay's own URI on a transport, the target of AUTH. */
    String uri(MsrpTransport t) {
        return (t.secure() ? "msrps" : "msrp") + "://127.0.0.1:" + relay.boundPort(t) + ";" + t.uriTransport();
    }

    @Override
    public void close() {
        relay.close();
    }

    /** The attempts log in memory: what the gate records, for the assertions. */
    private final class AttemptList implements AuthAttemptLog {
        @Override
        public void record(AuthAttempt attempt) {
            attempts.add(attempt);
        }

        @Override
        public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
            return new Page<>(List.copyOf(attempts), offset, limit, attempts.size());
        }

        @Override
        public List<AuthAttempt> concerning(Collection<String> identities) {
            return attempts.stream().filter(a -> identities.contains(a.identity())).toList();
        }

        @Override
        public int forget(Collection<String> identities) {
            List<AuthAttempt> gone = concerning(identities);
            attempts.removeAll(gone);
            return gone.size();
        }
    }
}
