package org.parley.messaging.http;

import org.parley.http.ProblemException;
import org.parley.messaging.store.MessagingControls;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's view of one user's messaging controls: the user's own settings (PP-11, UC 5.6,
 * PP2-23), the operator's switches (PP-10) and the account's own limits (MO-2, PP2-17; null when
 * the configured defaults apply). Boxed fields so that a PUT missing one is a 400, not a false.
 */
record ControlsDocument(Boolean deliveryEnabled, Boolean doNotDisturb, List<String> blockedSenders,
                        Boolean operatorSubmissionEnabled, Boolean operatorDeliveryEnabled, LimitsDocument limits) {
    static final String LIMITS = "limits";

    static ControlsDocument of(MessagingControls c) {
        return new ControlsDocument(c.deliveryEnabled(), c.doNotDisturb(), BlockedSenders.view(c.blockedSenders()),
                c.operatorSubmissionEnabled(), c.operatorDeliveryEnabled(),
                c.limits().map(LimitsDocument::of).orElse(null));
    }

    /** PUT: every setting given; an absent or null {@code limits} means the configured defaults. */
    MessagingControls toControls() {
        return new MessagingControls(required("deliveryEnabled", deliveryEnabled),
                required("doNotDisturb", doNotDisturb), blocked(required("blockedSenders", blockedSenders)),
                required("operatorSubmissionEnabled", operatorSubmissionEnabled),
                required("operatorDeliveryEnabled", operatorDeliveryEnabled),
                Optional.ofNullable(limits).map(LimitsDocument::toLimits));
    }

    /** PATCH: what the body names replaces what {@code current} has; {@code "limits": null} reverts to the defaults. */
    MessagingControls applyTo(MessagingControls current, Set<String> fields) {
        return new MessagingControls(or(deliveryEnabled, current.deliveryEnabled()),
                or(doNotDisturb, current.doNotDisturb()),
                blockedSenders == null ? current.blockedSenders() : blocked(blockedSenders),
                or(operatorSubmissionEnabled, current.operatorSubmissionEnabled()),
                or(operatorDeliveryEnabled, current.operatorDeliveryEnabled()),
                fields.contains(LIMITS) ? Optional.ofNullable(limits).map(LimitsDocument::toLimits) : current.limits());
    }

    private static Set<String> blocked(List<String> entries) {
        return BlockedSenders.canonical("blockedSenders", entries);
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw ProblemException.badRequest("'" + field + "' is required");
        }
        return value;
    }

    private static boolean or(Boolean given, boolean current) {
        return given == null ? current : given;
    }
}
