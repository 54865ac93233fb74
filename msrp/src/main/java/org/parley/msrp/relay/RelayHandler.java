package org.parley.msrp.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.msrp.MalformedMsrp;
import org.parley.msrp.MsrpHeader;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay does with each message (RFC 4976 §7): AUTH is {@link RelayAuth}'s; SEND and
 * REPORT are carried along To-Path between the relay's own users; responses end here (they are
 * hop by hop) and a failed one becomes a failure REPORT to the sender.
 *
 * <p>The rule that keeps the relay from being an open one: the connection must have
 * authenticated, and every URI of this relay at the head of To-Path must be one it issued and
 * that is still granted. The message then goes over the connection of the user the last of
 * those URIs was issued to — never back where it came from, never to a host of the sender's
 * choosing.
 *
 * <p>Throughput and fairness (RFC 4976 §6: each session's traffic is carried on its own): what
 * one read of a connection forwards is queued per next hop and written with one flush per next
 * hop when the read ends, on the next hop's own event loop (one task, not one per chunk); the
 * sender is paused, alone, while its next hop's connection cannot take more, and resumed when it
 * drains — a slow or flooded receiver holds back only the connections that send to it.
 */
@Sharable
final class RelayHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);
    static final AttributeKey<String> USER = AttributeKey.valueOf("msrp.user");
    static final AttributeKey<MsrpTransport> TRANSPORT = AttributeKey.valueOf("msrp.transport");
    /** Connections that stopped reading because this one could not take more. */
    private static final AttributeKey<Set<Channel>> WAITING = AttributeKey.valueOf("msrp.waiting");
    /** What the read under way has to send, per connection, in order; only touched on the reader's event loop. */
    private static final AttributeKey<Map<Channel, List<Outgoing>>> OUTBOX = AttributeKey.valueOf("msrp.outbox");
    /** Bytes a connection's reads handed to other event loops that they have not written yet. */
    private static final AttributeKey<AtomicLong> IN_TRANSIT = AttributeKey.valueOf("msrp.in-transit");
    private static final long MAX_IN_TRANSIT = 256 * 1024;
    /**
     * Transaction ids need 64 random bits (RFC 4975 §7.1) for every forwarded chunk: one generator
     * per thread, as the platform's default one is a single lock that every event loop would queue on.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RelayHandler::newRandom);

    /** A SEND forwarded and waiting for the next hop's response. */
    private record Pending(Channel source, MsrpRequest original, MsrpUri relayUri, ScheduledFuture<?> timeout) {
    }

    /** A message queued for a connection; {@code tid} names a forwarded SEND that waits for a response, else null. */
    private record Outgoing(MsrpMessage message, String tid) {
    }

    private final MsrpRelaySettings settings;
    private final Grants grants;
    private final RelayAuth auth;
    private final Clock clock;
    private final Executor blocking;
    private final RelayListener listener;
    private final LocalEndpoint local;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    RelayHandler(MsrpRelaySettings settings, Grants grants, RelayAuth auth, Clock clock, Executor blocking,
                 RelayListener listener, LocalEndpoint local) {
        this.settings = settings;
        this.listener = listener;
        this.local = local;
        this.grants = grants;
        this.auth = auth;
        this.clock = clock;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case MsrpRequest r when r.method().equals(MsrpRequest.AUTH) ->
                    // the account look-up may block on the database: not on an I/O thread
                    blocking.execute(() -> authenticate(ctx, r));
            case MsrpRequest r when r.method().equals(MsrpRequest.SEND) || r.method().equals(MsrpRequest.REPORT) ->
                    relay(ctx.channel(), r);
            case MsrpRequest r -> refuse(ctx.channel(), r, 501, "Request-method-not-understood");
            case MsrpResponse r -> response(r);
            case MalformedMsrp m when m.request() -> {
                log.debug("malformed MSRP request {} from {}: {}", m.transactionId(), ctx.channel().remoteAddress(),
                        m.reason());
                queue(ctx.channel(), ctx.channel(),
                        MsrpResponse.to(m.transactionId(), m.headers(), m.status(), m.reason(), List.of()), null);
            }
            case MalformedMsrp m -> log.debug("dropping malformed MSRP response {} from {}: {}", m.transactionId(),
                    ctx.channel().remoteAddress(), m.reason());
            default -> log.debug("ignoring {}", msg.getClass().getSimpleName());
        }
    }

    private void authenticate(ChannelHandlerContext ctx, MsrpRequest request) {
        try {
            ctx.writeAndFlush(auth.answer(ctx.channel(), request));
        } catch (RuntimeException e) {
            // the account store failed: MSRP has no 5xx to say so, and a client cannot go on unauthenticated
            log.warn("MSRP AUTH from {} failed: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
        }
    }

    private void relay(Channel source, MsrpRequest request) {
        if (source.attr(USER).get() == null) {
            refuse(source, request, 403, "authenticate first (RFC 4976 section 5)");
            return;
        }
        List<MsrpUri> to = new ArrayList<>(request.toPath());
        List<MsrpUri> ours = new ArrayList<>();
        Grant first = null;
        Grant last = null;
        while (!to.isEmpty()) {
            Optional<Grant> g = grants.of(to.getFirst(), clock.instant());
            if (g.isEmpty()) {
                break;
            }
            first = first == null ? g.get() : first;
            last = g.get();
            ours.add(to.removeFirst());
        }
        if (last == null) {
            refuse(source, request, 403, "To-Path does not start with a URI this relay issued");
            return;
        }
        if (first.connection() != source) {
            // the sender's own URI comes first (RFC 4976 §6.1); one issued over another connection is bound to it
            refuse(source, request, 506, "Session-bound-to-another-connection");
            return;
        }
        if (to.isEmpty()) {
            refuse(source, request, 403, "nothing to relay to after this relay");
            return;
        }
        if (to.size() == 1 && local.serves(to.getFirst(), last.uri())) {
            toLocalEndpoint(source, request, ours, to);
            return;
        }
        Channel target = last.connection();
        if (target == source) {
            // Reaching hosts the sender names would make this an open relay; it serves its users' connections only.
            refuse(source, request, 403, "the next hop is not a user of this relay");
            return;
        }
        Optional<RelayListener.Refusal> refusal = listener.relaying(first.uri(), last.uri(), request);
        if (refusal.isPresent()) {
            refuse(source, request, refusal.get().status(), refusal.get().comment());
            return;
        }
        String tid = newTransactionId();
        MsrpRequest forwarded = forwarded(request, tid, ours.size());
        MsrpUri relayUri = ours.getFirst();
        String failureReport = request.header(MsrpMessage.FAILURE_REPORT).orElse("yes");
        boolean send = request.method().equals(MsrpRequest.SEND);
        boolean awaitsResponse = send && !failureReport.equals("no");
        if (awaitsResponse) {
            ScheduledFuture<?> timeout = source.eventLoop().schedule(() -> timedOut(tid),
                    settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
            // the body is not needed for a failure report; only the header fields are kept while waiting
            pending.put(tid, new Pending(source, new MsrpRequest(request.transactionId(), request.method(),
                    request.headers(), null, request.continuation()), relayUri, timeout));
        }
        if (send && failureReport.equals("yes")) {
            // hop by hop (RFC 4976 §7.3), and before the forward, so that it precedes any REPORT about the message
            queue(source, source, MsrpResponse.to(request, 200, "OK", List.of()), null);
        }
        queue(source, target, forwarded, awaitsResponse ? tid : null);
    }

    /**
     * RFC 4976 §7.3: this relay's {@code ours} URIs off the head of To-Path and, in reverse, onto
     * the head of From-Path. Done on the header values as received (the URIs are separated by
     * single spaces, §9, and the decoder has checked them), so nothing is formatted again.
     */
    private static MsrpRequest forwarded(MsrpRequest request, String tid, int ours) {
        String[] to = request.header(MsrpMessage.TO_PATH).orElseThrow().split(" ");
        StringBuilder from = new StringBuilder();
        for (int i = ours - 1; i >= 0; i--) {
            from.append(to[i]).append(' ');
        }
        from.append(request.header(MsrpMessage.FROM_PATH).orElseThrow());
        return request.forwarded(tid, String.join(" ", Arrays.asList(to).subList(ours, to.length)), from.toString());
    }

    /** Queues a message for {@code to} until the read of {@code reader} under way ends ({@link #channelReadComplete}). */
    private static void queue(Channel reader, Channel to, MsrpMessage message, String tid) {
        Map<Channel, List<Outgoing>> outbox = reader.attr(OUTBOX).get();
        if (outbox == null) {
            outbox = new LinkedHashMap<>(); // in order of first use: a sender's 200 goes before the forwarded chunk
            reader.attr(OUTBOX).set(outbox);
        }
        outbox.computeIfAbsent(to, c -> new ArrayList<>()).add(new Outgoing(message, tid));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushOutbox(ctx.channel());
        ctx.fireChannelReadComplete();
    }

    /**
     * Writes what a read queued, one batch and one flush per connection, each on that connection's
     * event loop; a next hop that is full afterwards pauses the reader until it drains.
     */
    private void flushOutbox(Channel reader) {
        Map<Channel, List<Outgoing>> outbox = reader.attr(OUTBOX).getAndSet(null);
        if (outbox == null) {
            return;
        }
        outbox.forEach((to, messages) -> {
            if (to.eventLoop().inEventLoop()) {
                write(to, messages);
                if (to != reader && !to.isWritable()) {
                    throttle(reader, to);
                }
                return;
            }
            // Another event loop's connection: one task for the batch. Until it has run, the batch
            // is counted against the reader, which stops reading when too much of its traffic is
            // still in other loops' queues (an overloaded loop must not make the relay's memory grow).
            AtomicLong transit = reader.attr(IN_TRANSIT).get();
            if (transit == null) {
                transit = new AtomicLong(); // only the reader's own event loop gets here
                reader.attr(IN_TRANSIT).set(transit);
            }
            long size = messages.stream().mapToLong(o -> o.message().encodedSizeHint()).sum();
            transit.addAndGet(size);
            AtomicLong inTransit = transit;
            to.eventLoop().execute(() -> {
                write(to, messages);
                boolean caughtUp = inTransit.addAndGet(-size) < MAX_IN_TRANSIT;
                if (!to.isWritable()) {
                    throttle(reader, to);
                } else if (caughtUp && !reader.config().isAutoRead()) {
                    reader.config().setAutoRead(true);
                }
            });
            if (transit.get() >= MAX_IN_TRANSIT && reader.isActive()) {
                reader.config().setAutoRead(false);
                if (transit.get() < MAX_IN_TRANSIT) {
                    reader.config().setAutoRead(true); // the task ran meanwhile: nothing will resume it later
                }
            }
        });
    }

    private void write(Channel to, List<Outgoing> messages) {
        for (Outgoing o : messages) {
            if (o.tid() == null) {
                to.write(o.message(), to.voidPromise());
            } else {
                to.write(o.message()).addListener(f -> undelivered(f, o.tid()));
            }
        }
        to.flush();
    }

    /** A forwarded SEND that could not be written (its connection closed): a failure report, if one is wanted. */
    private void undelivered(Future<?> write, String tid) {
        Pending p = write.isSuccess() ? null : pending.remove(tid);
        if (p != null) {
            p.timeout().cancel(false);
            failureReport(p, 481, "Session-does-not-exist");
        }
    }

    /**
     * A request for Parley's own endpoint (a deferred session whose sender reaches it through this
     * relay): carried in the process, in order, off the I/O threads. The endpoint's own answer is
     * the sender's response — no hop-by-hop 200 first, so a 200 still means the message is stored
     * (what the server acknowledged is durable) — and its REPORTs go back over the sender's
     * connection with this relay's URI in front of their From-Path (RFC 4976 §7.3).
     */
    private void toLocalEndpoint(Channel source, MsrpRequest request, List<MsrpUri> ours, List<MsrpUri> to) {
        List<MsrpUri> from = new ArrayList<>(ours);
        Collections.reverse(from);
        from.addAll(request.fromPath());
        MsrpRequest forwarded = request.forwarded(newTransactionId(), to, from);
        LocalHop.of(source, blocking).submit(() -> {
            try {
                for (MsrpMessage answer : local.receive(forwarded)) {
                    switch (answer) {
                        case MsrpResponse r -> source.writeAndFlush(MsrpResponse.to(request, r.status(), r.comment(),
                                List.of()));
                        case MsrpRequest report -> backToSender(source, report);
                        default -> log.debug("ignoring {} from the local endpoint", answer.getClass().getSimpleName());
                    }
                }
            } catch (RuntimeException e) {
                // nothing acknowledged what failed: closing tells the sender so (RFC 4975 §7.3, no response)
                log.warn("MSRP {} for Parley's endpoint from {} failed; closing the connection: {}", request.method(),
                        source.remoteAddress(), e.toString());
                source.close();
            }
        });
    }

    /** A REPORT of the endpoint along To-Path: this relay's URI (the sender's grant) off, put in front of From-Path. */
    private void backToSender(Channel source, MsrpRequest report) {
        List<MsrpUri> to = report.toPath();
        if (to.size() < 2) {
            return;
        }
        List<MsrpUri> from = new ArrayList<>();
        from.add(to.getFirst());
        from.addAll(report.fromPath());
        source.writeAndFlush(report.forwarded(newTransactionId(), to.subList(1, to.size()), from));
    }

    /**
     * A fast sender to a slow receiver: stop reading from the sender until the receiver's
     * connection drains, so that a large transfer never piles up in the relay's memory.
     */
    private static void throttle(Channel source, Channel target) {
        if (!source.eventLoop().inEventLoop()) {
            // paused on its own loop, where it cannot close in between (Netty's pause needs a registered channel)
            source.eventLoop().execute(() -> throttle(source, target));
            return;
        }
        if (!source.isActive()) {
            return;
        }
        source.config().setAutoRead(false);
        target.attr(WAITING).setIfAbsent(ConcurrentHashMap.newKeySet());
        target.attr(WAITING).get().add(source);
        if (target.isWritable() || !target.isActive()) {
            resume(target); // drained (or gone) meanwhile: nothing will tell us later
        }
    }

    private static void resume(Channel target) {
        Set<Channel> waiting = target.attr(WAITING).get();
        if (waiting != null) {
            waiting.removeIf(source -> {
                source.config().setAutoRead(true);
                return true;
            });
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resume(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flushOutbox(ctx.channel()); // what its last read forwarded still goes (or is reported undelivered)
        resume(ctx.channel());
        ctx.fireChannelInactive();
    }

    /** The next hop's answer to a SEND we forwarded; only a failure travels further, as a REPORT (RFC 4976 §7.3). */
    private void response(MsrpResponse response) {
        Pending p = pending.remove(response.transactionId());
        if (p == null) {
            log.debug("MSRP response {} matches no forwarded request", response.transactionId());
            return;
        }
        p.timeout().cancel(false);
        if (response.status() != 200) {
            failureReport(p, response.status(), response.comment());
        }
    }

    private void timedOut(String tid) {
        Pending p = pending.remove(tid);
        if (p != null && p.original().header(MsrpMessage.FAILURE_REPORT).orElse("yes").equals("yes")) {
            failureReport(p, 408, "Transaction-did-not-complete-in-allotted-time");
        }
    }

    /** RFC 4975 §7.1.2: a REPORT along the sender's From-Path naming the message and the failure. */
    private void failureReport(Pending p, int status, String comment) {
        MsrpRequest original = p.original();
        List<MsrpHeader> headers = new ArrayList<>();
        headers.add(new MsrpHeader(MsrpMessage.TO_PATH, MsrpMessage.formatPath(original.fromPath())));
        headers.add(new MsrpHeader(MsrpMessage.FROM_PATH, p.relayUri().toString()));
        original.header(MsrpMessage.MESSAGE_ID).ifPresent(id -> headers.add(new MsrpHeader(MsrpMessage.MESSAGE_ID, id)));
        original.header(MsrpMessage.BYTE_RANGE).ifPresent(r -> headers.add(new MsrpHeader(MsrpMessage.BYTE_RANGE, r)));
        headers.add(new MsrpHeader(MsrpMessage.STATUS, "000 " + status + (comment.isEmpty() ? "" : " " + comment)));
        p.source().writeAndFlush(new MsrpRequest(newTransactionId(), MsrpRequest.REPORT, headers, null,
                MsrpRequest.COMPLETE));
    }

    /** A negative answer, if the request wants one: REPORTs never get responses, SENDs per Failure-Report (§7.1.1). */
    private void refuse(Channel source, MsrpRequest request, int status, String comment) {
        log.debug("refusing MSRP {} {} from {}: {} {}", request.method(), request.transactionId(),
                source.remoteAddress(), status, comment);
        if (request.method().equals(MsrpRequest.REPORT) || request.header(MsrpMessage.FAILURE_REPORT)
                .orElse("yes").equals("no")) {
            return;
        }
        queue(source, source, MsrpResponse.to(request, status, comment, List.of()), null);
    }

    /** RFC 4975 §7.1: at least 64 bits of randomness. */
    private static String newTransactionId() {
        byte[] b = new byte[10];
        RANDOM.get().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no DRBG", e);
        }
    }

    int pendingCount() {
        return pending.size();
    }
}
