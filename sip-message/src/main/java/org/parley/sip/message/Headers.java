package org.parley.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The header fields of a message in their order. Immutable: every change returns a new instance.
 *
 * <p>Every request crosses the transport, the transaction layer, the router and a service, each
 * asking for a few headers and most changing one or two (a Via stamped, credentials removed): so
 * the lines are one array walked by index, lookups and removals of an absent header allocate
 * nothing, and a change keeps the parsed views of the headers it did not touch (issue 13).
 *
 * <p>Adding a line at the end does not copy every line each time: the array may have room past
 * {@code size}, shared by every copy made from it, and the first {@link #append} to claim the
 * next free slot (compare-and-set from null) writes its line there; a copy that finds the slot
 * taken, or no room, copies once into a larger array. A response built line by line
 * (createResponse, then withHeader for a challenge, a Contact, a Date...) fills one array. No
 * instance ever looks past its own size, so each stays what it was.
 */
public final class Headers {
    private static final Header[] NONE = new Header[0];
    public static final Headers EMPTY = new Headers(NONE, 0);
    /** Room an append that must copy leaves for the next ones. */
    private static final int ROOM = 4;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Header[].class);

    /** The lines are {@code lines[0, size)}; slots past them belong to whichever copy claims them. */
    private final Header[] lines;
    private final int size;
    /*
     * The parsed views every layer asks for, each parsed at most once per message, however many
     * changed copies of its headers it goes through. Unsynchronized on purpose: the views are
     * immutable, so a thread that sees null parses its own copy of the same value.
     */
    private List<Via> vias;
    private Address from;
    private Address to;
    private CSeq cseq;
    private List<Address> contacts;

    private Headers(Header[] lines, int size) {
        this.lines = lines;
        this.size = size;
    }

    public static Headers of(List<Header> headers) {
        if (headers.isEmpty()) {
            return EMPTY;
        }
        // the parser's lines are only read once handed out: their array is shared, not copied
        return headers instanceof HeaderLines parsed ? new Headers(parsed.array(), parsed.size())
                : new Headers(headers.toArray(NONE), headers.size());
    }

    /**
     * The first {@code count} lines of an array the caller filled and no longer touches; the
     * slots after them (null) are room for the lines appended later.
     */
    static Headers of(Header[] lines, int count) {
        return count == 0 && lines.length == 0 ? EMPTY : new Headers(lines, count);
    }

    public List<Header> asList() {
        return List.of(size == lines.length ? lines : Arrays.copyOf(lines, size));
    }

    /** The number of lines; with {@link #get} a walk over them that allocates nothing. */
    int size() {
        return size;
    }

    Header get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return lines[i];
    }

    /** The index of the first line with this canonical name, or -1. */
    private int indexOf(String canonicalName, int from) {
        boolean known = HeaderNames.isKnown(canonicalName);
        for (int i = from; i < size; i++) {
            if (named(lines[i], canonicalName, known)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every line's name went through {@link HeaderNames#canonical}, so a line has a known name
     * only as its constant: for a known name the comparison is an identity, and only an unknown
     * one is compared ignoring case.
     */
    private static boolean named(Header h, String canonicalName, boolean known) {
        String n = h.name();
        return n == canonicalName || !known && n.equalsIgnoreCase(canonicalName);
    }

    /** {@link #named(Header, String, boolean)} of a name that is one of {@link HeaderNames}' constants. */
    private static boolean named(Header h, String constant) {
        return h.name() == constant;
    }

    public Optional<String> first(String name) {
        return Optional.ofNullable(value(name));
    }

    /** The value of the first line with this name, or null: {@link #first} without the Optional. */
    public String value(String name) {
        int i = indexOf(HeaderNames.canonical(name), 0);
        return i < 0 ? null : lines[i].value();
    }

    /** The first line with this canonical name, or null. */
    Header line(String canonicalName) {
        int i = indexOf(canonicalName, 0);
        return i < 0 ? null : lines[i];
    }

    /** The values of every line with this name, as written. */
    public List<String> lines(String name) {
        String n = HeaderNames.canonical(name);
        int i = indexOf(n, 0);
        if (i < 0) {
            return List.of();
        }
        boolean known = HeaderNames.isKnown(n);
        List<String> out = new ArrayList<>(2);
        for (; i < size; i++) {
            if (named(lines[i], n, known)) {
                out.add(lines[i].value());
            }
        }
        return out;
    }

    /** The elements of a list header, lines and comma-separated elements flattened in order. */
    public List<String> values(String name) {
        String n = HeaderNames.canonical(name);
        int i = indexOf(n, 0);
        if (i < 0) {
            return List.of();
        }
        boolean list = !HeaderNames.NOT_LISTS.contains(n);
        boolean known = HeaderNames.isKnown(n);
        List<String> out = new ArrayList<>(2);
        for (; i < size; i++) {
            if (named(lines[i], n, known)) {
                if (list) {
                    out.addAll(HeaderValues.splitCommas(lines[i].value()));
                } else {
                    out.add(lines[i].value());
                }
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

    /** The views of {@code source} but the one of the header {@code changed}, which this copy changed. */
    private Headers keepingViews(Headers source, String changed) {
        if (changed != HeaderNames.VIA) {
            vias = source.vias;
        }
        if (changed != HeaderNames.FROM) {
            from = source.from;
        }
        if (changed != HeaderNames.TO) {
            to = source.to;
        }
        if (changed != HeaderNames.CSEQ) {
            cseq = source.cseq;
        }
        if (changed != HeaderNames.CONTACT) {
            contacts = source.contacts;
        }
        return this;
    }

    /** Every Via element, lines and comma-separated elements in order; throws when one is malformed. */
    public List<Via> vias() {
        List<Via> v = vias;
        if (v == null) {
            int first = indexOf(HeaderNames.VIA, 0);
            String line = first < 0 ? null : lines[first].value();
            if (line != null && indexOf(HeaderNames.VIA, first + 1) < 0 && line.indexOf(',') < 0 && !line.isBlank()) {
                v = List.of(Via.parse(line)); // a request from a client: one Via of one element, no list to fill
            } else {
                List<Via> all = new ArrayList<>(2);
                for (int i = first; i >= 0 && i < size; i++) {
                    if (named(lines[i], HeaderNames.VIA)) {
                        Via.parseList(lines[i].value(), all);
                    }
                }
                v = List.copyOf(all);
            }
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
            a = Address.parse(required(HeaderNames.FROM));
            from = a;
        }
        return a;
    }

    public Address to() {
        Address a = to;
        if (a == null) {
            a = Address.parse(required(HeaderNames.TO));
            to = a;
        }
        return a;
    }

    public CSeq cseq() {
        CSeq c = cseq;
        if (c == null) {
            c = requiredLine(HeaderNames.CSEQ).cseq();
            cseq = c;
        }
        return c;
    }

    /**
     * The Contact addresses (§20.10), lines and comma-separated elements in order, a line that is
     * the wildcard {@code *} (§10.2.2, see {@link #hasWildcardContact}) left out; throws when one is
     * malformed. Parsed once: the parser's check and the registrar read the same list (issue 13).
     */
    public List<Address> contacts() {
        List<Address> c = contacts;
        if (c == null) {
            int first = indexOf(HeaderNames.CONTACT, 0);
            String line = first < 0 ? null : lines[first].value();
            if (first < 0) {
                c = List.of();
            } else if (indexOf(HeaderNames.CONTACT, first + 1) < 0 && !line.isEmpty() && line.indexOf(',') < 0) {
                c = line.equals("*") ? List.of() : List.of(Address.parse(line)); // one line of one address: no list to fill
            } else {
                List<Address> all = new ArrayList<>(2);
                for (int i = first; i < size; i++) {
                    if (named(lines[i], HeaderNames.CONTACT) && !lines[i].value().equals("*")) {
                        Address.parseList(lines[i].value(), all);
                    }
                }
                c = List.copyOf(all);
            }
            contacts = c;
        }
        return c;
    }

    /** Whether a Contact line is the wildcard {@code *} (§10.2.2: a REGISTER removing every binding). */
    public boolean hasWildcardContact() {
        for (int i = indexOf(HeaderNames.CONTACT, 0); i >= 0 && i < size; i++) {
            if (named(lines[i], HeaderNames.CONTACT) && lines[i].value().equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** The Call-ID (§20.8), read where it stands: it is compared, never parsed. */
    public String callId() {
        return required(HeaderNames.CALL_ID);
    }

    private String required(String canonicalName) {
        return requiredLine(canonicalName).value();
    }

    private Header requiredLine(String canonicalName) {
        int i = indexOf(canonicalName, 0);
        if (i < 0) {
            throw new NoSuchElementException("no " + canonicalName);
        }
        return lines[i];
    }

    public boolean has(String name) {
        return indexOf(HeaderNames.canonical(name), 0) >= 0;
    }

    public Headers prepend(String name, String value) {
        return prepend(new Header(name, value));
    }

    private Headers prepend(Header added) {
        Header[] out = new Header[size + 1];
        out[0] = added;
        System.arraycopy(lines, 0, out, 1, size);
        return new Headers(out, out.length).keepingViews(this, added.name());
    }

    /**
     * A Via put on top (§16.6 step 8, §8.1.1.7), the other Vias kept as parsed: the client
     * transaction and every response read the Vias again.
     */
    public Headers prependVia(Via via) {
        Headers h = prepend(new Header(via));
        List<Via> below = vias;
        if (below != null && below.size() == 1) {
            h.vias = List.of(via, below.get(0)); // a request from a client: no list to fill and copy
        } else if (below != null) {
            List<Via> all = new ArrayList<>(below.size() + 1);
            all.add(via);
            all.addAll(below);
            h.vias = List.copyOf(all);
        }
        return h;
    }

    /**
     * The top Via element replaced (received and rport stamped on it, §18.2.1, RFC 3581), the
     * others kept as written and as parsed. Throws when there is no Via.
     */
    public Headers withTopVia(Via via) {
        List<Via> old = vias();
        if (old.isEmpty()) {
            throw new NoSuchElementException("no Via");
        }
        Headers h;
        if (named(lines[0], HeaderNames.VIA) && lines[0].value().indexOf(',') < 0) {
            Header[] out = Arrays.copyOf(lines, size); // the usual request: one Via on the first line, replaced where it stands
            out[0] = new Header(via);
            h = new Headers(out, size).keepingViews(this, HeaderNames.VIA);
        } else {
            h = removeFirstValue(HeaderNames.VIA).prepend(new Header(via));
        }
        if (old.size() == 1) {
            h.vias = List.of(via);
        } else {
            List<Via> all = new ArrayList<>(old);
            all.set(0, via);
            h.vias = List.copyOf(all);
        }
        return h;
    }

    public Headers append(String name, String value) {
        Header added = new Header(name, value);
        Header[] out = lines;
        if (size == out.length || !SLOT.compareAndSet(out, size, (Header) null, added)) {
            out = Arrays.copyOf(lines, size + ROOM);
            out[size] = added;
        }
        return new Headers(out, size + 1).keepingViews(this, added.name());
    }

    /** Replaces every line of this name with one line, where the first stood (or at the end). */
    public Headers set(String name, String value) {
        String n = HeaderNames.canonical(name);
        int first = indexOf(n, 0);
        if (first < 0) {
            return append(n, value);
        }
        boolean known = HeaderNames.isKnown(n);
        int count = 0;
        for (int i = first; i < size; i++) {
            if (named(lines[i], n, known)) {
                count++;
            }
        }
        Header[] out = new Header[size - count + 1];
        int at = 0;
        for (int i = 0; i < size; i++) {
            if (i == first) {
                out[at++] = new Header(n, value);
            } else if (i < first || !named(lines[i], n, known)) {
                out[at++] = lines[i];
            }
        }
        return new Headers(out, out.length).keepingViews(this, n);
    }

    public Headers remove(String name) {
        String n = HeaderNames.canonical(name);
        int first = indexOf(n, 0);
        if (first < 0) {
            return this; // the common case (a relayed request's P-Asserted-Identity...): nothing copied
        }
        boolean known = HeaderNames.isKnown(n);
        int count = 0;
        for (int i = first; i < size; i++) {
            if (named(lines[i], n, known)) {
                count++;
            }
        }
        Header[] out = new Header[size - count];
        int at = 0;
        for (int i = 0; i < size; i++) {
            if (i < first || !named(lines[i], n, known)) {
                out[at++] = lines[i];
            }
        }
        return new Headers(out, out.length).keepingViews(this, n);
    }

    /** Removes the first element of a list header (the top Via, the first Route). */
    public Headers removeFirstValue(String name) {
        String n = HeaderNames.canonical(name);
        int i = indexOf(n, 0);
        if (i < 0) {
            return this;
        }
        Header h = lines[i];
        // a line of one element (nearly every Via and Route line) is dropped without being split
        List<String> elements = h.value().indexOf(',') < 0 && !h.value().isBlank() ? null : HeaderValues.splitCommas(h.value());
        Header[] out;
        if (elements == null || elements.size() == 1) {
            out = new Header[size - 1];
            System.arraycopy(lines, 0, out, 0, i);
            System.arraycopy(lines, i + 1, out, i, size - i - 1);
        } else {
            out = Arrays.copyOf(lines, size);
            out[i] = new Header(n, String.join(", ", elements.subList(1, elements.size())));
        }
        Headers removed = new Headers(out, out.length).keepingViews(this, n);
        List<Via> v = vias;
        if (n == HeaderNames.VIA && v != null && !v.isEmpty()) {
            removed.vias = v.subList(1, v.size()); // a response relayed upstream (§16.7 step 3)
        }
        return removed;
    }
}
