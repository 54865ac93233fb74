package org.parley.sip.transaction;

/** A scheduled task that can be withdrawn; cancelling a task that already ran does nothing. */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
