package dev.windlass.events;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Random values for property tests, all drawn from one seeded {@link RandomGenerator}: the same seed gives the
 * same values, so a failing case is rerun from its seed alone. Numbers and sizes land on their bounds more
 * often than a uniform draw would, because that is where rules usually break.
 */
public class RandomValues {

    public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    public static final String UPPER = LOWER.toUpperCase();
    public static final String DIGITS = "0123456789";
    public static final String HEX = "0123456789abcdef";

    /** One in this many bounded draws returns the lower bound, and as many the upper bound. */
    private static final int EDGE_ODDS = 16;

    private final RandomGenerator random;

    public RandomValues(long seed) {
        this.random = new SplittableRandom(seed);
    }

    // ---- numbers and choices

    /** An int in {@code [min, max]}, either bound with a raised probability. */
    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** A long in {@code [min, max]}, either bound with a raised probability. */
    public long longBetween(long min, long max) {
        if (min == max) {
            return min;
        }
        int roll = random.nextInt(EDGE_ODDS);
        if (roll == 0) {
            return min;
        }
        if (roll == 1) {
            return max;
        }
        return max == Long.MAX_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong(min, max + 1);
    }

    /** Any int: 0, ±1 and the extremes come up more often than a uniform draw would give them. */
    public int anyInt() {
        return switch (random.nextInt(EDGE_ODDS)) {
            case 0 -> 0;
            case 1 -> pick(1, -1);
            case 2 -> pick(Integer.MIN_VALUE, Integer.MAX_VALUE);
            default -> random.nextInt();
        };
    }

    public byte anyByte() {
        return (byte) random.nextInt(256);
    }

    public boolean bool() {
        return random.nextBoolean();
    }

    /** True with the given probability. */
    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A uniform index in {@code [0, bound)}. */
    public int index(int bound) {
        return random.nextInt(bound);
    }

    @SafeVarargs
    public final <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    public <E extends Enum<E>> E pick(Class<E> type) {
        return pick(type.getEnumConstants());
    }

    /** The value of one of the suppliers, chosen uniformly. */
    @SafeVarargs
    public final <T> T oneOf(Supplier<? extends T>... choices) {
        return pick(choices).get();
    }

    /** {@code null} with the given probability, otherwise a value. */
    public <T> T orNull(double nullProbability, Supplier<T> value) {
        return chance(nullProbability) ? null : value.get();
    }

    // ---- text

    /** {@code length} characters drawn from {@code chars}. */
    public String string(String chars, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    /** Between {@code min} and {@code max} characters drawn from {@code chars}. */
    public String string(String chars, int min, int max) {
        return string(chars, intBetween(min, max));
    }

    /**
     * Text of any kind, up to {@code maxLength} characters: control characters, quotes, backslashes and
     * non-ASCII included, but never a lone surrogate.
     */
    public String text(int maxLength) {
        int length = intBetween(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(anyChar());
        }
        return text.toString();
    }

    /** A character outside the surrogate range; ASCII (controls included) a third of the time. */
    private char anyChar() {
        if (random.nextInt(3) == 0) {
            return (char) random.nextInt(0x80);
        }
        int code = random.nextInt(0xd800 + (0xfffd - 0xe000 + 1));
        return (char) (code < 0xd800 ? code : code - 0xd800 + 0xe000);
    }

    public byte[] bytes(int maxLength) {
        byte[] bytes = new byte[intBetween(0, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---- collections

    public <T> List<T> list(int min, int max, Supplier<T> element) {
        int size = intBetween(min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /**
     * Between {@code min} and {@code max} elements, no two of which share a value of any of the {@code keys}.
     * Draws that collide are dropped; the list may come out shorter than drawn, never shorter than {@code min}
     * unless the element space is nearly exhausted.
     */
    @SafeVarargs
    public final <T> List<T> uniqueList(int min, int max, Supplier<T> element, Function<T, ?>... keys) {
        List<Function<T, ?>> keyList = keys.length == 0 ? List.of(Function.identity()) : List.of(keys);
        List<Set<Object>> seen = new ArrayList<>();
        keyList.forEach(key -> seen.add(new HashSet<>()));
        int size = intBetween(min, max);
        List<T> list = new ArrayList<>(size);
        for (int attempt = 0; list.size() < size && attempt < size * 20; attempt++) {
            T candidate = element.get();
            boolean fresh = true;
            for (int k = 0; k < keyList.size() && fresh; k++) {
                fresh = !seen.get(k).contains(keyList.get(k).apply(candidate));
            }
            if (fresh) {
                list.add(candidate);
                for (int k = 0; k < keyList.size(); k++) {
                    seen.get(k).add(keyList.get(k).apply(candidate));
                }
            }
        }
        if (list.size() < min) {
            throw new IllegalStateException("could not draw " + min + " distinct elements");
        }
        return list;
    }

    /** Between {@code min} and {@code max} entries with distinct keys, in insertion order. */
    public <K, V> Map<K, V> map(int min, int max, Supplier<K> key, Supplier<V> value) {
        int size = intBetween(min, max);
        Map<K, V> map = new LinkedHashMap<>();
        for (int attempt = 0; map.size() < size && attempt < size * 20; attempt++) {
            K candidate = key.get();
            if (!map.containsKey(candidate)) {
                map.put(candidate, value.get());
            }
        }
        if (map.size() < min) {
            throw new IllegalStateException("could not draw " + min + " distinct keys");
        }
        return map;
    }
}
