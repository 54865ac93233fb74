package org.parley.sip.transaction;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Params;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Via;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.InboundHandler;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 3261 §17 transaction layer: matches what the transports deliver to server and client
 * transactions, creates server transactions for new requests and hands them to the
 * {@link TransactionUser}, and runs client transactions for the requests the TU sends.
 *
 * <p>Install it as the transport's {@link InboundHandler} and call {@link #setUser} before
 * traffic arrives.
 */
public final class TransactionLayer implements InboundHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);
    private static final ClientListener IGNORE = (tx, response) -> {
    };

    private final Context ctx;
    private final Map<ServerKey, ServerTransaction> servers = new ConcurrentHashMap<>();
    /** Completed non-INVITE server transactions over UDP, as Timer J keeps them: their key, final response and its flow. */
    private final CompletedLogs timerJ;
    private final Map<ClientKey, ClientTransaction> clients = new ConcurrentHashMap<>();
    /** Completed non-INVITE client transactions over UDP, as Timer K keeps them: their key with our sent-by. */
    private final CompletedLogs timerK;
    private final Watchdog watchdog;
    /**
     * The To tags of non-INVITE transactions: a keyed PRF of the transaction's key, unpredictable
     * without the key as §19.3 asks, and the same for a retransmitted request, as §8.2.7 asks of a
     * response sent statelessly ({@link ServerTransaction#respondStatelessly}), which a
     * retransmission finds no transaction for. Cheaper than drawing random octets too.
     */
    private final SipHash tags;
    /**
     * Our Via's host per transport, formatted again only when the transport advertises another
     * address (a racing thread formats it too, harmlessly): not once per request sent.
     */
    private final SentBy[] sentBy = new SentBy[Transport.values().length];
    private volatile TransactionUser user;

    /**
     * @param executor runs TU and listener callbacks: virtual threads in production, a direct
     *                 executor ({@code Runnable::run}) in tests
     */
    public TransactionLayer(SipTransport transport, Scheduler scheduler, TimerSettings timers, Executor executor,
                            MeterRegistry registry) {
        TransactionMetrics metrics = new TransactionMetrics(registry, this::serverTransactions, this::clientTransactions,
                this::completedBytes);
        this.ctx = new Context(Objects.requireNonNull(transport, "transport"), Objects.requireNonNull(scheduler, "scheduler"),
                Objects.requireNonNull(timers, "timers"), Objects.requireNonNull(executor, "executor"), metrics);
        this.watchdog = new Watchdog(scheduler, servers.values());
        int chunks = timers.completedChunks(Runtime.getRuntime().maxMemory());
        this.timerJ = new CompletedLogs("Timer J", scheduler, ctx.timeout(), chunks, n -> metrics.droppedEarly("J", n));
        this.timerK = new CompletedLogs("Timer K", scheduler, timers.t4(), chunks, n -> metrics.droppedEarly("K", n));
        SecureRandom random = new SecureRandom();
        this.tags = new SipHash(random.nextLong(), random.nextLong());
    }

    public void setUser(TransactionUser user) {
        this.user = Objects.requireNonNull(user, "user");
    }

    /**
     * Sends a request in a new client transaction. The layer puts its own Via on top
     * ({@code SIP/2.0/<transport> <advertised>;branch=z9hG4bK...;rport}); everything else
     * (Max-Forwards, Route, ...) is the TU's. ACK for a 2xx is not a transaction and CANCEL is
     * {@link ClientTransaction#cancel()}: both are refused here.
     */
    public ClientTransaction sendRequest(SipRequest request, Target target, ClientListener listener) {
        if (request.isMethod("ACK") || request.isMethod("CANCEL")) {
            throw new IllegalArgumentException(request.method() + " is not sent in a client transaction of its own");
        }
        Via via = ownVia(target.transport(), Params.builder().put("branch", Ids.branch()).put("rport", null).build());
        return start(request.withHeaders(request.headers().prependVia(via)), target,
                Objects.requireNonNull(listener, "listener"));
    }

    private Via ownVia(Transport transport, Params params) {
        InetSocketAddress advertised = ctx.transport().advertised(transport);
        SentBy known = sentBy[transport.ordinal()];
        if (known == null || !known.advertised().equals(advertised)) {
            String hostPort = Flow.format(advertised);
            known = new SentBy(advertised, hostPort.substring(0, hostPort.lastIndexOf(':')));
            sentBy[transport.ordinal()] = known;
        }
        return new Via(transport.name(), known.host(), advertised.getPort(), params);
    }

    /** The host of our Via as formatted for the address a transport advertises. */
    private record SentBy(InetSocketAddress advertised, String host) {
    }

    private ClientTransaction start(SipRequest request, Target target, ClientListener listener) {
        ClientKey key = new ClientKey(request.topVia().branch().orElseThrow(), request.method());
        ClientTransaction[] self = new ClientTransaction[1];
        Runnable remove = () -> clients.remove(key, self[0]);
        self[0] = request.isMethod("INVITE")
                ? new InviteClientTransaction(ctx, request, target, listener, this::sendCancel, remove)
                : new NonInviteClientTransaction(ctx, request, target, listener, remove,
                        () -> {
                            byte[] keyBytes = key.bytes(request.topVia());
                            return handOver(clients, key, self[0], timerK, keyBytes, timerK.hash(keyBytes), null, null);
                        });
        ClientTransaction tx = self[0];
        // Registered before the first send: the response may come back on another thread at once.
        clients.put(key, tx);
        ctx.metrics().started("client", request.method());
        tx.locked(tx::start);
        return tx;
    }

    private void sendCancel(SipRequest cancel, Target target) {
        start(cancel, target, IGNORE);
    }

    @Override
    public void onMessage(SipMessage message, Flow flow) {
        try {
            switch (message) {
                case SipRequest request -> onRequest(request, flow);
                case SipResponse response -> onResponse(response, flow);
            }
        } catch (RuntimeException e) {
            LOG.warn("dropped {} from {}: {}", message.startLine(), flow.token(), e.toString(), e);
        }
    }

    @Override
    public void onFlowClosed(Flow flow) {
        TransactionUser tu = user;
        if (tu != null) {
            ctx.executor().execute(() -> tu.onFlowClosed(flow));
        }
    }

    private void onResponse(SipResponse response, Flow flow) {
        Via top = response.topVia();
        String branch = top.branch().orElse(null);
        if (branch != null) {
            ClientKey key = new ClientKey(branch, response.cseq().method());
            ClientTransaction tx = clients.get(key);
            if (tx != null && tx.isOurs(top)) {
                tx.onResponse(response);
                return;
            }
            byte[] keyBytes = key.bytes(top);
            if (timerK.contains(keyBytes, timerK.hash(keyBytes))) {
                return; // Completed absorbs a retransmitted final (§17.1.2.2)
            }
        }
        TransactionUser tu = user;
        if (tu != null) {
            ctx.executor().execute(() -> tu.onStrayResponse(response, flow));
        }
    }

    private void onRequest(SipRequest request, Flow flow) {
        TransactionUser tu = user;
        if (tu == null) {
            LOG.warn("no transaction user yet; refusing {}", request.startLine());
            if (!request.isMethod("ACK")) {
                ctx.transport().sendResponse(request.createResponse(503, null), flow);
            }
            return;
        }
        if (request.isMethod("ACK")) {
            onAck(request, flow, tu);
            return;
        }
        ServerKey key = ServerKey.of(request, request.method());
        ServerTransaction existing = servers.get(key);
        if (existing != null) {
            existing.onRetransmission();
            return;
        }
        // Timer J keeps non-INVITE transactions only: an INVITE's key is never in its log
        byte[] keyBytes = request.isMethod("INVITE") ? null : key.bytes();
        long keyHash = keyBytes == null ? 0 : timerJ.hash(keyBytes); // once for the look-up and the hand-over
        CompletedLog.Entry completed = keyBytes == null ? null : timerJ.find(keyBytes, keyHash);
        if (completed != null) {
            ctx.transport().resend(completed.answer(), completed.flow()); // Completed repeats its final (§17.2.2)
            return;
        }
        ServerTransaction[] self = new ServerTransaction[1];
        Runnable remove = () -> servers.remove(key, self[0]);
        self[0] = request.isMethod("INVITE")
                ? new InviteServerTransaction(ctx, request, flow, tu, remove)
                : new NonInviteServerTransaction(ctx, request, flow, tu, remove,
                        (wire, sentOn) -> handOver(servers, key, self[0], timerJ, keyBytes, keyHash, sentOn, wire),
                        () -> tag(keyBytes));
        ServerTransaction tx = self[0];
        ServerTransaction raced = servers.putIfAbsent(key, tx);
        if (raced != null) {
            raced.onRetransmission(); // the same request on two I/O threads at once
            return;
        }
        ctx.metrics().started("server", request.method());
        if (request.isMethod("CANCEL")) {
            onCancel(tx, tu);
            return;
        }
        switch (tx) {
            case InviteServerTransaction invite -> {
                // Queued before the 100 goes out, so that a failing 100 is reported after onRequest.
                tx.callbacks.execute(() -> tu.onRequest(tx));
                invite.start();
            }
            case NonInviteServerTransaction nonInvite -> {
                if (Thread.currentThread().isVirtual()) {
                    // The transport gave this request a virtual thread of its own, where the TU may
                    // block: it runs here rather than on yet another thread, one hand-off fewer per
                    // request (issue 13). Watched first, since the TU may take its time here.
                    watchdog.watch(nonInvite.deadline);
                    tx.callbacks.runHere(() -> tu.onRequest(tx));
                } else {
                    tx.callbacks.execute(() -> tu.onRequest(tx));
                    // after the TU has it: one on a direct executor may have answered already, and then nothing is watched
                    if (nonInvite.waiting()) {
                        watchdog.watch(nonInvite.deadline);
                    }
                }
            }
        }
    }

    /** A non-INVITE transaction's To tag: 64 bits of {@link #tags} over its key, in hex. */
    private String tag(byte[] keyBytes) {
        return HexFormat.of().toHexDigits(tags.hash(keyBytes));
    }

    /**
     * Puts what Timer J (§17.2.2) or Timer K (§17.1.2.2) keeps of a completed transaction in the
     * transaction's place: in the timer's log first, so that a retransmission always finds one of
     * them. Returns when the timer fires.
     */
    private static <K, T> long handOver(Map<K, T> live, K key, T tx, CompletedLogs timer, byte[] keyBytes, long hash,
                                        Flow flow, byte[] answer) {
        long deadline = timer.add(keyBytes, hash, flow, answer);
        if (!live.remove(key, tx)) {
            timer.withdraw(keyBytes, hash); // terminated meanwhile (a transport failure): nothing to keep
        }
        return deadline;
    }

    /** §9.2: the layer answers the CANCEL; stopping the INVITE is the TU's. */
    private void onCancel(ServerTransaction cancel, TransactionUser tu) {
        Optional<ServerTransaction> invite = Optional.ofNullable(findInvite(cancel.request()));
        SipRequest request = cancel.request();
        cancel.respond(invite
                .map(inv -> request.createResponse(200, inv.localTag()))
                .orElseGet(() -> request.createResponse(481, cancel.localTag())));
        // On the INVITE's callback queue, so that the TU has seen the INVITE before its CANCEL.
        Executor queue = invite.map(inv -> (Executor) inv.callbacks).orElse(cancel.callbacks);
        queue.execute(() -> tu.onCancel(cancel, invite));
    }

    private void onAck(SipRequest ack, Flow flow, TransactionUser tu) {
        if (findInvite(ack) instanceof InviteServerTransaction invite) {
            invite.onAck(ack, flow);
        } else {
            ctx.executor().execute(() -> tu.onAck(ack, flow));
        }
    }

    /** The INVITE server transaction an ACK or CANCEL belongs to (§17.2.3, §9.2), or null. */
    private ServerTransaction findInvite(SipRequest request) {
        ServerKey key = ServerKey.of(request, "INVITE");
        ServerTransaction tx = servers.get(key);
        if (tx == null && request.isMethod("ACK") && key instanceof ServerKey.Rfc2543 old) {
            // RFC 2543: the ACK's To tag is the one our response added to a tag-less INVITE.
            tx = servers.get(old.withoutToTag());
            if (tx != null && !tx.localTag().equals(old.toTag())) {
                tx = null;
            }
        }
        return tx;
    }

    /** Live server transactions, completed ones included; zero once every timer has run. */
    int serverTransactions() {
        return servers.size() + timerJ.size();
    }

    /** Live client transactions, completed ones included; zero once every timer has run. */
    int clientTransactions() {
        return clients.size() + timerK.size();
    }

    /** Direct memory held by what Timers J and K keep. */
    private long completedBytes() {
        return timerJ.bytes() + timerK.bytes();
    }

    /**
     * Lets go of the direct memory what Timers J and K keep; a server stopping calls it after its
     * transports have closed. What completes afterwards is not kept.
     */
    @Override
    public void close() {
        timerJ.close();
        timerK.close();
    }
}
