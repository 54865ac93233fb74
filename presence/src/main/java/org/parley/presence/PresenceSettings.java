package org.parley.presence;

import java.time.Duration;
import org.parley.config.Config;
import org.parley.sip.proxy.SubscribeTerms;

/**
 * Lifetimes the presence server grants — publications (RFC 3903 §6 step 4) and subscriptions
 * (RFC 6665 §4.2.1.1) — and the pace of NOTIFYs: at most one content NOTIFY per subscription per
 * {@code notifyInterval}, what changes in between coalesced into the next.
 */
public record PresenceSettings(Duration minPublish, Duration maxPublish, Duration defaultPublish,
                               Duration minSubscribe, Duration maxSubscribe, Duration defaultSubscribe,
                               Duration notifyInterval) {

    /** The {@code presence.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static PresenceSettings from(Config c) {
        return new PresenceSettings(c.seconds("presence.publish.min-expires"), c.seconds("presence.publish.max-expires"),
                c.seconds("presence.publish.default-expires"), c.seconds("presence.subscribe.min-expires"),
                c.seconds("presence.subscribe.max-expires"), c.seconds("presence.subscribe.default-expires"),
                Duration.ofMillis(c.nonNegative("presence.notify.min-interval-ms")));
    }

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
