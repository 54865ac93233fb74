package org.parley.registrar;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.accounts.NewAccount;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.store.BindingRepository;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

/**
 * A registrar over a real account store for the RFC 3261 §10 and GU-1 tests.
 *
 * A registrar as the server wires it, on a real account store and a store-backed location
 * service, with a fixed clock: alice (+44 20 7946 0000, alias "ally") and bob exist.
 */
final class RegistrarFixture implements AutoCloseable {
    static final String DOMAIN = "example.com";
    static final String ALICE_PASSWORD = "alice-secret-1";
    static final String BOB_PASSWORD = "bob-secret-22";
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5060);
    static final Flow UDP = new Flow(Transport.UDP, LOCAL, new InetSocketAddress("198.51.100.7", 5062), null);
    static final RegistrarSettings SETTINGS =
            new RegistrarSettings(Duration.ofSeconds(60), Duration.ofSeconds(3600), Duration.ofSeconds(1800));

    final DatabaseTarget target;
    final Database database;
    final JdbiAccountService accounts;
    final JdbiAuthAttemptLog attempts;
    final LocalDomains domains = new LocalDomains(DOMAIN, Set.of("192.0.2.1"));
    final NonceService nonces = new NonceService(Duration.ofMinutes(5));
    /** Delayed from the 3rd failure on (1 s, doubling), blocked at the 6th, per source and account. */
    static final GateSettings GUARD = new GateSettings(3, 6, 100, 30, Duration.ofMinutes(10), Duration.ofMinutes(15),
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(32));
    final StoreBackedLocationService location;
    final IdentityResolver identities;
    final Registrar registrar;
    private int branch;

    RegistrarFixture(DatabaseTarget target) {
        this.target = target;
        this.database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        this.accounts = new JdbiAccountService(database, DOMAIN);
        this.attempts = new JdbiAuthAttemptLog(database);
        this.location = new StoreBackedLocationService(new BindingRepository(database));
        this.identities = new IdentityResolver(accounts, domains);
        this.registrar = new Registrar(domains, identities, new SipDigestGate(
                new DigestAuthenticator(DOMAIN, List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), nonces,
                        accounts::credentials), new AuthGate(GUARD, attempts), domains), location, SETTINGS);
        accounts.create(new NewAccount("alice", ALICE_PASSWORD, Optional.of("Alice"), Optional.of("+44 20 7946 0000"),
                List.of("ally")));
        accounts.create(new NewAccount("bob", BOB_PASSWORD, Optional.empty(), Optional.empty(), List.of()));
    }

    /** A REGISTER for {@code to}; {@code extra} are whole header lines (Contact, Expires, Supported...). */
    SipRequest register(String to, String callId, long cseq, String... extra) {
        StringBuilder sb = new StringBuilder("REGISTER sip:" + DOMAIN + " SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-reg-").append(++branch).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <").append(to).append(">;tag=from-1\r\n")
                .append("To: <").append(to).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(" REGISTER\r\n")
                .append("User-Agent: FixturePhone/1.0\r\n");
        for (String line : extra) {
            sb.append(line).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        return (SipRequest) SipParser.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The request with Authorization for {@code user}, answering a fresh nonce with qop=auth. */
    SipRequest signed(SipRequest req, String user, String password, Instant now) {
        DigestAlgorithm a = DigestAlgorithm.SHA_256;
        String nonce = nonces.issue(now);
        String uri = req.requestUri().toString();
        String ha1 = a.hash(user + ":" + DOMAIN + ":" + password);
        String ha2 = a.hash(req.method() + ":" + uri);
        String response = a.hash(ha1 + ":" + nonce + ":00000001:cn0nce:auth:" + ha2);
        String header = "Digest username=\"" + user + "\", realm=\"" + DOMAIN + "\", nonce=\"" + nonce + "\", uri=\""
                + uri + "\", response=\"" + response + "\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"cn0nce\"";
        return req.withHeaders(req.headers().append(HeaderNames.AUTHORIZATION, header));
    }

    SipResponse send(SipRequest req, Instant now) {
        return registrar.register(req, UDP, "reg-tag", now).response();
    }

    /** Registers as alice, with alice's password, at T0. */
    SipResponse alice(SipRequest req) {
        return send(signed(req, "alice", ALICE_PASSWORD, T0), T0);
    }

    static List<Address> contacts(SipResponse r) {
        return r.headers().values(HeaderNames.CONTACT).stream().map(Address::parse).toList();
    }

    List<Binding> bindings(String aor) {
        return location.lookup(aor, T0);
    }

    @Override
    public void close() {
        database.close();
    }
}
