package org.parley.messaging.http;

import org.parley.messaging.store.UsageRecord;

import java.time.Instant;

/**
 * One usage record in JSON (PP2-6, PP-49): the same field names and formats as each line of the
 * export, so a client parses pages and exports with one type. Absent values are null.
 */
record UsageRecordView(String at, String event, String sender, String recipient, long size, String contentType,
                       String sentAt, String deliveredAt, String senderAccess, String recipientAccess,
                       String messageRef, String detail) {
    static UsageRecordView of(UsageRecord r) {
        return new UsageRecordView(r.at().toString(), r.event().name(), r.sender(), r.recipient(), r.size(),
                r.contentType(), r.sentAt().toString(), r.deliveredAt().map(Instant::toString).orElse(null),
                r.senderAccess().orElse(null), r.recipientAccess().orElse(null), r.messageRef(),
                r.detail().orElse(null));
    }
}
