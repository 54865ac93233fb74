package org.parley.messaging;

import java.time.Instant;
import java.util.Optional;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageLog;
import org.parley.messaging.store.UsageRecord;
import org.parley.sip.transaction.Scheduler;

/** Turns message events into usage records (PP2-6, PP-49). */
final class Usage {
    private final UsageLog log;
    private final Scheduler scheduler;

    Usage(UsageLog log, Scheduler scheduler) {
        this.log = log;
        this.scheduler = scheduler;
    }

    void record(Submission s, UsageEvent event, Optional<String> recipientAccess, String detail) {
        Instant now = scheduler.now();
        log.record(new UsageRecord(now, event, s.senderAor(), s.recipientAor(), s.request().body().length,
                s.request().contentType().orElse("text/plain"), s.at(),
                event == UsageEvent.DELIVERED ? Optional.of(now) : Optional.empty(),
                Optional.ofNullable(s.senderAccess()), recipientAccess, s.request().callId(), Optional.ofNullable(detail)));
    }
}
