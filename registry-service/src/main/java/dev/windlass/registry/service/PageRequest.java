package dev.windlass.registry.service;

import java.util.ArrayList;
import java.util.List;

/** A page of a list: zero-based index and size, bounded by the configured maximum. */
public record PageRequest(int page, int size) {

    /** The size used when a request names none. */
    public static final int DEFAULT_SIZE = 20;

    /**
     * Parses {@code page} and {@code size} query parameters.
     *
     * @throws ValidationFailedException naming {@code page} or {@code size} and the rule
     */
    public static PageRequest parse(String page, String size, int maxSize) {
        List<Violation> violations = new ArrayList<>();
        Integer p = number("page", page, 0, 0, Integer.MAX_VALUE / (maxSize + 1), violations);
        Integer s = number("size", size, DEFAULT_SIZE, 1, maxSize, violations);
        if (!violations.isEmpty()) {
            throw new ValidationFailedException(violations);
        }
        return new PageRequest(p, s);
    }

    private static Integer number(String field, String text, int fallback, int min, int max, List<Violation> out) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            out.add(new Violation(field, "integer", field + " must be a whole number"));
            return null;
        }
        if (value < min) {
            out.add(new Violation(field, "min", field + " must be at least " + min));
            return null;
        }
        if (value > max) {
            out.add(new Violation(field, "max", field + " must be at most " + max));
            return null;
        }
        return value;
    }
}
