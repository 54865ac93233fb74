package org.parley.messaging.store;

import java.time.Instant;
import java.util.Optional;

/** Filters for listing and exporting usage records; empty means "any". */
public record UsageQuery(Optional<String> sender, Optional<String> recipient, Optional<UsageEvent> event,
                         Optional<Instant> from, Optional<Instant> to) {
    public static final UsageQuery ALL = new UsageQuery(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
}
