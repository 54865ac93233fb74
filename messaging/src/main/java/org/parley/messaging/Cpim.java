package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The message headers of a CPIM body (RFC 3862 §3), as far as IMDN needs them (RFC 5438 §6):
 * namespace prefixes are resolved, so "imdn.Message-ID" is found whatever prefix the sender used.
 * The body itself is never rewritten: it travels byte-exact.
 */
public record Cpim(Map<String, String> headers) {
    public static final String IMDN_NS = "urn:ietf:params:imdn";

    /** Parses the CPIM message headers; empty when the body is not a well-formed CPIM message. */
    public static Optional<Cpim> parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replace("\r\n", "\n");
        // in SIP the message/cpim body starts with the message headers (RFC 3862 §6 "h:" lines);
        // the encapsulated MIME headers and content follow the first empty line
        int blank = text.indexOf("\n\n");
        if (blank <= 0) {
            return Optional.empty();
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        for (String line : text.substring(0, blank).split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("NS")) {
                int lt = value.indexOf('<');
                int gt = value.indexOf('>');
                if (lt > 0 && gt > lt) {
                    prefixes.put(value.substring(0, lt).strip(), value.substring(lt + 1, gt));
                }
            } else {
                raw.putIfAbsent(name, value);
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            int dot = name.indexOf('.');
            if (dot > 0 && IMDN_NS.equals(prefixes.get(name.substring(0, dot)))) {
                resolved.put("imdn." + name.substring(dot + 1).toLowerCase(Locale.ROOT), value);
            } else {
                resolved.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        return Optional.of(new Cpim(Map.copyOf(resolved)));
    }

    public Optional<String> imdnMessageId() {
        return Optional.ofNullable(headers.get("imdn.message-id"));
    }

    /** The notifications asked for, e.g. "positive-delivery, negative-delivery"; empty string when none. */
    public String dispositionNotification() {
        return headers.getOrDefault("imdn.disposition-notification", "");
    }

    public Optional<String> dateTime() {
        return Optional.ofNullable(headers.get("datetime"));
    }
}
