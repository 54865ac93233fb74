package org.parley.messaging.chat;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Session-Expires header (RFC 4028 §4): delta-seconds and who refreshes. Min-SE has the
 * same delta-seconds without the refresher.
 */
record SessionExpires(long seconds, Optional<String> refresher) {
    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*([0-9]{1,10})\\s*((?:;\\s*[A-Za-z0-9.!%*_+`'~-]+(?:\\s*=\\s*[A-Za-z0-9.!%*_+`'~-]+)?\\s*)*)");
    private static final Pattern REFRESHER = Pattern.compile(";\\s*refresher\\s*=\\s*(uac|uas)", Pattern.CASE_INSENSITIVE);

    /** Empty when the value is not delta-seconds with parameters: the caller answers 400. */
    static Optional<SessionExpires> parse(String value) {
        Matcher m = SYNTAX.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        Matcher r = REFRESHER.matcher(m.group(2));
        return Optional.of(new SessionExpires(Long.parseLong(m.group(1)),
                r.find() ? Optional.of(r.group(1).toLowerCase(java.util.Locale.ROOT)) : Optional.empty()));
    }

    SessionExpires withSeconds(long s) {
        return new SessionExpires(s, refresher);
    }

    @Override
    public String toString() {
        return seconds + refresher.map(r -> ";refresher=" + r).orElse("");
    }
}
