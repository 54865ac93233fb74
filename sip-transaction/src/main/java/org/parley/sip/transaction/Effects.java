package org.parley.sip.transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Side effects gathered while a transaction's lock is held and run once it is released: a send
 * may complete (or fail) in the calling thread, and a TU callback on a direct executor would
 * otherwise run under the lock.
 */
final class Effects {
    private final List<Runnable> pending = new ArrayList<>(2);

    void add(Runnable effect) {
        pending.add(effect);
    }

    void run() {
        for (Runnable r : pending) {
            r.run();
        }
    }
}
