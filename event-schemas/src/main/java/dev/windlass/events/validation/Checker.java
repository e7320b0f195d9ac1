package dev.windlass.events.validation;

import java.util.List;

/** Collects violations while walking a payload; each instance stands at one path. */
final class Checker {

    private final List<Violation> sink;
    private final String path;

    Checker(List<Violation> sink, String path) {
        this.sink = sink;
        this.path = path == null || path.isEmpty() ? JsonPaths.ROOT : path;
    }

    Checker field(String name) {
        return new Checker(sink, name == null ? path + "[null]" : JsonPaths.property(path, name));
    }

    Checker index(int index) {
        return new Checker(sink, JsonPaths.index(path, index));
    }

    String path() {
        return path;
    }

    void fail(String rule, String message) {
        sink.add(new Violation(path, rule, message));
    }

    /** Reports a missing value; true when present. */
    boolean present(Object value) {
        if (value == null) {
            fail(Rules.REQUIRED, "is required");
            return false;
        }
        return true;
    }

    /** Reports a value given where none is allowed. */
    void absent(Object value, String why) {
        if (value != null) {
            fail(Rules.FORBIDDEN, "must not be set " + why);
        }
    }

    /** Reports a number outside {@code [min, max]}; a null is not checked. */
    void range(Integer value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            fail(Rules.RANGE, "must be between " + min + " and " + max);
        }
    }

    /** Reports a string longer than {@code max}; true when the string is within it. */
    boolean maxLength(String value, int max) {
        if (value.length() > max) {
            fail(Rules.MAX_LENGTH, "must be at most " + max + " characters");
            return false;
        }
        return true;
    }

    /** Reports more than {@code max} entries. */
    void maxItems(int size, int max) {
        if (size > max) {
            fail(Rules.MAX_ITEMS, "must have at most " + max + " entries");
        }
    }

    /** Checks a required string against a name rule. */
    void name(String value, NameRule rule) {
        if (present(value)) {
            rule.check(value, this);
        }
    }
}
