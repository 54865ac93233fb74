package org.parley.sip.message;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The header lines {@link SipParser#split} found, as the unmodifiable list a {@link RawMessage}
 * holds: filled by the parser before it is handed out, then only read. {@link Headers#of} takes
 * its array over instead of copying it — every message received goes from one to the other.
 */
final class HeaderLines extends AbstractList<Header> implements RandomAccess {
    private Header[] lines = new Header[16];
    private int size;

    /** Only while splitting, before the list is handed out. */
    void addLine(Header line) {
        if (size == lines.length) {
            lines = Arrays.copyOf(lines, size * 2);
        }
        lines[size++] = line;
    }

    /** The array behind the list; its slots past {@link #size} are null and belong to no one yet. */
    Header[] array() {
        return lines;
    }

    @Override
    public Header get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return lines[index];
    }

    @Override
    public int size() {
        return size;
    }
}
