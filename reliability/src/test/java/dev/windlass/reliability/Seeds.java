package dev.windlass.reliability;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Seeded cases, in the style of the event-schemas property tests: each case is a {@link DynamicTest} named after
 * its seed, the seeds derive from a fixed base seed ({@code -Dwindlass.reliability.seed=<n>} for another set) mixed
 * with the property's name, and {@code -Dwindlass.reliability.case=<seed>} reruns one case.
 */
final class Seeds {

    private static final long DEFAULT_BASE_SEED = 0x52656c6961626cL;

    private Seeds() {}

    @FunctionalInterface
    interface Case {
        void check(long seed) throws Throwable;
    }

    /** {@code count} cases; case {@code i}'s seed is congruent to {@code i} modulo {@code strata}. */
    static Stream<DynamicTest> cases(String property, int count, int strata, Case body) {
        return seeds(property, count, strata)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
                    try {
                        body.check(seed);
                    } catch (Throwable failure) {
                        throw new AssertionError(
                                property + " failed for seed " + seed + " (rerun with -Dwindlass.reliability.case="
                                        + seed + "): " + failure,
                                failure);
                    }
                }));
    }

    static LongStream seeds(String property, int count, int strata) {
        String pinned = System.getProperty("windlass.reliability.case", "").strip();
        if (!pinned.isEmpty()) {
            return LongStream.of(Long.parseLong(pinned));
        }
        long base = Long.getLong("windlass.reliability.seed", DEFAULT_BASE_SEED);
        long hash = 0xcbf29ce484222325L;
        for (char c : property.toCharArray()) {
            hash = (hash ^ c) * 0x100000001b3L;
        }
        SplittableRandom random = new SplittableRandom(base ^ hash);
        long bound = Long.MAX_VALUE / strata;
        return LongStream.range(0, count).map(i -> random.nextLong(bound) * strata + i % strata);
    }
}
