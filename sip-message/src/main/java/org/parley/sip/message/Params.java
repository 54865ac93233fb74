package org.parley.sip.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Ordered parameters (URI, header or Via parameters). Names compare case-insensitively; a flag
 * parameter (";lr") has a null value. Immutable.
 */
public final class Params {
    public static final Params EMPTY = new Params(List.of());

    /** One parameter; {@code value} is null for a flag and keeps quotes when it was quoted. */
    public record Param(String name, String value) {
    }

    private final List<Param> list;

    private Params(List<Param> list) {
        this.list = list;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Param> asList() {
        return list;
    }

    public boolean isEmpty() {
        return list.isEmpty();
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
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return Optional.of(v);
    }

    private Param find(String name) {
        for (Param p : list) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }

    public Params with(String name, String value) {
        List<Param> out = new ArrayList<>(list.size() + 1);
        boolean replaced = false;
        for (Param p : list) {
            if (p.name().equalsIgnoreCase(name)) {
                if (!replaced) {
                    out.add(new Param(name, value));
                    replaced = true;
                }
            } else {
                out.add(p);
            }
        }
        if (!replaced) {
            out.add(new Param(name, value));
        }
        return new Params(Collections.unmodifiableList(out));
    }

    public Params without(String name) {
        List<Param> out = new ArrayList<>(list);
        out.removeIf(p -> p.name().equalsIgnoreCase(name));
        return out.size() == list.size() ? this : new Params(Collections.unmodifiableList(out));
    }

    /** Appends each parameter as {@code <sep>name[=value]}. */
    void appendTo(StringBuilder sb, char separator) {
        for (Param p : list) {
            sb.append(separator).append(p.name());
            if (p.value() != null) {
                sb.append('=').append(p.value());
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params other && normalized().equals(other.normalized());
    }

    private List<Param> normalized() {
        List<Param> out = new ArrayList<>();
        for (Param p : list) {
            out.add(new Param(p.name().toLowerCase(Locale.ROOT), p.value()));
        }
        return out;
    }

    @Override
    public int hashCode() {
        return normalized().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb, ';');
        return sb.toString();
    }

    public static final class Builder {
        private final List<Param> list = new ArrayList<>();

        public Builder put(String name, String value) {
            list.add(new Param(name, value));
            return this;
        }

        public Params build() {
            return list.isEmpty() ? EMPTY : new Params(Collections.unmodifiableList(new ArrayList<>(list)));
        }
    }
}
