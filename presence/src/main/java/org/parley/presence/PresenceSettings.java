package org.parley.presence;

import java.time.Duration;
import org.parley.sip.proxy.SubscribeTerms;

/**
 * Lifetimes the presence server grants — publications (RFC 3903 §6 step 4) and subscriptions
 * (RFC 6665 §4.2.1.1) — and the pace of NOTIFYs: at most one content NOTIFY per subscription per
 * {@code notifyInterval}, what changes in between coalesced into the next.
 */
public record PresenceSettings(Duration minPublish, Duration maxPublish, Duration defaultPublish,
                               Duration minSubscribe, Duration maxSubscribe, Duration defaultSubscribe,
                               Duration notifyInterval) {

    public static PresenceSettings defaults() {
        return new PresenceSettings(Duration.ofSeconds(60), Duration.ofHours(2), Duration.ofHours(1),
                Duration.ofSeconds(60), Duration.ofHours(2), Duration.ofHours(1), Duration.ofSeconds(1));
    }

    /** The lifetimes presence subscriptions get, as the notifier engine takes them. */
    SubscribeTerms.Limits subscriptions() {
        return new SubscribeTerms.Limits(minSubscribe, maxSubscribe, defaultSubscribe);
    }

    public PresenceSettings withNotifyInterval(Duration interval) {
        return new PresenceSettings(minPublish, maxPublish, defaultPublish, minSubscribe, maxSubscribe, defaultSubscribe,
                interval);
    }
}
