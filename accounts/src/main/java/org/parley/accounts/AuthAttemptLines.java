package org.parley.accounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text a block of auth attempts is stored as (V17): one line per attempt, ended by a line feed,
 * of eight fields separated by tabs — the attempt's microsecond since 1970, {@code 1} or {@code 0}
 * for success, the claimed identity, the reason, the door, the source, the transport and the
 * User-Agent, or {@code \N} without one. A backslash, tab, line feed or carriage return inside a
 * value is written {@code \\}, {@code \t}, {@code \n}, {@code \r}, so a line is always one line and
 * a field one field whatever a peer sent; {@code \N} is never the escape of a value.
 *
 * <p>Why text rather than rows: one B-tree insert per attempt was most of what a REGISTER cost the
 * embedded database (issue 13); a block of many attempts is one insert, and it stays readable in
 * SQL ({@code WHERE lines LIKE ...}) for an operator without the admin API.
 */
final class AuthAttemptLines {
    private static final String ABSENT = "\\N";
    private static final int FIELDS = 8;

    private AuthAttemptLines() {
    }

    /** Appends {@code attempt} as one line, its values already clipped to what the log keeps. */
    static void append(StringBuilder out, AuthAttempt attempt) {
        out.append(micros(attempt.at())).append('\t').append(attempt.success() ? '1' : '0').append('\t');
        escape(out, attempt.identity()).append('\t');
        escape(out, attempt.reason()).append('\t');
        escape(out, attempt.door()).append('\t');
        escape(out, attempt.source()).append('\t');
        escape(out, attempt.transport()).append('\t');
        if (attempt.userAgent().isPresent()) {
            escape(out, attempt.userAgent().get());
        } else {
            out.append(ABSENT);
        }
        out.append('\n');
    }

    /**
     * The attempts of a block's text, in the order written.
     *
     * @throws IllegalStateException naming the line, when the text is not what {@link #append} writes
     *         (a row changed by hand): a listing must not show a wrong attempt
     */
    static List<AuthAttempt> parse(String lines) {
        List<AuthAttempt> attempts = new ArrayList<>();
        String[] fields = new String[FIELDS];
        int start = 0;
        int number = 1;
        while (start < lines.length()) {
            int end = lines.indexOf('\n', start);
            if (end < 0) {
                throw malformed(number, "it has no line feed at its end");
            }
            int field = 0;
            int from = start;
            for (int i = start; i <= end; i++) {
                if (i == end || lines.charAt(i) == '\t') {
                    if (field == FIELDS) {
                        throw malformed(number, "it has more than " + FIELDS + " fields");
                    }
                    fields[field++] = lines.substring(from, i);
                    from = i + 1;
                }
            }
            if (field != FIELDS) {
                throw malformed(number, "it has " + field + " fields, not " + FIELDS);
            }
            attempts.add(attempt(fields, number));
            start = end + 1;
            number++;
        }
        return attempts;
    }

    private static AuthAttempt attempt(String[] f, int number) {
        long micros;
        try {
            micros = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw malformed(number, "its time is not a number of microseconds");
        }
        boolean success = switch (f[1]) {
            case "1" -> true;
            case "0" -> false;
            default -> throw malformed(number, "its outcome is neither 1 nor 0");
        };
        Optional<String> userAgent = f[7].equals(ABSENT) ? Optional.empty() : Optional.of(unescape(f[7], number));
        return new AuthAttempt(instant(micros), unescape(f[2], number), success, unescape(f[3], number),
                unescape(f[4], number), unescape(f[5], number), unescape(f[6], number), userAgent);
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** {@code value} with its backslashes, tabs, line feeds and carriage returns escaped. */
    private static StringBuilder escape(StringBuilder out, String value) {
        int i = 0;
        while (i < value.length() && !special(value.charAt(i))) {
            i++;
        }
        // the usual value has nothing to escape: appended whole
        out.append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    private static String unescape(String field, int number) {
        int slash = field.indexOf('\\');
        if (slash < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        out.append(field, 0, slash);
        for (int i = slash; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == field.length()) {
                throw malformed(number, "a field ends in a lone backslash");
            }
            out.append(switch (field.charAt(i)) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> throw malformed(number, "it has an unknown escape \\" + field.charAt(i));
            });
        }
        return out.toString();
    }

    private static IllegalStateException malformed(int line, String why) {
        return new IllegalStateException("auth attempt block: line " + line + " is not an attempt: " + why);
    }
}
