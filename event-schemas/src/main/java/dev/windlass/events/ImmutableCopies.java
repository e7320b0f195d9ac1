package dev.windlass.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defensive, order-preserving copies for record components.
 *
 * <p>Unlike {@code List.copyOf}, null elements survive the copy so that a validator can report them with
 * a path instead of the constructor throwing.
 */
public final class ImmutableCopies {

    private ImmutableCopies() {}

    /** An unmodifiable copy, or an empty list for null. */
    public static <T> List<T> list(List<T> source) {
        return source == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(source));
    }

    /** An unmodifiable copy, or null for null (for fields where absence has its own meaning). */
    public static <T> List<T> listOrNull(List<T> source) {
        return source == null ? null : list(source);
    }

    /** An unmodifiable, insertion-ordered copy, or an empty map for null. */
    public static <V> Map<String, V> map(Map<String, V> source) {
        return source == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }
}
