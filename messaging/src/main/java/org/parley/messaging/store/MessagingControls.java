package org.parley.messaging.store;

import java.util.Optional;
import java.util.Set;

/**
 * One user's messaging settings. The user's own: delivery on or off (PP-11), do-not-disturb
 * (UC 5.6 alternative flow), blocked senders (PP2-23, canonical AORs such as sip:bob@example.org,
 * or "anonymous"). The operator's: submission and delivery on or off for this user (PP-10), and
 * limits of its own (MO-2, PP2-17) instead of the configured defaults.
 */
public record MessagingControls(boolean deliveryEnabled, boolean doNotDisturb, Set<String> blockedSenders,
                                boolean operatorSubmissionEnabled, boolean operatorDeliveryEnabled,
                                Optional<Limits> limits) {
    public static final MessagingControls DEFAULT = new MessagingControls(true, false, Set.of(), true, true,
            Optional.empty());

    public MessagingControls {
        blockedSenders = Set.copyOf(blockedSenders);
    }
}
