package org.parley.msrp.relay;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests one connection sends to Parley's own endpoint, handled one after the other, in
 * order, off the I/O threads (the endpoint stores a message before it answers); reading from the
 * connection is held back ({@link ReadPause}) while too many wait, as it is for a receiver that
 * reads slowly.
 */
final class LocalHop {
    private static final AttributeKey<LocalHop> KEY = AttributeKey.valueOf("msrp.relay.local-hop");
    private static final int MAX_WAITING = 16;

    private final Channel source;
    private final Executor work;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    private LocalHop(Channel source, Executor work) {
        this.source = source;
        this.work = work;
    }

    /** The hop of {@code source}'s requests, made on its first one (on the connection's I/O thread). */
    static LocalHop of(Channel source, Executor work) {
        LocalHop hop = source.attr(KEY).get();
        if (hop == null) {
            hop = new LocalHop(source, work);
            source.attr(KEY).set(hop);
        }
        return hop;
    }

    void submit(Runnable request) {
        waiting.add(request);
        int n = size.incrementAndGet();
        if (n >= MAX_WAITING) {
            ReadPause.of(source).hold(this);
        }
        if (n == 1) {
            work.execute(this::drain);
        }
    }

    /** One drain at a time: started by the request that found the queue empty. */
    private void drain() {
        int left;
        do {
            waiting.poll().run();
            left = size.decrementAndGet();
            if (left == MAX_WAITING / 2) {
                // decided on the connection's loop, where submit holds: a release never overtakes a later hold
                LoopAffinity.runOnOwnLoop(source, () -> {
                    if (size.get() < MAX_WAITING) {
                        ReadPause.of(source).release(this);
                    }
                });
            }
        } while (left > 0);
    }
}
