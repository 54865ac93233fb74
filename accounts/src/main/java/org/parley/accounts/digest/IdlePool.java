package org.parley.accounts.digest;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few idle instances of something costly to make and not thread-safe (a keyed MAC, a message
 * digest with its buffers), taken for one computation and given back. Requests run on virtual
 * threads, so a {@code ThreadLocal} would make one per request; a lock-free array of idle ones
 * makes one per thread that is busy at the same moment, and more than {@code size} at once each
 * make their own, which is then dropped.
 */
final class IdlePool<T> {
    private final AtomicReferenceArray<T> idle;
    private final Supplier<T> fresh;

    IdlePool(int size, Supplier<T> fresh) {
        this.idle = new AtomicReferenceArray<>(size);
        this.fresh = fresh;
    }

    T take() {
        for (int i = 0; i < idle.length(); i++) {
            T t = idle.getAndSet(i, null);
            if (t != null) {
                return t;
            }
        }
        return fresh.get();
    }

    /** {@code t} must be ready for the next taker (reset). */
    void give(T t) {
        for (int i = 0; i < idle.length(); i++) {
            if (idle.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
