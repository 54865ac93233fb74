package org.parley.sip.proxy;

import java.time.Duration;
import java.util.List;
import org.parley.sip.message.Uri;

/**
 * What a SUBSCRIBE this server answers as notifier settled (RFC 6665 §4.2.1), worked out by
 * {@link Notifier#terms}.
 *
 * @param expires  the granted lifetime: the asked one capped at the maximum; zero is a fetch or an unsubscribe
 * @param target   the subscriber's Contact: the remote target of the dialog
 * @param routeSet the SUBSCRIBE's Record-Route, in order: the dialog's route set (RFC 3261 §12.1.1)
 */
public record SubscribeTerms(Duration expires, Uri target, List<String> routeSet) {
    public SubscribeTerms {
        routeSet = List.copyOf(routeSet);
    }

    /**
     * The lifetimes a package grants (RFC 6665 §4.2.1.1): an Expires below {@code min} is
     * refused with 423, one above {@code max} is cut to it, none asked gets {@code dflt}.
     */
    public record Limits(Duration min, Duration max, Duration dflt) {
    }
}
