package org.parley.msrp.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
import org.parley.msrp.WireRequest;
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
 * <p>Throughput and fairness (RFC 4976 §6: each session's traffic is carried on its own): a
 * SEND or REPORT goes on as the bytes it arrived as ({@link WireRequest}), behind a new start
 * line, To-Path and From-Path and ahead of a new end-line — neither copied nor encoded again; what
 * one read of a connection forwards is queued per next hop and written with one flush per next
 * hop when the read ends, on the next hop's own event loop (one task, not one per chunk), with no
 * future per message; the sender is paused ({@link ReadPause}), alone, while its next hop's
 * connection cannot take more, and resumed when it drains — a slow or flooded receiver holds back
 * only the connections that send to it.
 */
@Sharable
final class RelayHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);
    static final AttributeKey<String> USER = AttributeKey.valueOf("msrp.user");
    static final AttributeKey<MsrpTransport> TRANSPORT = AttributeKey.valueOf("msrp.transport");
    /** Connections that stopped reading because this one could not take more. */
    private static final AttributeKey<Set<Channel>> WAITING = AttributeKey.valueOf("msrp.waiting");
    /** What the read under way has to send; only touched on the reader's event loop. */
    private static final AttributeKey<Outbox> OUTBOX = AttributeKey.valueOf("msrp.outbox");
    /** What a connection's reads handed to other event loops that they have not written yet. */
    private static final AttributeKey<InTransit> IN_TRANSIT = AttributeKey.valueOf("msrp.in-transit");
    /** The most a reader may have in other loops' queues, and the most one read queues before it is written. */
    private static final long MAX_IN_TRANSIT = 256 * 1024;
    private static final byte[] END_LINE_DASHES = "-------".getBytes(StandardCharsets.US_ASCII);
    /**
     * Transaction ids need 64 random bits (RFC 4975 §7.1) for every forwarded chunk: one generator
     * per thread, as the platform's default one is a single lock that every event loop would queue on.
     */
    private static final ThreadLocal<TransactionIds> TRANSACTION_IDS = ThreadLocal.withInitial(TransactionIds::new);

    /** A SEND forwarded over {@code target} and waiting for the next hop's response. */
    private record Pending(Channel source, Channel target, MsrpRequest original, MsrpUri relayUri,
                           ScheduledFuture<?> timeout) {
    }

    /**
     * What the read under way has to send — MSRP messages and forwarded bytes — per connection, in
     * order of first use (a sender's 200 goes before the forwarded chunk), and how many bytes.
     */
    private static final class Outbox {
        final Map<Channel, List<Object>> byConnection = new LinkedHashMap<>();
        long bytes;
    }

    /**
     * Bytes of a reader's batches still queued for other event loops; {@code held} says the reader
     * was paused for them, so that the loop that writes the last of them knows to resume it.
     */
    private static final class InTransit {
        final AtomicLong bytes = new AtomicLong();
        volatile boolean held;
    }

    private final MsrpRelaySettings settings;
    private final Grants grants;
    private final RelayAuth auth;
    private final Clock clock;
    private final Executor blocking;
    private final RelayListener listener;
    private final LocalEndpoint local;
    private final LoopAffinity affinity;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    RelayHandler(MsrpRelaySettings settings, Grants grants, RelayAuth auth, Clock clock, Executor blocking,
                 RelayListener listener, LocalEndpoint local, LoopAffinity affinity) {
        this.settings = settings;
        this.affinity = affinity;
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
            case WireRequest w -> relay(ctx.channel(), w);
            case MsrpRequest r when r.method().equals(MsrpRequest.AUTH) ->
                    // the account look-up may block on the database: not on an I/O thread
                    blocking.execute(() -> authenticate(ctx, r));
            case MsrpRequest r -> refuse(ctx.channel(), r, 501, "Request-method-not-understood");
            case MsrpResponse r -> response(r);
            case MalformedMsrp m when m.request() -> {
                log.debug("malformed MSRP request {} from {}: {}", m.transactionId(), ctx.channel().remoteAddress(),
                        m.reason());
                queue(ctx.channel(), ctx.channel(),
                        MsrpResponse.to(m.transactionId(), m.headers(), m.status(), m.reason(), List.of()));
            }
            case MalformedMsrp m -> log.debug("dropping malformed MSRP response {} from {}: {}", m.transactionId(),
                    ctx.channel().remoteAddress(), m.reason());
            default -> log.debug("ignoring {}", msg.getClass().getSimpleName());
        }
    }

    private void authenticate(ChannelHandlerContext ctx, MsrpRequest request) {
        try {
            MsrpResponse answer = auth.answer(ctx.channel(), request);
            affinity.onLoop(ctx.channel(), () -> ctx.channel().writeAndFlush(answer));
        } catch (RuntimeException e) {
            // the account store failed: MSRP has no 5xx to say so, and a client cannot go on unauthenticated
            log.warn("MSRP AUTH from {} failed: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
        }
    }

    private void relay(Channel source, WireRequest wire) {
        MsrpRequest request = wire.head();
        if (source.attr(USER).get() == null) {
            refuse(source, request, 403, "authenticate first (RFC 4976 section 5)");
            return;
        }
        List<MsrpUri> to = request.toPath();
        Instant now = clock.instant();
        int ours = 0;
        Grant first = null;
        Grant last = null;
        for (; ours < to.size(); ours++) {
            Grant g = grants.of(to.get(ours), now).orElse(null);
            if (g == null) {
                break;
            }
            first = first == null ? g : first;
            last = g;
        }
        if (ours < to.size() && grants.expired(to.get(ours), now)) {
            // said as such: a client that let its grant lapse learns to AUTH again rather than guess
            refuse(source, request, 403, "the relay's grant of " + to.get(ours) + " has expired (RFC 4976 section 5)");
            return;
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
        if (ours == to.size()) {
            refuse(source, request, 403, "nothing to relay to after this relay");
            return;
        }
        if (to.size() - ours == 1 && local.serves(to.get(ours), last.uri())) {
            toLocalEndpoint(source, wire.request(), to.subList(0, ours), to.subList(ours, to.size()));
            return;
        }
        Channel target = last.connection();
        if (target == source) {
            // Reaching hosts the sender names would make this an open relay; it serves its users' connections only.
            refuse(source, request, 403, "the next hop is not a user of this relay");
            return;
        }
        if (listener.watches(first.uri(), last.uri())) {
            Optional<RelayListener.Refusal> refusal = listener.relaying(first.uri(), last.uri(), wire.request());
            if (refusal.isPresent()) {
                refuse(source, request, refusal.get().status(), refusal.get().comment());
                return;
            }
        }
        String tid = newTransactionId();
        String failureReport = request.header(MsrpMessage.FAILURE_REPORT).orElse("yes");
        boolean send = request.method().equals(MsrpRequest.SEND);
        if (send && !failureReport.equals("no")) {
            ScheduledFuture<?> timeout = source.eventLoop().schedule(() -> timedOut(tid),
                    settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pending.put(tid, new Pending(source, target, request, first.uri(), timeout));
        }
        if (send && failureReport.equals("yes")) {
            // hop by hop (RFC 4976 §7.3), and before the forward, so that it precedes any REPORT about the message
            queue(source, source, MsrpResponse.to(request, 200, "OK", List.of()));
        }
        ByteBuf[] parts = forwarded(target.alloc(), wire, tid, ours);
        if (target.attr(TRANSPORT).get().webSocket()) {
            // one MSRP message per WebSocket message (RFC 7977 §5.2): the parts framed as one
            queue(source, target, target.alloc().compositeDirectBuffer(parts.length).addComponents(true, parts));
        } else {
            // a byte stream takes them as they are, gathered into one write by the socket
            for (ByteBuf part : parts) {
                queue(source, target, part);
            }
        }
    }

    /**
     * RFC 4976 §7.3: this relay's {@code ours} URIs off the head of To-Path and, in reverse, onto
     * the head of From-Path; the rest of the request as received. The paths are rewritten on the
     * header values as received (the URIs are separated by single spaces, §9, and the decoder has
     * checked them), so nothing is formatted again; the new start line, paths and end-line are the
     * only bytes written, in a small pooled buffer either side of the received ones (buffers of their
     * own rather than slices of one: the socket takes a pooled buffer's bytes through a cached view,
     * where each slice cost a new {@code ByteBuffer} per write).
     *
     * @return the new lines before the received bytes, the received bytes, the new end-line
     */
    private static ByteBuf[] forwarded(ByteBufAllocator alloc, WireRequest wire, String tid, int ours) {
        MsrpRequest request = wire.head();
        String to = request.header(MsrpMessage.TO_PATH).orElseThrow();
        String from = request.header(MsrpMessage.FROM_PATH).orElseThrow();
        int[] starts = new int[ours + 1]; // where each of our URIs starts, and what follows them
        for (int i = 1; i <= ours; i++) {
            starts[i] = to.indexOf(' ', starts[i - 1]) + 1;
        }
        ByteBuf lines = alloc.directBuffer(to.length() + tid.length() + from.length() + 48);
        ByteBufUtil.writeAscii(lines, "MSRP ");
        ByteBufUtil.writeAscii(lines, tid);
        lines.writeByte(' ');
        ByteBufUtil.writeAscii(lines, request.method());
        lines.writeShort(MsrpMessage.CRLF);
        ByteBufUtil.writeAscii(lines, MsrpMessage.TO_PATH);
        lines.writeShort(MsrpMessage.COLON_SPACE);
        ByteBufUtil.writeUtf8(lines, to, starts[ours], to.length());
        lines.writeShort(MsrpMessage.CRLF);
        ByteBufUtil.writeAscii(lines, MsrpMessage.FROM_PATH);
        lines.writeShort(MsrpMessage.COLON_SPACE);
        for (int i = ours - 1; i >= 0; i--) {
            ByteBufUtil.writeUtf8(lines, to, starts[i], starts[i + 1]); // the URI and the space after it
        }
        ByteBufUtil.writeUtf8(lines, from);
        lines.writeShort(MsrpMessage.CRLF);
        ByteBuf endLine = alloc.directBuffer(END_LINE_DASHES.length + tid.length() + 3);
        endLine.writeBytes(END_LINE_DASHES);
        ByteBufUtil.writeAscii(endLine, tid);
        endLine.writeByte(request.continuation());
        endLine.writeShort(MsrpMessage.CRLF);
        return new ByteBuf[] {lines, wire.afterPaths(), endLine};
    }

    /**
     * Queues a message for {@code to} until the read of {@code reader} under way ends
     * ({@link #channelReadComplete}), or until the read has queued {@link #MAX_IN_TRANSIT} bytes:
     * then it is written at once, so that a next hop that cannot take more pauses the reader
     * before the rest of a long read piles up behind it.
     */
    private void queue(Channel reader, Channel to, Object message) {
        Outbox outbox = reader.attr(OUTBOX).get();
        if (outbox == null) {
            outbox = new Outbox();
            reader.attr(OUTBOX).set(outbox);
        }
        outbox.byConnection.computeIfAbsent(to, c -> new ArrayList<>()).add(message);
        outbox.bytes += size(message);
        if (outbox.bytes >= MAX_IN_TRANSIT) {
            flushOutbox(reader);
        }
    }

    private static long size(Object message) {
        return message instanceof ByteBuf b ? b.readableBytes() : ((MsrpMessage) message).encodedSizeHint();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushOutbox(ctx.channel());
        ctx.fireChannelReadComplete();
    }

    /**
     * Writes what a read queued, one batch and one flush per connection, each on that connection's
     * event loop ({@link LoopAffinity#onLoop}: at once when it is the reader's); a next hop that is
     * full afterwards pauses the reader until it drains. A next hop on another loop is brought over
     * to the reader's (or the reader to its) the first time, so that a session's chunks stop crossing.
     */
    private void flushOutbox(Channel reader) {
        Outbox outbox = reader.attr(OUTBOX).getAndSet(null);
        if (outbox == null) {
            return;
        }
        outbox.byConnection.forEach((to, messages) -> {
            // Until the batch is written it is counted against the reader, which stops reading when too
            // much of its traffic still waits in other loops' queues (an overloaded loop must not make
            // the relay's memory grow).
            InTransit transit = reader.attr(IN_TRANSIT).get();
            if (transit == null) {
                transit = new InTransit(); // only the reader's own event loop gets here
                reader.attr(IN_TRANSIT).set(transit);
            }
            long size = 0;
            for (Object m : messages) {
                size += size(m);
            }
            transit.bytes.addAndGet(size);
            InTransit inTransit = transit;
            long batch = size;
            affinity.onLoop(to, () -> {
                write(to, messages);
                if (inTransit.bytes.addAndGet(-batch) < MAX_IN_TRANSIT && inTransit.held) {
                    LoopAffinity.runOnOwnLoop(reader, () -> caughtUp(reader, inTransit));
                }
                if (to != reader && !to.isWritable()) {
                    throttle(reader, to);
                }
            });
            if (transit.bytes.get() >= MAX_IN_TRANSIT && !transit.held && reader.isActive()) {
                transit.held = true;
                ReadPause.of(reader).hold(transit);
                if (transit.bytes.get() < MAX_IN_TRANSIT) {
                    caughtUp(reader, transit); // the tasks ran meanwhile: none of them will resume it later
                }
            }
            if (to != reader && to.eventLoop() != reader.eventLoop()) {
                affinity.paired(reader, to);
            }
        });
    }

    /** On the reader's loop: its batches in other loops' queues are below the bound again. */
    private static void caughtUp(Channel reader, InTransit transit) {
        if (transit.held && transit.bytes.get() < MAX_IN_TRANSIT) {
            transit.held = false;
            ReadPause.of(reader).release(transit);
        }
    }

    private void write(Channel to, List<Object> messages) {
        for (Object m : messages) {
            to.write(m, to.voidPromise());
        }
        to.flush();
        if (!to.isActive()) {
            undeliverable(to); // closed before the batch got here: what waits for its answers gets none
        }
    }

    /**
     * The next hop's connection is gone: the forwarded SENDs that wait for its answers get a
     * failure report at once (481, if they want one) instead of a timeout; those whose sender is
     * gone are forgotten.
     */
    private void undeliverable(Channel gone) {
        pending.values().removeIf(p -> {
            if (p.target() != gone && p.source() != gone) {
                return false;
            }
            p.timeout().cancel(false);
            if (p.source() != gone) {
                failureReport(p, 481, "Session-does-not-exist");
            }
            return true;
        });
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
                        case MsrpResponse r -> send(source, MsrpResponse.to(request, r.status(), r.comment(),
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
        send(source, report.forwarded(newTransactionId(), to.subList(1, to.size()), from));
    }

    /**
     * A fast sender to a slow receiver: stop reading from the sender until the receiver's
     * connection drains, so that a large transfer never piles up in the relay's memory.
     */
    private static void throttle(Channel source, Channel target) {
        target.attr(WAITING).setIfAbsent(ConcurrentHashMap.newKeySet());
        if (target.attr(WAITING).get().add(source)) {
            ReadPause.of(source).hold(target);
        }
        if (target.isWritable() || !target.isActive()) {
            resume(target); // drained (or gone) meanwhile: nothing will tell us later
        }
    }

    private static void resume(Channel target) {
        Set<Channel> waiting = target.attr(WAITING).get();
        if (waiting != null) {
            waiting.removeIf(source -> {
                ReadPause.of(source).release(target);
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
        flushOutbox(ctx.channel()); // what its last read forwarded still goes
        resume(ctx.channel());
        undeliverable(ctx.channel());
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
        send(p.source(), new MsrpRequest(newTransactionId(), MsrpRequest.REPORT, headers, null,
                MsrpRequest.COMPLETE));
    }

    /** A message of the relay's own, written on the connection's loop in turn with what is forwarded to it. */
    private void send(Channel to, MsrpMessage message) {
        affinity.onLoop(to, () -> to.writeAndFlush(message));
    }

    /** A negative answer, if the request wants one: REPORTs never get responses, SENDs per Failure-Report (§7.1.1). */
    private void refuse(Channel source, MsrpRequest request, int status, String comment) {
        log.debug("refusing MSRP {} {} from {}: {} {}", request.method(), request.transactionId(),
                source.remoteAddress(), status, comment);
        if (request.method().equals(MsrpRequest.REPORT) || request.header(MsrpMessage.FAILURE_REPORT)
                .orElse("yes").equals("no")) {
            return;
        }
        queue(source, source, MsrpResponse.to(request, status, comment, List.of()));
    }

    /** RFC 4975 §7.1: at least 64 bits of randomness. */
    private static String newTransactionId() {
        return TRANSACTION_IDS.get().next();
    }

    /** 80 random bits per id, drawn from the thread's generator a block at a time: one call per 32 ids, not one per id. */
    private static final class TransactionIds {
        private static final int BYTES = 10;
        private final SecureRandom random = newRandom();
        private final byte[] block = new byte[BYTES * 32];
        private int next = block.length;

        String next() {
            if (next == block.length) {
                random.nextBytes(block);
                next = 0;
            }
            next += BYTES;
            return HexFormat.of().formatHex(block, next - BYTES, next);
        }

        private static SecureRandom newRandom() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no DRBG", e);
            }
        }
    }

    /** Bytes of {@code reader}'s batches still queued for other event loops. */
    static long inTransit(Channel reader) {
        InTransit transit = reader.attr(IN_TRANSIT).get();
        return transit == null ? 0 : transit.bytes.get();
    }

    int pendingCount() {
        return pending.size();
    }
}
