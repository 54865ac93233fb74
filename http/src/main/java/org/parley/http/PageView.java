package org.parley.http;

import org.parley.accounts.Page;

import java.util.List;
import java.util.function.Function;

/** The JSON shape of one page of a listing. */
public record PageView<T>(List<T> items, int offset, int limit, long total) {
    public static <S, T> PageView<T> of(Page<S> page, Function<S, T> view) {
        return new PageView<>(page.items().stream().map(view).toList(), page.offset(), page.limit(), page.total());
    }
}
