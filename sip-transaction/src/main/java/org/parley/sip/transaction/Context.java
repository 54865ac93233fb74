package org.parley.sip.transaction;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.parley.sip.transport.SipTransport;

/**
 * What every transaction of one layer shares.
 *
 * @param timeout 64*T1 (timers B, F, H, J, L, M), worked out once rather than for every timer set
 */
record Context(SipTransport transport, Scheduler scheduler, TimerSettings timers, Executor executor,
               TransactionMetrics metrics, Duration timeout) {

    Context(SipTransport transport, Scheduler scheduler, TimerSettings timers, Executor executor,
            TransactionMetrics metrics) {
        this(transport, scheduler, timers, executor, metrics, timers.transactionTimeout());
    }
}
