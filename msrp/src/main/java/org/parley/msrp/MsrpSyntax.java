package org.parley.msrp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The header rules of RFC 4975 §9 (and RFC 4976 §9) a message must meet to be acted on; what breaks them is a 400. */
final class MsrpSyntax {
    private static final Pattern STATUS = Pattern.compile("[0-9]{3} [0-9]{3}(?: .*)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private MsrpSyntax() {
    }

    /** @param method null for a response */
    static Optional<String> check(String method, List<MsrpHeader> headers, byte[] body) {
        if (headers.size() < 2 || !headers.get(0).name().equalsIgnoreCase(MsrpMessage.TO_PATH)
                || !headers.get(1).name().equalsIgnoreCase(MsrpMessage.FROM_PATH)) {
            return Optional.of("To-Path and From-Path must be the first header fields");
        }
        for (MsrpHeader h : headers) {
            Optional<String> fault = checkField(h);
            if (fault.isPresent()) {
                return fault;
            }
        }
        if (method == null) {
            return body == null ? Optional.empty() : Optional.of("a response has no body");
        }
        if (body != null && find(headers, MsrpMessage.CONTENT_TYPE).isEmpty()) {
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
                && range.get().end() - range.get().start() + 1 != (body == null ? 0 : body.length)) {
            return Optional.of("Byte-Range " + range.get() + " does not match a body of "
                    + (body == null ? 0 : body.length) + " bytes");
        }
        return Optional.empty();
    }

    private static Optional<String> checkField(MsrpHeader h) {
        String v = h.value();
        boolean ok = switch (h.name().toLowerCase(Locale.ROOT)) {
            case "to-path", "from-path", "use-path" -> MsrpMessage.parsePath(v).isPresent();
            case "message-id" -> MsrpDecoder.TRANSACTION_ID.matcher(v).matches();
            case "byte-range" -> ByteRange.parse(v).isPresent();
            case "success-report" -> v.equals("yes") || v.equals("no");
            case "failure-report" -> v.equals("yes") || v.equals("no") || v.equals("partial");
            case "status" -> STATUS.matcher(v).matches();
            case "expires", "min-expires", "max-expires" -> DIGITS.matcher(v).matches();
            default -> true;
        };
        return ok ? Optional.empty() : Optional.of("malformed " + h.name());
    }

    private static Optional<String> find(List<MsrpHeader> headers, String name) {
        for (MsrpHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }
}
