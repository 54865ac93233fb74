package org.parley.bench;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.accounts.AccountMemory;
import org.parley.accounts.AccountMemorySettings;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.NewAccount;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.presence.PresenceServer;
import org.parley.presence.PresenceSettings;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.StoreBackedLocationService;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transaction.TransactionUser;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;
import org.parley.store.BindingRepository;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;

/**
 * The server's CPU time and allocated bytes per initial SUBSCRIBE of presence-bench.sh's mass step
 * (RFC 3856 over RFC 6665, digest-authenticated, RFC 7616): {@code challenge} is the first SUBSCRIBE
 * parsed from its bytes, through the transaction layer and the presence service, to the 407 encoded;
 * {@code subscribe} the answer with Proxy-Authorization to its 200 and first NOTIFY encoded, then the
 * watcher's 200 to that NOTIFY parsed and matched to its client transaction. Wired as the server
 * wires presence (accounts held in memory over H2, a pres-rules document allowing the domain per
 * presentity, one publication each), without the transport's sockets and the router: a transport
 * that encodes what it is given and keeps nothing. Measured on one thread ({@link ThreadMXBean}) and
 * only around the server's work, not the watcher's (its digest, its messages written), so that the
 * figure does not move with what else the machine runs. Each round subscribes
 * {@code WATCHERS} watchers to every one of {@code PRESENTITIES} presentities of its own, each with a
 * new publication (so each presentity's state is composed and cut once for its watchers, as in the
 * bench; the subscriptions stay); ten rounds, the first two warm-up, then the least
 * and the median.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.SubscribeCpu [PRESENTITIES [WATCHERS]]</pre>
 */
public final class SubscribeCpu {
    private static final String DOMAIN = "localhost";
    private static final int ROUNDS = 10;
    private static final int WARM_UP = 2;
    private static final Flow UDP = new Flow(Transport.UDP, new InetSocketAddress("127.0.0.1", 5060),
            new InetSocketAddress("127.0.0.1", 5090), null);
    private static final Pattern NONCE = Pattern.compile("Proxy-Authenticate: Digest [^\\r]*?nonce=\"([^\"]+)\"[^\\r]*algorithm=MD5");
    private static final String RULES = """
            <?xml version="1.0" encoding="UTF-8"?>
            <cr:ruleset xmlns="urn:ietf:params:xml:ns:pres-rules" xmlns:cr="urn:ietf:params:xml:ns:common-policy">
            <cr:rule id="bench-domain"><cr:conditions><cr:identity><cr:many domain="localhost"/></cr:identity></cr:conditions>\
            <cr:actions><sub-handling>allow</sub-handling></cr:actions><cr:transformations><provide-services><all-services/>\
            </provide-services><provide-persons><all-persons/></provide-persons><provide-devices><all-devices/></provide-devices>\
            <provide-all-attributes/></cr:transformations></cr:rule>
            </cr:ruleset>
            """;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Wire wire;
    private final TransactionLayer layer;
    private final List<LocalService> services;
    private final List<ServerTransaction> received = new ArrayList<>();
    private long cpu;
    private long allocated;
    private int call;

    private SubscribeCpu(Wire wire, TransactionLayer layer, List<LocalService> services) {
        this.wire = wire;
        this.layer = layer;
        this.services = services;
        layer.setUser(new Capturing());
    }

