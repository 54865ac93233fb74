package org.parley.messaging.http;

import org.parley.accounts.Page;
import org.parley.http.Json;
import org.parley.messaging.store.UsageLog;
import org.parley.messaging.store.UsageQuery;
import org.parley.messaging.store.UsageRecord;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory UsageLog for the HTTP tests of PP2-6 and PP-49.
 * A UsageLog in a list with the contract's semantics: oldest first, [from, to), JSON Lines export. */
final class InMemoryUsageLog implements UsageLog {
    private final List<UsageRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void record(UsageRecord record) {
        records.add(record);
    }

    @Override
    public Page<UsageRecord> list(UsageQuery query, int offset, int limit) {
        List<UsageRecord> matching = matching(query);
        return new Page<>(matching.stream().skip(offset).limit(limit).toList(), offset, limit, matching.size());
    }

    @Override
    public void export(UsageQuery query, Writer out) throws IOException {
        for (UsageRecord r : matching(query)) {
            out.write(Json.mapper().writeValueAsString(UsageRecordView.of(r)));
            out.write('\n');
        }
        out.flush();
    }

    private List<UsageRecord> matching(UsageQuery q) {
        return records.stream()
                .filter(r -> q.sender().map(r.sender()::equals).orElse(true))
                .filter(r -> q.recipient().map(r.recipient()::equals).orElse(true))
                .filter(r -> q.event().map(e -> r.event() == e).orElse(true))
                .filter(r -> q.from().map(f -> !r.at().isBefore(f)).orElse(true))
                .filter(r -> q.to().map(t -> r.at().isBefore(t)).orElse(true))
                .sorted(java.util.Comparator.comparing(UsageRecord::at))
                .toList();
    }
}
