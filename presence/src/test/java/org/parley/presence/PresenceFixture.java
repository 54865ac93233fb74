package org.parley.presence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.accounts.Account;
import org.parley.accounts.AccountService;
import org.parley.accounts.AccountUpdate;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.NewAccount;
import org.parley.accounts.Page;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.registrar.Binding;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.LocationService;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transaction.TransactionUser;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;

/**
 * The presence services on a real transaction layer and a recording transport, for the RFC 3903 and RFC 3856 tests.
 *
 * The presence server on a real transaction layer, a manual clock and a transport that only
 * records (as the proxy's tests do). alice, bob and carol exist at example.com; each has
 * registered over a TCP connection of their own, so requests on that connection are trusted
 * the way {@link RequestAuthenticator} trusts them. Requests over UDP must answer a challenge.
 */
final class PresenceFixture {
    static final String DOMAIN = "example.com";
    static final String ALICE = "sip:alice@example.com";
    static final String BOB = "sip:bob@example.com";
    static final String CAROL = "sip:carol@example.com";
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5060);
    static final Flow UDP = new Flow(Transport.UDP, LOCAL, new InetSocketAddress("198.51.100.9", 5060), null);

    final ManualScheduler scheduler = new ManualScheduler();
    final RecordingTransport transport = new RecordingTransport();
    final TransactionLayer layer = new TransactionLayer(transport, scheduler, TimerSettings.DEFAULT, Runnable::run,
            new SimpleMeterRegistry());
    final LocalDomains domains = new LocalDomains(DOMAIN, Set.of("192.0.2.1"));
    final Accounts accounts = new Accounts("alice", "bob", "carol");
    final Location location = new Location();
    final Documents documents = new Documents();
    final PresenceServer server;
    private final List<ServerTransaction> received = new CopyOnWriteArrayList<>();
    private int branch;

    PresenceFixture() {
        IdentityResolver identities = new IdentityResolver(accounts, domains);
        DigestAuthenticator digest = new DigestAuthenticator(DOMAIN, List.of(DigestAlgorithm.SHA_256),
                new NonceService(Duration.ofMinutes(5)), accounts::credentials);
        RequestAuthenticator authenticator = new RequestAuthenticator(new SipDigestGate(digest,
                new AuthGate(GateSettings.defaults(), new InMemoryAttempts()), domains), identities, accounts, location, domains);
        server = new PresenceServer(PresenceSettings.defaults(), new PresenceServer.Wiring(domains, identities,
                authenticator, location, documents, (owner, reference) -> Optional.empty(),
                new Forker(layer, transport, scheduler), scheduler, Runnable::run));
        layer.setUser(new Capturing());
        for (String user : List.of("alice", "bob", "carol")) {
            register(user, Duration.ofHours(1));
        }
    }

    static Flow flowOf(String user) {
        return new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40000 + Math.floorMod(user.hashCode(), 1000)),
                "conn-" + user);
    }

    /** Registers the user's device on its TCP connection and tells the presence server, as RegisterService does. */
    Binding register(String user, Duration expires) {
        return register(user, expires, "<urn:uuid:00000000-0000-0000-0000-00000000000" + user.length() + ">");
    }

    /** The same for the user's device {@code instance} (its +sip.instance), a new Call-ID each time, as a refresh may have. */
    Binding register(String user, Duration expires, String instance) {
        String aor = "sip:" + user + "@" + DOMAIN;
        Binding b = new Binding(aor, SipUri.parse("sip:" + user + "@198.51.100.7:5070;transport=tcp"),
                instance, 1, 1f, scheduler.now().plus(expires), "reg-" + user + "-" + System.nanoTime(), 1, List.of(),
                flowOf(user), "Phone/1", null, scheduler.now());
        location.put(b);
        server.registrationListener().registered(aor, b);
        return b;
    }

    /** Sends a request to the server's services on {@code flow} and returns the final response. */
    SipResponse send(SipRequest request, Flow flow) {
        int before = transport.responses().size();
        layer.onMessage(request, flow);
        ServerTransaction tx = received.get(received.size() - 1);
        LocalService service = server.services().stream().filter(s -> s.accepts(tx.request())).findFirst().orElseThrow();
        service.serve(tx);
        return transport.responses().subList(before, transport.responses().size()).stream()
                .filter(r -> r.status() >= 200).findFirst().orElseThrow();
    }

    SipResponse send(SipRequest request, String user) {
        return send(request, flowOf(user));
    }

    /** A request from {@code user}; {@code extra} are whole header lines, {@code body} PIDF or empty. */
    SipRequest request(String method, String user, String target, String callId, String body, String... extra) {
        StringBuilder sb = new StringBuilder(method + " " + target + " SIP/2.0\r\n")
                .append("Via: SIP/2.0/TCP 198.51.100.7:5070;branch=z9hG4bK-t").append(++branch).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:").append(user).append("@").append(DOMAIN).append(">;tag=f-").append(user).append("\r\n")
                .append("To: <").append(target).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(branch).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:").append(user).append("@198.51.100.7:5070;transport=tcp>\r\n");
        for (String line : extra) {
            sb.append(line).append("\r\n");
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0 && java.util.Arrays.stream(extra).noneMatch(l -> l.startsWith("Content-Type:"))) {
            sb.append("Content-Type: application/pidf+xml\r\n");
        }
        sb.append("Content-Length: ").append(b.length).append("\r\n\r\n").append(body);
        return (SipRequest) SipParser.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The NOTIFYs sent so far to a watcher, each answered 200 so its transaction ends well. */
    List<SipRequest> notifiesTo(String user) {
        List<SipRequest> found = transport.requests("NOTIFY").stream()
                .filter(n -> n.to().uri().toString().startsWith("sip:" + user + "@")).toList();
        found.forEach(this::answer);
        return found;
    }

    SipRequest lastNotifyTo(String user) {
        List<SipRequest> all = notifiesTo(user);
        return all.get(all.size() - 1);
    }

    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    private void answer(SipRequest notify) {
        if (answered.add(notify.topVia().branch().orElseThrow())) {
            SipResponse ok = notify.createResponse(200, "OK", "w-tag");
            layer.onMessage(ok, flowOf(notify.to().uri().toString().substring(4, notify.to().uri().toString().indexOf('@'))));
        }
    }

    void advance(Duration d) {
        transport.requests("NOTIFY").forEach(this::answer);
        scheduler.advance(d);
    }

    Instant now() {
        return scheduler.now();
    }

    static String pidf(String entity, String tupleId, String basic, String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"" + entity + "\">\n"
                + "<tuple id=\"" + tupleId + "\"><status><basic>" + basic + "</basic></status>"
                + "<contact>" + entity + "</contact></tuple>\n" + extra + "</presence>\n";
    }

    void writeRules(String aor, String rules) throws Exception {
        documents.write(new DocumentContext("pres-rules", false, aor, "index"),
                rules.getBytes(StandardCharsets.UTF_8), null);
    }

    static String rules(String... ruleXml) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<cr:ruleset xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\" xmlns:pr=\"urn:ietf:params:xml:ns:pres-rules\">\n"
                + String.join("\n", ruleXml) + "\n</cr:ruleset>\n";
    }

    static String rule(String id, String identity, String handling, String transformations) {
        return "<cr:rule id=\"" + id + "\"><cr:conditions><cr:identity>" + identity + "</cr:identity></cr:conditions>"
                + "<cr:actions><pr:sub-handling>" + handling + "</pr:sub-handling></cr:actions>"
                + "<cr:transformations>" + transformations + "</cr:transformations></cr:rule>";
    }

    static final String ALL = "<pr:provide-services><pr:all-services/></pr:provide-services>"
            + "<pr:provide-persons><pr:all-persons/></pr:provide-persons>"
            + "<pr:provide-devices><pr:all-devices/></pr:provide-devices><pr:provide-all-attributes/>";

    /** Records every message the layer sends; never fails. */
    static final class RecordingTransport implements SipTransport {
        final List<SipMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
            sent.add(message);
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
            sent.add(message);
            return CompletableFuture.completedFuture(new Flow(transport, LOCAL, destination, null));
        }

        @Override
        public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
            sent.add(response);
            return CompletableFuture.completedFuture(requestFlow);
        }

        @Override
        public boolean isOpen(Flow flow) {
            return true;
        }

        @Override
        public InetSocketAddress advertised(Transport transport) {
            return LOCAL;
        }

        List<SipResponse> responses() {
            return sent.stream().filter(SipResponse.class::isInstance).map(SipResponse.class::cast).toList();
        }

        List<SipRequest> requests(String method) {
            return sent.stream().filter(m -> m instanceof SipRequest r && r.isMethod(method)).map(SipRequest.class::cast).toList();
        }
    }

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

    /** Accounts by user name; nobody has digest credentials, so only trusted connections authenticate. */
    static final class Accounts implements AccountService {
        private final Map<String, Account> byName = new ConcurrentHashMap<>();

        Accounts(String... users) {
            long id = 1;
            for (String u : users) {
                byName.put(u, new Account(id++, u, u, Optional.empty(), List.of(), Instant.EPOCH));
            }
        }

        @Override
        public Account create(NewAccount account) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Account> find(String username) {
            return Optional.ofNullable(byName.get(username));
        }

        @Override
        public Optional<Account> resolve(String identity) {
            return find(identity);
        }

        @Override
        public Account update(String username, AccountUpdate update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String username) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page<Account> list(int offset, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DigestCredentials> credentials(String username) {
            return Optional.empty();
        }
    }

    static final class Location implements LocationService {
        private final List<Binding> bindings = new CopyOnWriteArrayList<>();

        @Override
        public List<Binding> lookup(String aor, Instant now) {
            return bindings.stream().filter(b -> b.aor().equals(aor) && !b.expired(now)).toList();
        }

        @Override
        public void put(Binding binding) {
            remove(binding.aor(), binding.key());
            bindings.add(binding);
        }

        @Override
        public void remove(String aor, String key) {
            bindings.removeIf(b -> b.aor().equals(aor) && b.key().equals(key));
        }

        @Override
        public void removeAll(String aor) {
            bindings.removeIf(b -> b.aor().equals(aor));
        }

        @Override
        public List<Binding> all(Instant now) {
            return bindings.stream().filter(b -> !b.expired(now)).toList();
        }

        @Override
        public Optional<Binding> byContact(SipUri contact, Instant now) {
            return all(now).stream().filter(b -> b.contact().equals(contact)).findFirst();
        }

        @Override
        public int expire(Instant now) {
            int before = bindings.size();
            bindings.removeIf(b -> b.expired(now));
            return before - bindings.size();
        }
    }

    /** XCAP documents in a map, with change listeners, unvalidated. */
    static final class Documents implements XcapDocuments {
        private final Map<DocumentContext, Stored> docs = new ConcurrentHashMap<>();
        private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
        private final AtomicInteger reads = new AtomicInteger();
        private int etag;

        @Override
        public Optional<Stored> read(DocumentContext where) {
            reads.incrementAndGet();
            return Optional.ofNullable(docs.get(where));
        }

        /** Documents read so far: what a look-up cost the store. */
        int reads() {
            return reads.get();
        }

        @Override
        public synchronized String write(DocumentContext where, byte[] content, Optional<String> ifMatch) {
            Stored old = docs.put(where, new Stored(content.clone(), "e" + ++etag));
            listeners.forEach(l -> l.changed(where, old == null ? null : old.etag(), "e" + etag));
            return "e" + etag;
        }

        @Override
        public synchronized boolean delete(DocumentContext where) {
            Stored old = docs.remove(where);
            if (old != null) {
                listeners.forEach(l -> l.changed(where, old.etag(), null));
            }
            return old != null;
        }

        @Override
        public List<String> documentNames(String auid, String xui) {
            return new ArrayList<>(docs.keySet().stream().filter(d -> d.auid().equals(auid) && xui.equals(d.xui()))
                    .map(DocumentContext::documentName).toList());
        }

        @Override
        public List<String> users(String auid) {
            return docs.keySet().stream().filter(d -> d.auid().equals(auid) && !d.global())
                    .map(DocumentContext::xui).distinct().sorted().toList();
        }

        @Override
        public void addListener(ChangeListener listener) {
            listeners.add(listener);
        }
    }

    /** The gate's attempt log, kept in memory: these tests look at presence, not at the log. */
    private static final class InMemoryAttempts implements AuthAttemptLog {
        private final List<AuthAttempt> attempts = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuthAttempt attempt) {
            attempts.add(attempt);
        }

        @Override
        public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
            List<AuthAttempt> items = attempts.stream().filter(a -> identity.map(a.identity()::equals).orElse(true)).toList();
            return new Page<>(items.stream().skip(offset).limit(limit).toList(), offset, limit, items.size());
        }

        @Override
        public List<AuthAttempt> concerning(java.util.Collection<String> identities) {
            return attempts.stream().filter(a -> identities.contains(a.identity())).toList();
        }

        @Override
        public int forget(java.util.Collection<String> identities) {
            List<AuthAttempt> gone = concerning(identities);
            attempts.removeAll(gone);
            return gone.size();
        }
    }
}
