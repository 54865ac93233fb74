package org.parley.sip.transaction;

import java.util.concurrent.Executor;
import org.parley.sip.transport.SipTransport;

/** What every transaction of one layer shares. */
record Context(SipTransport transport, Scheduler scheduler, TimerSettings timers, Executor executor,
               TransactionMetrics metrics) {
}
