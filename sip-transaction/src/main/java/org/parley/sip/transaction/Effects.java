package org.parley.sip.transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Side effects gathered while a transaction's lock is held and run once it is released: a send
 * may complete (or fail) in the calling thread, and a TU callback on a direct executor would
 * otherwise run under the lock. Nearly every change has two effects at most (a send, a
 * callback), kept in fields: one of these is made for every change of every transaction.
 */
final class Effects {
    /** Whether the TU callbacks among them run on the calling thread ({@link Transaction#lockedHere}). */
    final boolean here;
    private Runnable first;
    private Runnable second;
    private List<Runnable> more;

    Effects(boolean here) {
        this.here = here;
    }

    void add(Runnable effect) {
        if (first == null) {
            first = effect;
        } else if (second == null) {
            second = effect;
        } else {
            if (more == null) {
                more = new ArrayList<>(2);
            }
            more.add(effect);
        }
    }

    void run() {
        if (first == null) {
            return;
        }
        first.run();
        if (second != null) {
            second.run();
        }
        if (more != null) {
            for (Runnable r : more) {
                r.run();
            }
        }
    }
}
