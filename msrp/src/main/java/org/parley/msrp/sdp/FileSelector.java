package org.parley.msrp.sdp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The {@code a=file-selector} attribute (RFC 5547 §5, §9): the file an offer sends or asks for,
 * by name, type, size and hashes. Each selector is optional; a hash may come once per algorithm.
 * The name is written in double quotes with {@code "}, {@code %}, CR and LF percent-encoded.
 */
public record FileSelector(Optional<String> name, Optional<String> type, OptionalLong size, List<Hash> hashes) {
    // type "/" subtype *(";" attribute "=" DQUOTE value DQUOTE), RFC 5547 §9
    private static final Pattern TYPE = Pattern.compile(
            "[A-Za-z0-9!#$&.+\\-^_]+/[A-Za-z0-9!#$&.+\\-^_]+(;[A-Za-z0-9!#$&.+\\-^_]+=\"[^\"]*\")*");
    private static final Pattern HASH = Pattern.compile("([A-Za-z0-9!#$%&'*+\\-.^_`{|}~]+):([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*)");

    /** A hash selector: the algorithm token of the IANA hash registry and the digest bytes. */
    public record Hash(String algorithm, byte[] value) {
        public Hash {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hash h && h.algorithm.equalsIgnoreCase(algorithm) && java.util.Arrays.equals(h.value, value);
        }

        @Override
        public int hashCode() {
            return algorithm.toLowerCase(java.util.Locale.ROOT).hashCode() * 31 + java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return algorithm + ":" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(value);
        }
    }

    public FileSelector {
        hashes = List.copyOf(hashes);
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    public Optional<Hash> hash(String algorithm) {
        return hashes.stream().filter(h -> h.algorithm().equalsIgnoreCase(algorithm)).findFirst();
    }

    static FileSelector parse(String value) throws MalformedSdp {
        Optional<String> name = Optional.empty();
        Optional<String> type = Optional.empty();
        OptionalLong size = OptionalLong.empty();
        List<Hash> hashes = new ArrayList<>();
        for (String selector : split(value)) {
            int colon = selector.indexOf(':');
            String key = colon < 0 ? selector : selector.substring(0, colon);
            String v = colon < 0 ? "" : selector.substring(colon + 1);
            switch (key) {
                case "name" -> {
                    if (name.isPresent() || v.length() < 2 || !v.startsWith("\"") || !v.endsWith("\"")) {
                        throw bad("name must be one quoted string", value);
                    }
                    name = Optional.of(percentDecode(v.substring(1, v.length() - 1), value));
                }
                case "type" -> {
                    if (type.isPresent() || !TYPE.matcher(v).matches()) {
                        throw bad("type must be one type/subtype", value);
                    }
                    type = Optional.of(v);
                }
                case "size" -> {
                    if (size.isPresent() || !Sdp.DIGITS.matcher(v).matches()) {
                        throw bad("size must be one number of octets", value);
                    }
                    size = OptionalLong.of(Long.parseLong(v));
                }
                case "hash" -> {
                    var m = HASH.matcher(v);
                    if (!m.matches()) {
                        throw bad("hash must be <algorithm>:<hex>:<hex>...", value);
                    }
                    Hash h = new Hash(m.group(1), HexFormat.ofDelimiter(":").parseHex(m.group(2)));
                    if (hashes.stream().anyMatch(o -> o.algorithm().equalsIgnoreCase(h.algorithm()))) {
                        throw bad("a second hash of the same algorithm", value);
                    }
                    hashes.add(h);
                }
                default -> throw bad("unknown selector " + key, value);
            }
        }
        return new FileSelector(name, type, size, hashes);
    }

    /** Selectors are separated by single spaces; a quoted string (the name, a type parameter) may hold spaces. */
    private static List<String> split(String value) throws MalformedSdp {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ' ' && !quoted) {
                if (current.isEmpty()) {
                    throw bad("empty selector", value);
                }
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw bad("unterminated quoted string", value);
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return out;
    }

    private static String percentDecode(String text, String value) throws MalformedSdp {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                if (i + 2 >= raw.length || Character.digit(raw[i + 1], 16) < 0 || Character.digit(raw[i + 2], 16) < 0) {
                    throw bad("bad percent-encoding in the name", value);
                }
                out.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        String decoded = out.toString(StandardCharsets.UTF_8);
        if (decoded.indexOf('\uFFFD') >= 0 || decoded.indexOf('\0') >= 0 || decoded.isEmpty()) {
            throw bad("the name is empty or not UTF-8", value);
        }
        return decoded;
    }

    private static MalformedSdp bad(String why, String value) {
        return MalformedSdp.notAcceptable("a=file-selector: " + why + " (RFC 5547 §9): " + value);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        name.ifPresent(n -> parts.add("name:\"" + n.replace("%", "%25").replace("\"", "%22").replace("\r", "%0D")
                .replace("\n", "%0A") + "\""));
        type.ifPresent(t -> parts.add("type:" + t));
        size.ifPresent(s -> parts.add("size:" + s));
        hashes.forEach(h -> parts.add("hash:" + h));
        return String.join(" ", parts);
    }
}
