package org.parley.conference;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A command typed into a pager-mode message to a room (as Kamailio's imc takes them), so that
 * SIPp, sipsak or baresip users can take part: a text/plain body starting with '#'.
 *
 * @param rest the text after the command's fixed arguments (a topic, a private message's text)
 */
public record PagerCommand(Verb verb, List<String> args, String rest) {
    public enum Verb {
        CREATE("[public] [adult] [screen-name]", 0), JOIN("[screen-name]", 0), ACCEPT("[screen-name]", 0),
        DECLINE("", 0), LEAVE("", 0), LIST("", 0), INVITE("<user> [hidden]", 1), CANCEL("<user>", 1),
        KICK("<member>", 1), BAN("<member>", 1), UNBAN("<user>", 1), ADMIN("<member>", 1), UNADMIN("<member>", 1),
        NAME("<text>", 0), TOPIC("<text>", 0), MAX("<number>", 1), LOCK("", 0), UNLOCK("", 0), CLOSE("", 0),
        MSG("<member> <text>", 1), HISTORY("", 0), HELP("", 0);

        final String usage;
        final int required;

        Verb(String usage, int required) {
            this.usage = usage;
            this.required = required;
        }

        String word() {
            return "#" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** A body that is a command: it starts with '#' followed by a letter. */
    public static boolean isCommand(String text) {
        String t = text.stripLeading();
        return t.length() > 1 && t.charAt(0) == '#' && Character.isLetter(t.charAt(1));
    }

    /** @throws RoomException (bad request) naming the command's usage */
    public static PagerCommand parse(String text) {
        String t = text.strip();
        if (!isCommand(t)) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Not a command: commands start with #");
        }
        int end = firstSpace(t);
        String word = t.substring(1, end).toLowerCase(Locale.ROOT);
        Optional<Verb> verb = Arrays.stream(Verb.values()).filter(v -> v.name().equalsIgnoreCase(word)).findFirst();
        if (verb.isEmpty()) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST,
                    "Unknown command #" + clip(word) + "; #help lists them");
        }
        String after = t.substring(end).strip();
        List<String> words = after.isEmpty() ? List.of() : List.of(after.split("\\s+"));
        Verb v = verb.get();
        if (words.size() < v.required || (v == Verb.NAME || v == Verb.TOPIC || v == Verb.MSG) && after.isEmpty()) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Usage: " + v.word() + " " + v.usage);
        }
        String rest = v.required > 0 && !words.isEmpty() ? after.substring(words.get(0).length()).strip() : after;
        if (v == Verb.MSG && rest.isEmpty()) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Usage: " + v.word() + " " + v.usage);
        }
        return new PagerCommand(v, words, rest);
    }

    public Optional<String> arg(int i) {
        return i < args.size() ? Optional.of(args.get(i)) : Optional.empty();
    }

    public boolean has(String flag) {
        return args.stream().anyMatch(flag::equalsIgnoreCase);
    }

    /** Every command with its usage, for #help. */
    public static String help() {
        StringBuilder b = new StringBuilder("Commands:");
        for (Verb v : Verb.values()) {
            b.append('\n').append(v.word()).append(v.usage.isEmpty() ? "" : " " + v.usage);
        }
        return b.toString();
    }

    private static int firstSpace(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (Character.isWhitespace(t.charAt(i))) {
                return i;
            }
        }
        return t.length();
    }

    /** A reason phrase repeats at most a little of what the sender typed. */
    private static String clip(String s) {
        String printable = s.replaceAll("[^\\p{L}\\p{N}_-]", "?");
        return printable.length() > 20 ? printable.substring(0, 20) + "…" : printable;
    }
}
