package org.parley.msrp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The header rules of RFC 4975 §9 (and RFC 4976 §9) a message must meet to be acted on; what breaks them is a 400. */
final class MsrpSyntax {
    private static final Pattern STATUS = Pattern.compile("[0-9]{3} [0-9]{3}(?: .*)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Map<String, String> USUAL_SPELLINGS = Stream.of(MsrpMessage.TO_PATH, MsrpMessage.FROM_PATH,
                    MsrpMessage.MESSAGE_ID, MsrpMessage.BYTE_RANGE, MsrpMessage.SUCCESS_REPORT,
                    MsrpMessage.FAILURE_REPORT, MsrpMessage.CONTENT_TYPE, MsrpMessage.STATUS)
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n.toLowerCase(Locale.ROOT)));

    private MsrpSyntax() {
    }

    /**
     * @param method     null for a response
     * @param bodyLength bytes of the body, -1 for a message without one
     */
    static Optional<String> check(String method, List<MsrpHeader> headers, int bodyLength) {
        if (headers.size() < 2 || !headers.get(0).name().equalsIgnoreCase(MsrpMessage.TO_PATH)
                || !headers.get(1).name().equalsIgnoreCase(MsrpMessage.FROM_PATH)) {
            return Optional.of("To-Path and From-Path must be the first header fields");
        }
        for (int i = 0; i < headers.size(); i++) {
            Optional<String> fault = checkField(headers.get(i));
            if (fault.isPresent()) {
                return fault;
            }
        }
        if (method == null) {
            return bodyLength < 0 ? Optional.empty() : Optional.of("a response has no body");
        }
        if (bodyLength >= 0 && find(headers, MsrpMessage.CONTENT_TYPE).isEmpty()) {
            return Optional.of("a body needs a Content-Type");
        }
        if (method.equals(MsrpRequest.SEND) || method.equals(MsrpRequest.REPORT)) {
            if (find(headers, MsrpMessage.MESSAGE_ID).isEmpty()) {
                return Optional.of(method + " needs a Message-ID");
            }
        }
        if (method.equals(MsrpRequest.REPORT) && find(headers, MsrpMessage.STATUS).isEmpty()) {
            return Optional.of("REPORT needs a Status");
        }
        Optional<ByteRange> range = find(headers, MsrpMessage.BYTE_RANGE).flatMap(ByteRange::parse);
        if (method.equals(MsrpRequest.SEND) && range.isPresent() && range.get().end() != ByteRange.UNKNOWN
                && range.get().end() - range.get().start() + 1 != Math.max(0, bodyLength)) {
            return Optional.of("Byte-Range " + range.get() + " does not match a body of "
                    + Math.max(0, bodyLength) + " bytes");
        }
        return Optional.empty();
    }

    private static Optional<String> checkField(MsrpHeader h) {
        String v = h.value();
        boolean ok = switch (lowerCase(h.name())) {
            case "to-path", "from-path", "use-path" -> MsrpMessage.parsePath(v).isPresent();
            case "message-id" -> ident(v);
            case "byte-range" -> ByteRange.parse(v).isPresent();
            case "success-report" -> v.equals("yes") || v.equals("no");
            case "failure-report" -> v.equals("yes") || v.equals("no") || v.equals("partial");
            case "status" -> STATUS.matcher(v).matches();
            case "expires", "min-expires", "max-expires" -> DIGITS.matcher(v).matches();
            default -> true;
        };
        return ok ? Optional.empty() : Optional.of("malformed " + h.name());
    }

    /** The usual spellings are looked up, not lower-cased: this runs for every header field of every chunk. */
    private static String lowerCase(String name) {
        String known = USUAL_SPELLINGS.get(name);
        return known != null ? known : name.toLowerCase(Locale.ROOT);
    }

    /** ident = ALPHANUM 3*31ident-char (§9), the syntax of transaction ids and Message-IDs. */
    static boolean ident(String s) {
        int n = s.length();
        if (n < 4 || n > 32 || !alphanum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!alphanum(c) && c != '.' && c != '-' && c != '+' && c != '%' && c != '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean alphanum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static Optional<String> find(List<MsrpHeader> headers, String name) {
        for (int i = 0; i < headers.size(); i++) { // no iterator: every chunk a relay carries passes here
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                return Optional.of(headers.get(i).value());
            }
        }
        return Optional.empty();
    }
}
