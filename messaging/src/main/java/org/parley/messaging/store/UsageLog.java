package org.parley.messaging.store;

import java.io.IOException;
import java.io.Writer;
import org.parley.accounts.Page;

/** Durable usage records (PP2-6, PP-49), oldest first when listed, ready for the charging issue. */
public interface UsageLog {
    void record(UsageRecord record);

    Page<UsageRecord> list(UsageQuery query, int offset, int limit);

    /** Writes every matching record as one JSON object per line (JSON Lines), oldest first. */
    void export(UsageQuery query, Writer out) throws IOException;
}
