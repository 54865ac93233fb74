package org.parley.messaging;

import org.parley.accounts.E164;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The canonical form of a sender's address, so that a blocked-senders entry (PP2-23) and the From
 * of an incoming MESSAGE compare equal however each was spelled. "sip:Bob@Example.org:5060;transport=tcp"
 * and "Bob &lt;sips:bob@example.org&gt;" both become "sip:bob@example.org": the address of record,
 * without port, parameters or headers, with the user part unescaped. Deliberate choices:
 * <ul>
 *   <li>the user part is lower-cased: Parley identities are case-insensitive, so blocking "Bob" must stop "bob";</li>
 *   <li>sips: folds into sip: — it asks for a secure path, it names the same user;</li>
 *   <li>telephone numbers become "tel:+digits" whether they came as tel: URIs or as sip: URIs with
 *       user=phone, so blocking a number works for both (only global numbers: a local one has no
 *       meaning outside its phone-context);</li>
 *   <li>{@value #ANONYMOUS} stands for every withheld identity: the word itself and the RFC 3261/3323
 *       anonymous URIs in the reserved domain anonymous.invalid.</li>
 * </ul>
 */
public final class SenderIdentity {
    public static final String ANONYMOUS = "anonymous";

    private static final String ANONYMOUS_DOMAIN = "anonymous.invalid";
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?\\.?");
    private static final Pattern IPV6_REFERENCE = Pattern.compile("\\[[0-9a-f:.]+]");

    private SenderIdentity() {
    }

    /** @return the canonical identity, or empty when {@code address} is no sip:, sips: or global tel: address */
    public static Optional<String> canonical(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String uri = unwrapNameAddr(address.strip());
        if (uri.equalsIgnoreCase(ANONYMOUS)) {
            return Optional.of(ANONYMOUS);
        }
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String rest = uri.substring(colon + 1);
        return switch (uri.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "sip", "sips" -> sip(rest);
            case "tel" -> globalNumber(beforeAny(rest, ";"));
            default -> Optional.empty();
        };
    }

    /** A From header value may carry a display name: "Bob" &lt;sip:bob@example.org&gt;;tag=x. */
    private static String unwrapNameAddr(String address) {
        int open = address.indexOf('<');
        int close = address.indexOf('>', open + 1);
        return open >= 0 && close > open ? address.substring(open + 1, close).strip() : address;
    }

    private static Optional<String> sip(String rest) {
        // '@' is never unescaped in the user part, while ';' and '?' may be (RFC 3261 user-unreserved).
        int at = rest.indexOf('@');
        String userinfo = at < 0 ? "" : rest.substring(0, at);
        String hostport = beforeAny(rest.substring(at + 1), ";?");
        String parameters = rest.substring(at + 1 + hostport.length());
        Optional<String> host = host(hostport);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        if (host.get().equals(ANONYMOUS_DOMAIN)) {
            return Optional.of(ANONYMOUS);
        }
        if (at < 0) {
            return Optional.of("sip:" + host.get());
        }
        Optional<String> user = unescape(beforeAny(userinfo, ":")).map(u -> u.toLowerCase(Locale.ROOT));
        if (user.isEmpty() || user.get().isEmpty()) {
            return Optional.empty();
        }
        if (isUserPhone(parameters)) {
            Optional<String> number = globalNumber(beforeAny(user.get(), ";"));
            if (number.isPresent()) {
                return number;
            }
        }
        return Optional.of("sip:" + user.get() + "@" + host.get());
    }

    private static Optional<String> host(String hostport) {
        String host = hostport.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(0, close + 1);
            return IPV6_REFERENCE.matcher(host).matches() ? Optional.of(host) : Optional.empty();
        }
        host = beforeAny(host, ":");
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return HOSTNAME.matcher(host).matches() ? Optional.of(host) : Optional.empty();
    }

    private static boolean isUserPhone(String parameters) {
        for (String parameter : beforeAny(parameters, "?").split(";")) {
            if (parameter.strip().equalsIgnoreCase("user=phone")) {
                return true;
            }
        }
        return false;
    }

    /** The same E.164 normalisation as account numbers (PP-45), so a blocked number matches an account's. */
    private static Optional<String> globalNumber(String number) {
        return E164.parse(number).map(digits -> "tel:" + digits);
    }

    private static String beforeAny(String value, String stops) {
        for (int i = 0; i < value.length(); i++) {
            if (stops.indexOf(value.charAt(i)) >= 0) {
                return value.substring(0, i);
            }
        }
        return value;
    }

    /** RFC 3986 percent-decoding into UTF-8; unlike URLDecoder it leaves '+' alone, which numbers need. */
    private static Optional<String> unescape(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '%') {
                out.write(bytes[i]);
                continue;
            }
            if (i + 2 >= bytes.length) {
                return Optional.empty();
            }
            int high = Character.digit(bytes[i + 1], 16);
            int low = Character.digit(bytes[i + 2], 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            out.write(high << 4 | low);
            i += 2;
        }
        String decoded = out.toString(StandardCharsets.UTF_8);
        // Whitespace or controls in a user part are no one's address; refusing them keeps lists clean.
        return decoded.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
                ? Optional.empty() : Optional.of(decoded);
    }
}
