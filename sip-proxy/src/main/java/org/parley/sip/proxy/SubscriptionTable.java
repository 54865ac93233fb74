package org.parley.sip.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A package's subscriptions (of one resource, say) found by dialog id — Call-ID and this side's
 * tag, what {@link Notifier#dialogId} gives for an in-dialog SUBSCRIBE — without an id string or a
 * map entry per subscription: an open-addressing table of the subscriptions themselves, filed
 * under the hash their {@link NotifierDialog} keeps. A hash map keyed by the id would cost a
 * 32–40 byte entry and the id's string (another 80 or so) for each of the hundreds of thousands
 * of subscriptions a server holds. Linear probing, at most three quarters full, removal by
 * shifting back (no tombstones), halved when mostly empty. Not thread-safe: its owner's lock
 * guards it.
 *
 * @param <T> the package's subscription, which knows its dialog
 */
public final class SubscriptionTable<T> {
    private static final int SMALLEST = 2;

    private final Function<? super T, NotifierDialog> dialogOf;
    private Object[] slots = new Object[SMALLEST];
    private int size;

    public SubscriptionTable(Function<? super T, NotifierDialog> dialogOf) {
        this.dialogOf = dialogOf;
    }

    /** The subscription whose dialog has this id, or null. */
    public T get(String dialogId) {
        int hash = dialogId.hashCode();
        int mask = slots.length - 1;
        for (int i = spread(hash) & mask; slots[i] != null; i = (i + 1) & mask) {
            T s = at(slots, i);
            NotifierDialog d = dialogOf.apply(s);
            if (d.idHash() == hash && d.hasId(dialogId)) {
                return s;
            }
        }
        return null;
    }

    /** Files {@code s}, whose dialog id must not be in the table yet. */
    public void add(T s) {
        if ((size + 1) * 4L > slots.length * 3L) {
            resize(slots.length * 2);
        }
        place(slots, s);
        size++;
    }

    /** Takes {@code s} itself out (not another subscription of the same dialog id). */
    public boolean remove(T s) {
        int mask = slots.length - 1;
        int gap = spread(dialogOf.apply(s).idHash()) & mask;
        while (slots[gap] != s) {
            if (slots[gap] == null) {
                return false;
            }
            gap = (gap + 1) & mask;
        }
        // shift back each later one of the run whose home is not between the gap and itself
        for (int j = (gap + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = spread(dialogOf.apply(at(slots, j)).idHash()) & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = null;
        size--;
        if (slots.length > SMALLEST && size * 8L < slots.length) {
            resize(slots.length / 2);
        }
        return true;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Any one of them (the first in the table), or null when empty. */
    public T any() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                return at(slots, i);
            }
        }
        return null;
    }

    /** A copy of all of them, in no particular order: safe to change the table while going through it. */
    public List<T> list() {
        List<T> all = new ArrayList<>(size);
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                all.add(at(slots, i));
            }
        }
        return all;
    }

    private void resize(int capacity) {
        Object[] bigger = new Object[capacity];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                place(bigger, at(slots, i));
            }
        }
        slots = bigger;
    }

    private void place(Object[] into, T s) {
        int mask = into.length - 1;
        int i = spread(dialogOf.apply(s).idHash()) & mask;
        while (into[i] != null) {
            i = (i + 1) & mask;
        }
        into[i] = s;
    }

    /** Ids differ mostly in their last characters (the tag), i.e. in a hash's low bits already; mixed anyway. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object[] slots, int i) {
        return (T) slots[i];
    }
}
