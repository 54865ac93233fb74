package org.parley.msrp.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings the two connections of a session onto one event loop, and runs what the relay does to a
 * connection on that connection's loop, in order, wherever the connection is.
 *
 * <p>Why: the relay accepts each connection onto the next event loop in turn, so the two ends of a
 * session usually live on different loops, and every read the sender's loop forwarded was a task
 * for the receiver's loop — a wake-up of a sleeping thread (a system call) and the chunk's bytes
 * crossing to another CPU's cache. The profiles of one session put that hand-off at 15–40 % of the
 * relay's CPU. So the first time a read forwards to a connection on another loop, one of the two
 * connections (the one not yet paired, onto the loop with fewer connections) is deregistered from
 * its loop and registered with the other's (Netty allows a channel to change loops when nothing is
 * waiting to be written); from then on the session's chunks are read, forwarded and written by one
 * thread. A connection is moved once at most: one that carries several sessions stays where its
 * first one put it, and what it exchanges with connections elsewhere crosses loops as before.
 *
 * <p>Every piece of work for a connection ({@link #onLoop}) goes through its own queue, drained on
 * its loop: what one loop hands to another keeps its order whether the connection moves meanwhile
 * or not, nothing runs while it is between loops, and a connection's writes never come from two
 * threads.
 */
final class LoopAffinity {
    private static final AttributeKey<Placement> PLACEMENT = AttributeKey.valueOf("msrp.relay.placement");

    /** Connections per event loop, so that moves keep the loops about evenly loaded. */
    private final Map<EventLoop, AtomicInteger> connections = new ConcurrentHashMap<>();

    /** Where a connection is and what waits to run on it. */
    private static final class Placement {
        /** Paired with another connection once (or claimed for a move): never moved again. */
        final AtomicBoolean settled = new AtomicBoolean();
        /** Between deregistering from one loop and being registered with the other: nothing runs. */
        volatile boolean moving;
        final Queue<Runnable> work = new ConcurrentLinkedQueue<>();
        /** A drain of {@link #work} is queued on the connection's loop. */
        final AtomicBoolean draining = new AtomicBoolean();
    }

    /** A new connection, on the loop that accepted it. */
    void accepted(Channel ch) {
        ch.attr(PLACEMENT).set(new Placement());
        count(ch.eventLoop()).incrementAndGet();
        ch.closeFuture().addListener(f -> count(ch.eventLoop()).decrementAndGet());
    }

    /**
     * Runs {@code task} on {@code ch}'s event loop, after everything given for it before: at once
     * when called there with nothing waiting, else queued.
     */
    void onLoop(Channel ch, Runnable task) {
        Placement p = ch.attr(PLACEMENT).get();
        if (p == null) {
            runOnOwnLoop(ch, task); // not a relay connection of this relay's listeners (none moves)
            return;
        }
        if (!p.moving && ch.eventLoop().inEventLoop() && !p.draining.get() && p.work.isEmpty()) {
            task.run();
            return;
        }
        p.work.add(task);
        drainSoon(ch, p);
    }

    /**
     * The read of {@code reader} under way forwarded to {@code target}, on another event loop: if
     * neither has been paired before, one of them goes over to the other's loop.
     */
    void paired(Channel reader, Channel target) {
        Placement r = reader.attr(PLACEMENT).get();
        Placement t = target.attr(PLACEMENT).get();
        if (r == null || t == null || r.settled.get() && t.settled.get()) {
            return;
        }
        EventLoop here = reader.eventLoop();
        EventLoop there = target.eventLoop();
        if (here == there) {
            r.settled.set(true);
            t.settled.set(true);
            return;
        }
        // the target follows the reader unless the reader's loop is the busier one (or the target cannot move)
        boolean targetMoves = !t.settled.get() && (r.settled.get() || count(here).get() <= count(there).get());
        Channel mover = targetMoves ? target : reader;
        Placement moving = targetMoves ? t : r;
        Placement staying = targetMoves ? r : t;
        EventLoop to = targetMoves ? here : there;
        if (!moving.settled.compareAndSet(false, true)) {
            return; // another loop claimed it meanwhile
        }
        boolean stayingWasSettled = staying.settled.getAndSet(true);
        // counted where it goes at once: the reads that pair the next sessions must see it there, not
        // all choose the same loop before the first move has run
        EventLoop from = mover.eventLoop();
        count(from).decrementAndGet();
        count(to).incrementAndGet();
        onLoop(mover, () -> move(mover, moving, from, to, staying, stayingWasSettled));
    }

    /** On the connection's loop, its earlier work done: deregisters it, then registers it with {@code to}. */
    private void move(Channel ch, Placement p, EventLoop from, EventLoop to, Placement partner,
                      boolean partnerWasSettled) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (!ch.isActive() || ch.eventLoop() != from || out == null || out.totalPendingWriteBytes() > 0) {
            // A connection with bytes waiting to be written keeps its loop (its interest in writing would
            // not follow it); both may be paired again by a later read.
            count(to).decrementAndGet();
            count(from).incrementAndGet();
            p.settled.set(false);
            if (!partnerWasSettled) {
                partner.settled.set(false);
            }
            return;
        }
        p.moving = true;
        ch.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess() || !ch.isOpen()) {
                arrived(ch, p);
                return;
            }
            to.register(ch).addListener(registered -> arrived(ch, p)); // a failed registration closes it
        });
    }

    private void arrived(Channel ch, Placement p) {
        p.moving = false;
        drainSoon(ch, p);
    }

    private void drainSoon(Channel ch, Placement p) {
        if (!p.moving && p.draining.compareAndSet(false, true)) {
            ch.eventLoop().execute(() -> drain(ch, p));
        }
    }

    private void drain(Channel ch, Placement p) {
        if (p.moving || !ch.eventLoop().inEventLoop()) {
            // it left this loop after the drain was queued: the drain follows it (or its arrival starts one)
            p.draining.set(false);
            drainSoon(ch, p);
            return;
        }
        Runnable task;
        while (!p.moving && (task = p.work.poll()) != null) {
            task.run();
        }
        p.draining.set(false);
        if (!p.work.isEmpty()) {
            drainSoon(ch, p);
        }
    }

    private AtomicInteger count(EventLoop loop) {
        return connections.computeIfAbsent(loop, l -> new AtomicInteger());
    }

    /**
     * Runs {@code task} on the loop {@code ch} is on when it runs: a task queued for a loop the
     * connection has left since goes on to the new one, so that state kept per connection on its
     * loop ({@link ReadPause}) is never touched from two threads.
     */
    static void runOnOwnLoop(Channel ch, Runnable task) {
        if (ch.eventLoop().inEventLoop()) {
            task.run();
        } else {
            ch.eventLoop().execute(() -> runOnOwnLoop(ch, task));
        }
    }
}
