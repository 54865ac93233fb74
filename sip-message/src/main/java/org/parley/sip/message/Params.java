package org.parley.sip.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ordered parameters (URI, header or Via parameters). Names compare case-insensitively; a flag
 * parameter (";lr") has a null value. Immutable.
 */
public final class Params {
    private static final Param[] NONE = new Param[0];
    public static final Params EMPTY = new Params(NONE, 0);

    /** One parameter; {@code value} is null for a flag and keeps quotes when it was quoted. */
    public record Param(String name, String value) {
    }

    /*
     * An array walked by index: parameters are looked up several times for every request. The
     * parameters are list[0, size): the slots after them, left by the parser's growing array, are
     * never read, so the array is taken as it is rather than cut to size (issue 13).
     */
    private final Param[] list;
    private final int size;

    private Params(Param[] list, int size) {
        this.list = list;
        this.size = size;
    }

    /**
     * The first {@code size} parameters of an array the caller filled and no longer touches: the
     * parser's, which need no builder object for every Via, From and URI (issue 13).
     */
    static Params of(Param[] list, int size) {
        return size == 0 ? EMPTY : new Params(list, size);
    }

    /** {@code list} with room for one more parameter: the parser's growing array (two to start: a branch and rport). */
    static Param[] grown(Param[] list, int size) {
        return list == null ? new Param[2] : size < list.length ? list : Arrays.copyOf(list, size * 2);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Param> asList() {
        return List.of(size == list.length ? list : Arrays.copyOf(list, size));
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean has(String name) {
        return find(name) != null;
    }

    /** The value, empty when absent or a flag. Quotes of a quoted value are removed. */
    public Optional<String> get(String name) {
        Param p = find(name);
        if (p == null || p.value() == null) {
            return Optional.empty();
        }
        String v = p.value();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        }
        return Optional.of(v);
    }

    private Param find(String name) {
        for (int i = 0; i < size; i++) {
            if (list[i].name().equalsIgnoreCase(name)) {
                return list[i];
            }
        }
        return null;
    }

    /**
     * The parameter set to this value, where it stood (once) or at the end. Into one array: the
     * transport stamps received and rport on the top Via of every request it reads.
     */
    public Params with(String name, String value) {
        Param[] out = new Param[size + 1];
        int count = 0;
        boolean replaced = false;
        for (int i = 0; i < size; i++) {
            Param p = list[i];
            if (p.name().equalsIgnoreCase(name)) {
                if (!replaced) {
                    out[count++] = new Param(name, value);
                    replaced = true;
                }
            } else {
                out[count++] = p;
            }
        }
        if (!replaced) {
            out[count++] = new Param(name, value);
        }
        return of(out, count);
    }

    public Params without(String name) {
        if (find(name) == null) {
            return this;
        }
        List<Param> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (!list[i].name().equalsIgnoreCase(name)) {
                out.add(list[i]);
            }
        }
        return of(out.toArray(NONE), out.size());
    }

    int size() {
        return size;
    }

    Param param(int i) {
        return list[i];
    }

    /** The length of what {@link #appendTo} writes, counted without writing it. */
    int textLength() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            Param p = list[i];
            n += 1 + p.name().length() + (p.value() != null ? 1 + p.value().length() : 0);
        }
        return n;
    }

    /**
     * The index after what {@link #appendTo} would write when {@code text} has it at {@code at}, else
     * -1: compared in place, nothing written.
     */
    int matched(String text, int at, char separator) {
        for (int i = 0; i < size; i++) {
            Param p = list[i];
            if (at < 0 || at >= text.length() || text.charAt(at) != separator) {
                return -1;
            }
            at = SipUri.matched(text, at + 1, p.name());
            if (at >= 0 && p.value() != null) {
                at = at < text.length() && text.charAt(at) == '=' ? SipUri.matched(text, at + 1, p.value()) : -1;
            }
        }
        return at;
    }

    /** Appends each parameter as {@code <sep>name[=value]}. */
    void appendTo(StringBuilder sb, char separator) {
        for (int i = 0; i < size; i++) {
            Param p = list[i];
            sb.append(separator).append(p.name());
            if (p.value() != null) {
                sb.append('=').append(p.value());
            }
        }
    }

    /**
     * Equal when the parameters are, in the same order, names compared case-insensitively and
     * values exactly. Compared in place: URIs are compared on the request path (the location
     * service, Route and Path checks), so no lower-cased copy of the list is made (issue 13).
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Params other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!list[i].name().equalsIgnoreCase(other.list[i].name()) || !Objects.equals(list[i].value(), other.list[i].value())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            Param p = list[i];
            h = 31 * h + (31 * caseInsensitiveHash(p.name()) + Objects.hashCode(p.value()));
        }
        return h;
    }

    /** A hash on which names {@link String#equalsIgnoreCase} finds equal agree: it folds each character as that does. */
    private static int caseInsensitiveHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + Character.toLowerCase(Character.toUpperCase(s.charAt(i)));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb, ';');
        return sb.toString();
    }

    /**
     * Fills one array, taken as it is: most values have one or two parameters (a branch, a tag). A
     * later put only writes past the parameters of what was built before, which never reads there.
     */
    public static final class Builder {
        private Param[] list = new Param[2];
        private int size;

        public Builder put(String name, String value) {
            if (size == list.length) {
                list = Arrays.copyOf(list, size * 2);
            }
            list[size++] = new Param(name, value);
            return this;
        }

        public Params build() {
            return of(list, size);
        }
    }
}
