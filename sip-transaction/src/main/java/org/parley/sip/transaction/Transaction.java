package org.parley.sip.transaction;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The mechanics both sides share: state changes serialized on the transaction's monitor, their
 * sends and callbacks run after it is released, named timers, and removal from the layer's map
 * on termination.
 */
abstract class Transaction {
    final Context ctx;
    /** TU callbacks of this transaction, in order. */
    final SerialExecutor callbacks;
    /** Read by a firing {@link Timers.Timer} under the lock. */
    final Timers timers = new Timers();
    private final Runnable onTerminated;
    /** Guarded by this. */
    TransactionState state;

    Transaction(Context ctx, TransactionState initial, Runnable onTerminated) {
        this.ctx = ctx;
        this.callbacks = new SerialExecutor(ctx.executor());
        this.state = initial;
        this.onTerminated = onTerminated;
    }

    final synchronized TransactionState currentState() {
        return state;
    }

    final <T> T lockedCompute(Function<Effects, T> change) {
        Effects fx = new Effects(false);
        T result;
        synchronized (this) {
            result = change.apply(fx);
        }
        fx.run();
        return result;
    }

    final void locked(Consumer<Effects> change) {
        Effects fx = new Effects(false);
        synchronized (this) {
            change.accept(fx);
        }
        fx.run();
    }

    /**
     * {@link #locked}, with the TU callbacks the change makes run on the calling thread (when no
     * earlier one of this transaction is pending): for a caller on a virtual thread of its own.
     */
    final void lockedHere(Consumer<Effects> change) {
        Effects fx = new Effects(true);
        synchronized (this) {
            change.accept(fx);
        }
        fx.run();
    }

    /** Starts (or restarts) a timer; call with the lock held. */
    final void startTimer(String name, Duration delay, Consumer<Effects> onFire) {
        Timers.Timer timer = new Timers.Timer(this, name, onFire);
        timers.put(timer, ctx.scheduler().schedule(delay, timer));
    }

    final void stopTimer(String name) {
        timers.stop(name);
    }

    /** Terminates after {@code delay}: timers I, J, K, D, L, M; at once when zero (reliable transports). */
    final void terminateAfter(String timer, Duration delay, Effects fx) {
        if (delay.isZero()) {
            terminate(fx);
        } else {
            startTimer(timer, delay, this::terminate);
        }
    }

    final void terminate(Effects fx) {
        if (state != TransactionState.TERMINATED) {
            state = TransactionState.TERMINATED;
            timers.stopAll();
            fx.add(onTerminated);
        }
    }

    final void callback(Effects fx, Runnable call) {
        fx.add(fx.here ? () -> callbacks.runHere(call) : () -> callbacks.execute(call));
    }
}
