package dev.windlass.registry.service;

import java.util.List;

/** One page of results and the total count across all pages. */
public record Page<T>(List<T> items, int page, int size, long total) {}
