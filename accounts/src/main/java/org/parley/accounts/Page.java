package org.parley.accounts;

import java.util.List;

/** One page of a listing: the items, where it started, and how many there are in all. */
public record Page<T>(List<T> items, int offset, int limit, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
