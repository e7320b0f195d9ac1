package dev.windlass.registry.service;

import java.util.List;
import java.util.function.Function;

/** One page of results and the total count across all pages. */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** The same page with each item mapped. */
    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), page, size, total);
    }
}
