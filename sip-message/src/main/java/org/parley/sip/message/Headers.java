package org.parley.sip.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The header fields of a message in their order. Immutable: every change returns a new instance. */
public final class Headers {
    public static final Headers EMPTY = new Headers(List.of());

    private final List<Header> list;
    /*
     * The parsed views every layer asks for, each parsed at most once per instance: the parser's
     * check, the transport, the transaction layer, the router and the services each read the Vias,
     * From, To and CSeq of a request, and each read parsed the header again (issue 13 §3).
     * Unsynchronized on purpose: the views are immutable, so a thread that sees null parses its
     * own copy of the same value.
     */
    private List<Via> vias;
    private Address from;
    private Address to;
    private CSeq cseq;

    private Headers(List<Header> list) {
        this.list = list;
    }

    public static Headers of(List<Header> headers) {
        return new Headers(List.copyOf(headers));
    }

    public List<Header> asList() {
        return list;
    }

    public Optional<String> first(String name) {
        String n = HeaderNames.canonical(name);
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(n)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** The values of every line with this name, as written. */
    public List<String> lines(String name) {
        String n = HeaderNames.canonical(name);
        List<String> out = new ArrayList<>();
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(n)) {
                out.add(h.value());
            }
        }
        return out;
    }

    /** The elements of a list header, lines and comma-separated elements flattened in order. */
    public List<String> values(String name) {
        String n = HeaderNames.canonical(name);
        List<String> out = new ArrayList<>();
        for (String line : lines(n)) {
            if (HeaderNames.NOT_LISTS.contains(n)) {
                out.add(line);
            } else {
                out.addAll(HeaderValues.splitCommas(line));
            }
        }
        return out;
    }

    /**
     * Takes over the parsed views of {@code source}, whose Via, From and CSeq lines (and To, when
     * {@code sameTo}) these headers copied unchanged: a response built from its request
     * (§8.2.6.2) then parses none of them again. Only on an instance not yet handed out.
     */
    Headers sharingViews(Headers source, boolean sameTo) {
        vias = source.vias;
        from = source.from;
        cseq = source.cseq;
        if (sameTo) {
            to = source.to;
        }
        return this;
    }

    /** Every Via element, lines and comma-separated elements in order; throws when one is malformed. */
    public List<Via> vias() {
        List<Via> v = vias;
        if (v == null) {
            List<Via> all = new ArrayList<>(2);
            for (String line : lines(HeaderNames.VIA)) {
                all.addAll(Via.parseList(line));
            }
            v = List.copyOf(all);
            vias = v;
        }
        return v;
    }

    /** The first Via element (§8.1.1.7: the top one); throws when there is none or one is malformed. */
    public Via topVia() {
        List<Via> v = vias();
        if (v.isEmpty()) {
            throw new NoSuchElementException("no Via");
        }
        return v.get(0);
    }

    public Address from() {
        Address a = from;
        if (a == null) {
            a = Address.parse(first(HeaderNames.FROM).orElseThrow());
            from = a;
        }
        return a;
    }

    public Address to() {
        Address a = to;
        if (a == null) {
            a = Address.parse(first(HeaderNames.TO).orElseThrow());
            to = a;
        }
        return a;
    }

    public CSeq cseq() {
        CSeq c = cseq;
        if (c == null) {
            c = CSeq.parse(first(HeaderNames.CSEQ).orElseThrow());
            cseq = c;
        }
        return c;
    }

    public boolean has(String name) {
        String n = HeaderNames.canonical(name);
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(n)) {
                return true;
            }
        }
        return false;
    }

    public Headers prepend(String name, String value) {
        List<Header> out = new ArrayList<>(list.size() + 1);
        out.add(new Header(name, value));
        out.addAll(list);
        return new Headers(Collections.unmodifiableList(out));
    }

    public Headers append(String name, String value) {
        List<Header> out = new ArrayList<>(list);
        out.add(new Header(name, value));
        return new Headers(Collections.unmodifiableList(out));
    }

    /** Replaces every line of this name with one line, where the first stood (or at the end). */
    public Headers set(String name, String value) {
        String n = HeaderNames.canonical(name);
        List<Header> out = new ArrayList<>(list.size() + 1);
        boolean placed = false;
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(n)) {
                if (!placed) {
                    out.add(new Header(n, value));
                    placed = true;
                }
            } else {
                out.add(h);
            }
        }
        if (!placed) {
            out.add(new Header(n, value));
        }
        return new Headers(Collections.unmodifiableList(out));
    }

    public Headers remove(String name) {
        if (!has(name)) {
            return this; // the common case (a relayed request's P-Asserted-Identity...): nothing copied
        }
        String n = HeaderNames.canonical(name);
        List<Header> out = new ArrayList<>(list);
        out.removeIf(h -> h.name().equalsIgnoreCase(n));
        return new Headers(Collections.unmodifiableList(out));
    }

    /** Removes the first element of a list header (the top Via, the first Route). */
    public Headers removeFirstValue(String name) {
        String n = HeaderNames.canonical(name);
        List<Header> out = new ArrayList<>(list);
        for (int i = 0; i < out.size(); i++) {
            Header h = out.get(i);
            if (h.name().equalsIgnoreCase(n)) {
                List<String> elements = HeaderValues.splitCommas(h.value());
                if (elements.size() == 1) {
                    out.remove(i);
                } else {
                    out.set(i, new Header(n, String.join(", ", elements.subList(1, elements.size()))));
                }
                break;
            }
        }
        return new Headers(Collections.unmodifiableList(out));
    }
}