    /** {@code [PRESENTITIES [WATCHERS]]}: 1,000 and 10 unless told. */
    public static void main(String[] args) throws Exception {
        if (Usage.asked(args, SubscribeCpu.class, "[PRESENTITIES [WATCHERS]]",
                "The server's CPU time and bytes per initial SUBSCRIBE (407, then 200 and the first NOTIFY),\nWATCHERS watchers per presentity; ten rounds, two warm-up.")) {
            return;
        }
        int presentities = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int watchers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Database database = Database.open(DatabaseSettings.external("jdbc:h2:mem:subscribe_bench;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", ""));
        JdbiAccountService store = new JdbiAccountService(database, DOMAIN);
        Documents documents = new Documents();
        // each round its own presentities, so that each is composed once for its watchers, as in the bench
        int users = watchers + presentities * ROUNDS;
        for (int i = 0; i < users; i++) {
            store.create(new NewAccount(user(i), "pw-" + user(i), Optional.empty(), Optional.empty(), List.of()));
            documents.write(new DocumentContext("pres-rules", false, "sip:" + user(i) + "@" + DOMAIN, "index"),
                    RULES.getBytes(StandardCharsets.UTF_8), null);
        }
        AccountMemory accounts = new AccountMemory(store, new AccountMemorySettings(Duration.ofSeconds(1), 200_000));
        LocalDomains domains = new LocalDomains(DOMAIN, Set.of("127.0.0.1"));
        SystemScheduler scheduler = new SystemScheduler();
        StoreBackedLocationService location = new StoreBackedLocationService(new BindingRepository(database), scheduler,
                Duration.ofHours(1), 10);
        IdentityResolver identities = new IdentityResolver(accounts, domains);
        DigestAuthenticator digest = new DigestAuthenticator(DOMAIN, List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256),
                new NonceService(Duration.ofMinutes(5)), accounts::credentials);
        RequestAuthenticator authenticator = new RequestAuthenticator(new SipDigestGate(digest,
                new AuthGate(GateSettings.defaults(), new DroppedAttempts()), domains), identities, accounts, location, domains);
        Wire wire = new Wire();
        TransactionLayer layer = new TransactionLayer(wire, scheduler, TimerSettings.DEFAULT, Runnable::run,
                new SimpleMeterRegistry());
        // unpaced, as presence-bench.sh runs the server (presence.notify.min-interval-ms=0)
        PresenceServer presence = new PresenceServer(PresenceSettings.defaults().withNotifyInterval(Duration.ZERO),
                new PresenceServer.Wiring(domains, identities, authenticator, location, documents,
                        (owner, reference) -> Optional.empty(), new Forker(layer, wire, scheduler), scheduler, Runnable::run));
        SubscribeCpu bench = new SubscribeCpu(wire, layer, presence.services());
        int ops = presentities * watchers;
        double[] cpus = new double[ROUNDS - WARM_UP];
        long[] bytes = new long[ROUNDS - WARM_UP];
        for (int round = 0; round < ROUNDS; round++) {
            int first = watchers + round * presentities;
            for (int p = first; p < first + presentities; p++) {
                bench.publish(user(p));
            }
            for (int p = first; p < first + presentities; p++) {
                for (int w = 0; w < watchers; w++) {
                    bench.subscribe(user(w), user(p));
                }
            }
            double us = bench.cpu / 1000.0 / ops;
            long b = bench.allocated / ops;
            System.out.printf("round %d%s: %6.1f us CPU/subscription %7d B/subscription%n", round,
                    round < WARM_UP ? " (warm-up)" : "", us, b);
            if (round >= WARM_UP) {
                cpus[round - WARM_UP] = us;
                bytes[round - WARM_UP] = b;
            }
            bench.cpu = 0;
            bench.allocated = 0;
        }
        Arrays.sort(cpus);
        Arrays.sort(bytes);
        // a loaded machine stretches some rounds (caches, the other hyper-thread): the least and the median tell more
        System.out.printf("measured rounds: least %.1f us, median %.1f us CPU/subscription; median %d B/subscription%n",
                cpus[0], cpus[cpus.length / 2], bytes[bytes.length / 2]);
        location.close();
        scheduler.close();
        database.close();
    }

    /** One lasting publication of {@code user}'s presence, as the bench's seed step makes (not measured). */
    private void publish(String user) {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                + "entity=\"sip:" + user + "@" + DOMAIN + "\">\n<tuple id=\"bench\"><status><basic>open</basic></status>"
                + "<note>publish initial</note></tuple>\n</presence>\n";
        String head = "PUBLISH sip:" + user + "@" + DOMAIN + " SIP/2.0\r\n";
        String rest = "Max-Forwards: 70\r\nEvent: presence\r\nExpires: 3600\r\nContent-Type: application/pidf+xml\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        authenticated(user, user, head, rest, "PUBLISH", 200);
        cpu = 0;
        allocated = 0;
    }

    /** The bench's mass call: SUBSCRIBE, 407, SUBSCRIBE with digest, 200 and NOTIFY, the watcher's 200. */
    private void subscribe(String watcher, String presentity) {
        String head = "SUBSCRIBE sip:" + presentity + "@" + DOMAIN + " SIP/2.0\r\n";
        String rest = "Contact: <sip:" + watcher + "@127.0.0.1:5090;transport=UDP>\r\nEvent: presence\r\n"
                + "Accept: application/pidf+xml\r\nExpires: 3600\r\nMax-Forwards: 70\r\n"
                + "User-Agent: SIPp parley-bench\r\nContent-Length: 0\r\n\r\n";
        List<byte[]> answer = authenticated(watcher, presentity, head, rest, "SUBSCRIBE", 200);
        byte[] notify = answer.stream().filter(b -> b[0] == 'N').findFirst()
                .orElseThrow(() -> new IllegalStateException("no NOTIFY after the 200"));
        SipResponse ok = ((SipRequest) SipParser.parse(notify)).createResponse(200, "OK", "w" + call);
        byte[] wireOk = ok.encode();
        long c = threads.getCurrentThreadCpuTime();
        long a = threads.getCurrentThreadAllocatedBytes();
        layer.onMessage(SipParser.parse(wireOk), UDP);
        cpu += threads.getCurrentThreadCpuTime() - c;
        allocated += threads.getCurrentThreadAllocatedBytes() - a;
    }

    /** A request challenged (407) and sent again with MD5 digest; what the server sent for the second. */
    private List<byte[]> authenticated(String from, String to, String head, String rest, String method, int expected) {
        int n = call++;
        String dialog = "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-" + n + "-%d;rport\r\n"
                + "From: <sip:" + from + "@" + DOMAIN + ">;tag=" + n + "SIPpTag\r\n"
                + "To: <sip:" + to + "@" + DOMAIN + ">\r\n"
                + "Call-ID: " + n + "-bench@127.0.0.1\r\n"
                + "CSeq: %d " + method + "\r\n";
        String challenge = new String(expect(server(head + dialog.formatted(0, 1) + rest), 407), StandardCharsets.UTF_8);
        Matcher m = NONCE.matcher(challenge);
        if (!m.find()) {
            throw new IllegalStateException("no MD5 challenge: " + challenge);
        }
        String uri = "sip:" + to + "@" + DOMAIN;
        String ha1 = md5(from + ":" + DOMAIN + ":pw-" + from);
        String response = md5(ha1 + ":" + m.group(1) + ":00000001:6b8b4567:auth:" + md5(method + ":" + uri));
        String authorization = "Proxy-Authorization: Digest username=\"" + from + "\",realm=\"" + DOMAIN
                + "\",cnonce=\"6b8b4567\",nc=00000001,qop=auth,uri=\"" + uri + "\",nonce=\"" + m.group(1)
                + "\",response=\"" + response + "\",algorithm=MD5\r\n";
        List<byte[]> sent = server(head + dialog.formatted(2, 2) + authorization + rest);
        expect(sent, expected);
        return sent;
    }

    /** The server's part, measured: the request parsed, its transaction, the service, what it sent encoded. */
    private List<byte[]> server(String request) {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        long c = threads.getCurrentThreadCpuTime();
        long a = threads.getCurrentThreadAllocatedBytes();
        layer.onMessage(SipParser.parse(bytes), UDP);
        ServerTransaction tx = received.removeLast();
        for (LocalService service : services) {
            if (service.accepts(tx.request())) {
                service.serve(tx);
                break;
            }
        }
        cpu += threads.getCurrentThreadCpuTime() - c;
        allocated += threads.getCurrentThreadAllocatedBytes() - a;
        List<byte[]> sent = List.copyOf(wire.sent);
        wire.sent.clear();
        return sent;
    }

    private static byte[] expect(List<byte[]> sent, int status) {
        String line = "SIP/2.0 " + status + " ";
        for (byte[] b : sent) {
            if (new String(b, 0, Math.min(b.length, line.length()), StandardCharsets.US_ASCII).equals(line)) {
                return b;
            }
        }
        throw new IllegalStateException("expected " + status + ", got "
                + sent.stream().map(b -> new String(b, StandardCharsets.UTF_8).lines().findFirst().orElse("")).toList());
    }

    private static String user(int i) {
        return String.format("pres%05d", i);
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The router's place: each new server transaction is kept for {@link #server} to hand to its service. */
    private final class Capturing implements TransactionUser {
        @Override
        public void onRequest(ServerTransaction tx) {
            received.add(tx);
        }

        @Override
        public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        }

        @Override
        public void onAck(SipRequest ack, Flow flow) {
        }

        @Override
        public void onStrayResponse(SipResponse response, Flow flow) {
        }

        @Override
        public void onServerTimeout(ServerTransaction tx) {
        }
    }

    /** The sockets' place: every message the server sends is encoded, as the transport would, and kept until read. */
    private static final class Wire implements SipTransport {
        private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 5060);
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
            sent.add(message.encode());
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
            sent.add(message.encode());
            return CompletableFuture.completedFuture(new Flow(transport, US, destination, null));
        }

        @Override
        public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
            sent.add(response.encode());
            return CompletableFuture.completedFuture(requestFlow);
        }

        @Override
        public boolean isOpen(Flow flow) {
            return true;
        }

        @Override
        public InetSocketAddress advertised(Transport transport) {
            return US;
        }
    }

    /** Pres-rules documents in a map: the presence server reads them once at start. */
    private static final class Documents implements XcapDocuments {
        private final Map<DocumentContext, Stored> docs = new ConcurrentHashMap<>();
        private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Stored> read(DocumentContext where) {
            return Optional.ofNullable(docs.get(where));
        }

        @Override
        public String write(DocumentContext where, byte[] content, Optional<String> ifMatch) {
            docs.put(where, new Stored(content, "e1"));
            listeners.forEach(l -> l.changed(where, null, "e1"));
            return "e1";
        }

        @Override
        public boolean delete(DocumentContext where) {
            return docs.remove(where) != null;
        }

        @Override
        public List<String> documentNames(String auid, String xui) {
            return docs.keySet().stream().filter(d -> d.auid().equals(auid) && d.xui().equals(xui))
                    .map(DocumentContext::documentName).toList();
        }

        @Override
        public List<String> users(String auid) {
            return docs.keySet().stream().filter(d -> d.auid().equals(auid)).map(DocumentContext::xui).distinct().toList();
        }

        @Override
        public void addListener(ChangeListener listener) {
            listeners.add(listener);
        }
    }

}
