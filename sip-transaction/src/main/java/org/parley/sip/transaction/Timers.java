package org.parley.sip.transaction;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The running timers of one transaction by their RFC 3261 letter. Guarded by the transaction's
 * lock. A firing counts only while it is still the current timer of its name: a timer stopped or
 * replaced while its task was already waiting for the lock does nothing.
 *
 * <p>A transaction runs at most three timers at a time, so they sit in a few slots compared by
 * name rather than in a map; and the scheduled task is the timer itself, the token its firing is
 * checked by, so setting one allocates it and the scheduler's entry and nothing else. The slots
 * come with the first timer: a non-INVITE server transaction over UDP never sets one (Timer J
 * runs in the layer's log), and most transactions are that.
 */
final class Timers {
    /** One timer set: what the scheduler runs, and how it is withdrawn. */
    static final class Timer implements Runnable, Consumer<Effects> {
        private final Transaction owner;
        private final String name;
        private final Consumer<Effects> onFire;
        private Cancellable scheduled;

        Timer(Transaction owner, String name, Consumer<Effects> onFire) {
            this.owner = owner;
            this.name = name;
            this.onFire = onFire;
        }

        /** Fired by the scheduler: takes the transaction's lock. */
        @Override
        public void run() {
            owner.locked(this);
        }

        /** Under the lock: acts only if still current. */
        @Override
        public void accept(Effects fx) {
            if (owner.timers.claim(this)) {
                onFire.accept(fx);
            }
        }
    }

    /** Null until the first timer is set. */
    private Timer[] running;

    /** Records a timer just scheduled, stopping the one of the same name it replaces. */
    void put(Timer timer, Cancellable scheduled) {
        timer.scheduled = scheduled;
        if (running == null) {
            running = new Timer[3];
        }
        int free = -1;
        for (int i = 0; i < running.length; i++) {
            Timer t = running[i];
            if (t == null) {
                free = free < 0 ? i : free;
            } else if (t.name.equals(timer.name)) {
                t.scheduled.cancel();
                running[i] = timer;
                return;
            }
        }
        if (free < 0) {
            free = running.length;
            running = Arrays.copyOf(running, free * 2);
        }
        running[free] = timer;
    }

    /** True, and forgotten, when {@code timer} is still the current one of its name. */
    boolean claim(Timer timer) {
        if (running == null) {
            return false;
        }
        for (int i = 0; i < running.length; i++) {
            if (running[i] == timer) {
                running[i] = null;
                return true;
            }
        }
        return false;
    }

    void stop(String name) {
        if (running == null) {
            return;
        }
        for (int i = 0; i < running.length; i++) {
            Timer t = running[i];
            if (t != null && t.name.equals(name)) {
                running[i] = null;
                t.scheduled.cancel();
                return;
            }
        }
    }

    void stopAll() {
        if (running == null) {
            return;
        }
        for (int i = 0; i < running.length; i++) {
            Timer t = running[i];
            if (t != null) {
                running[i] = null;
                t.scheduled.cancel();
            }
        }
    }
}
