package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The message headers of a CPIM body (RFC 3862 §3), as far as IMDN (RFC 5438 §6) and the sender
 * check (RFC 3862 §7) need them: namespace prefixes are resolved, so "imdn.Message-ID" is found
 * whatever prefix the sender used. The body itself is never rewritten: it travels byte-exact.
 *
 * @param contentType the encapsulated content's type (e.g. message/imdn+xml for a report), when given
 */
public record Cpim(Map<String, String> headers, Optional<String> contentType) {
    public static final String IMDN_NS = "urn:ietf:params:imdn";
    /** A header name (RFC 3862 §3.3: Header-name, with an optional "prefix." before it). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");

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
            if (!TOKEN.matcher(name).matches()) {
                return Optional.empty();
            }
            if (name.equalsIgnoreCase("NS")) {
                int lt = value.indexOf('<');
                int gt = value.indexOf('>');
                if (lt > 0 && gt > lt) {
                    prefixes.put(value.substring(0, lt).strip(), value.substring(lt + 1, gt));
                }
            } else if (name.equalsIgnoreCase("From") && raw.keySet().stream().anyMatch("From"::equalsIgnoreCase)) {
                return Optional.empty(); // two senders: which one a client shows is anybody's guess
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
        return Optional.of(new Cpim(Map.copyOf(resolved), encapsulatedType(text.substring(blank + 2))));
    }

    /** The Content-Type among the MIME headers that open the encapsulated content (RFC 3862 §3.1). */
    private static Optional<String> encapsulatedType(String content) {
        int end = content.indexOf("\n\n");
        for (String line : (end < 0 ? content : content.substring(0, end)).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Type")) {
                return Optional.of(line.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }

    /**
     * The URI of the CPIM From header (RFC 3862 §5.1: {@code From: [Formal-name] <URI>}); empty
     * when there is no From.
     *
     * @throws IllegalArgumentException when the From is not of that form
     */
    public Optional<String> fromUri() {
        String from = headers.get("from");
        if (from == null) {
            return Optional.empty();
        }
        int lt = from.lastIndexOf('<');
        int gt = from.lastIndexOf('>');
        if (lt < 0 || gt < lt + 2 || !from.substring(gt + 1).isBlank()) {
            throw new IllegalArgumentException("CPIM From is not [name] <URI>: " + from);
        }
        return Optional.of(from.substring(lt + 1, gt).strip());
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
