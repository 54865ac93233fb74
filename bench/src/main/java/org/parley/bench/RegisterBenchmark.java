package org.parley.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.parley.accounts.AccountMemory;
import org.parley.accounts.AccountMemorySettings;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.NewAccount;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.Registrar;
import org.parley.registrar.RegistrarReply;
import org.parley.registrar.RegistrarSettings;
import org.parley.registrar.StoreBackedLocationService;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.store.BindingRepository;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;

/**
 * The registrar's share of a REGISTER call of bench/register-bench.sh (RFC 3261 §10.3 with digest,
 * RFC 7616): the request parsed from its bytes, through the auth gate, the digest check, the
 * account look-up and the binding refresh, to the encoded answer — as the server wires it
 * (accounts held in memory over H2, bindings in memory with write-behind), without the transport
 * and transaction layers. {@code challenge} is the first REGISTER (→ 401, one nonce in two challenges: MD5 and
 * SHA-256 offered as the bench does); {@code register} the answer to it (→ 200, a binding refreshed:
 * {@value #USERS} users registered in turn). {@code register} also pays for the nonce of the 401 it
 * answers and for what the client does (the REGISTER written, its two MD5s), since each call needs a
 * fresh nonce and nonce-count.
 * Auth attempts go to a log that drops them: the journal's database writes are off the request path
 * and show in the JFR profiles, not here. The bindings' write-behind runs only when
 * {@link #writeBehind} is called ({@link RegisterCpu} does, as the server's timer would), with the
 * server's refresh lag unless {@link #refreshLagPercent} says otherwise (0: every refresh written).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RegisterBenchmark {
    static final int USERS = 1000;
    private static final String DOMAIN = "localhost";
    private static final Flow UDP = new Flow(Transport.UDP, new InetSocketAddress("127.0.0.1", 5060),
            new InetSocketAddress("127.0.0.1", 5090), null);

    private Database database;
    private SystemScheduler scheduler;
    private StoreBackedLocationService location;
    private NonceService nonces;
    private Registrar registrar;
    private final String[] users = new String[USERS];
    private final String[] ha1 = new String[USERS];
    private int call;
    /** {@code registrar.write-behind.refresh-lag-percent}. */
    @Param({"10"})
    public int refreshLagPercent = RegistrarSettings.DEFAULT_REFRESH_LAG_PERCENT;

    @Setup(Level.Trial)
    public void setUp() {
        database = Database.open(DatabaseSettings.external("jdbc:h2:mem:register_bench;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", ""));
        JdbiAccountService store = new JdbiAccountService(database, DOMAIN);
        for (int i = 0; i < USERS; i++) {
            users[i] = String.format("bench%05d", i + 1);
            store.create(new NewAccount(users[i], "pw-" + users[i], Optional.empty(), Optional.empty(), List.of()));
            ha1[i] = md5(users[i] + ":" + DOMAIN + ":pw-" + users[i]);
        }
        AccountMemory accounts = new AccountMemory(store, new AccountMemorySettings(Duration.ofSeconds(1), 200_000));
        LocalDomains domains = new LocalDomains(DOMAIN, Set.of("127.0.0.1"));
        scheduler = new SystemScheduler();
        // written behind by the timer only once an hour: the store's writes are off the request path, and
        // RegisterCpu calls writeBehind itself to count them in
        location = new StoreBackedLocationService(new BindingRepository(database), scheduler, Duration.ofHours(1),
                refreshLagPercent);
        nonces = new NonceService(Duration.ofMinutes(5));
        DigestAuthenticator digest = new DigestAuthenticator(DOMAIN, List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256),
                nonces, accounts::credentials);
        registrar = new Registrar(domains, new IdentityResolver(accounts, domains),
                new SipDigestGate(digest, new AuthGate(GateSettings.defaults(), new DroppedAttempts()), domains),
                location, new RegistrarSettings(Duration.ofSeconds(60), Duration.ofSeconds(7200), Duration.ofSeconds(3600)));
        for (int i = 0; i < USERS; i++) {
            register();
        }
    }

    /** What the server's write-behind timer does every {@code registrar.write-behind-ms}. */
    public void writeBehind() {
        location.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        location.close();
        scheduler.close();
        database.close();
    }

    @Benchmark
    public byte[] challenge() {
        int n = call++;
        String user = users[n % USERS];
        byte[] request = ("REGISTER sip:localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-1-" + n + "-0\r\n"
                + "From: <sip:" + user + "@localhost>;tag=1SIPpTag" + n + "\r\n"
                + "To: <sip:" + user + "@localhost>\r\n"
                + "Call-ID: " + n + "-1@127.0.0.1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:5090;transport=UDP>\r\n"
                + "Max-Forwards: 70\r\n"
                + "Expires: 3600\r\n"
                + "User-Agent: SIPp parley-bench\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return answer(request, 401);
    }

    @Benchmark
    public byte[] register() {
        int n = call++;
        int u = n % USERS;
        String user = users[u];
        String nonce = nonces.issue(Instant.now());
        String response = md5(ha1[u] + ":" + nonce + ":00000001:6b8b4567:auth:" + md5("REGISTER:sip:localhost"));
        byte[] request = ("REGISTER sip:localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-1-" + n + "-2\r\n"
                + "From: <sip:" + user + "@localhost>;tag=1SIPpTag" + n + "\r\n"
                + "To: <sip:" + user + "@localhost>\r\n"
                + "Call-ID: " + n + "-1@127.0.0.1\r\n"
                + "CSeq: 2 REGISTER\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:5090;transport=UDP>\r\n"
                + "Authorization: Digest username=\"" + user + "\",realm=\"localhost\",cnonce=\"6b8b4567\",nc=00000001,"
                + "qop=auth,uri=\"sip:localhost\",nonce=\"" + nonce + "\",response=\"" + response + "\",algorithm=MD5\r\n"
                + "Max-Forwards: 70\r\n"
                + "Expires: 3600\r\n"
                + "User-Agent: SIPp parley-bench\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return answer(request, 200);
    }

    private byte[] answer(byte[] request, int expected) {
        SipRequest req = (SipRequest) SipParser.parse(request);
        RegistrarReply reply = registrar.register(req, UDP, "reg-tag", Instant.now());
        if (reply.response().status() != expected) {
            throw new IllegalStateException("expected " + expected + ": " + reply.response());
        }
        return reply.response().encode();
    }

    /** The client's hashing, written here so that a change to the server's digest code leaves it alone. */
    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
