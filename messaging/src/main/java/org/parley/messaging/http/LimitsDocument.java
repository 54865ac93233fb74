package org.parley.messaging.http;

import org.parley.http.ProblemException;
import org.parley.messaging.store.Limits;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON shape of an account's own {@link Limits} (MO-2, PP2-17). Boxed fields so that a missing
 * number is a 400 naming it rather than a silent 0; {@code allowedContentTypes} absent or empty
 * means any type.
 */
record LimitsDocument(Integer maxBodyBytes, Integer messagesPerMinute, Integer messagesPerDay, Long bytesPerDay,
                      List<String> allowedContentTypes, Integer offlineMaxMessages, Long offlineMaxBytes) {
    /** RFC 6838 type/subtype restricted names, without parameters: the limit is on the media type alone. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

    static LimitsDocument of(Limits l) {
        return new LimitsDocument(l.maxBodyBytes(), l.messagesPerMinute(), l.messagesPerDay(), l.bytesPerDay(),
                l.allowedContentTypes().stream().sorted().toList(), l.offlineMaxMessages(), l.offlineMaxBytes());
    }

    /** @throws ProblemException 400 naming the first missing or negative field or malformed content type */
    Limits toLimits() {
        return new Limits(count("maxBodyBytes", maxBodyBytes), count("messagesPerMinute", messagesPerMinute),
                count("messagesPerDay", messagesPerDay), count("bytesPerDay", bytesPerDay), contentTypes(),
                count("offlineMaxMessages", offlineMaxMessages), count("offlineMaxBytes", offlineMaxBytes));
    }

    private Set<String> contentTypes() {
        if (allowedContentTypes == null) {
            return Set.of();
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : allowedContentTypes) {
            String normalised = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
            if (!MEDIA_TYPE.matcher(normalised).matches()) {
                throw ProblemException.badRequest("'limits.allowedContentTypes' entries must be type/subtype "
                        + "media types such as text/plain, got '" + type + "'");
            }
            types.add(normalised);
        }
        return types;
    }

    private static <N extends Number> N count(String field, N value) {
        if (value == null) {
            throw ProblemException.badRequest("'limits." + field + "' is required");
        }
        if (value.longValue() < 0) {
            throw ProblemException.badRequest("'limits." + field + "' must be 0 or more, got " + value);
        }
        return value;
    }
}
