package dev.windlass.events;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Seeded cases for property tests: each case is one {@link DynamicTest} named after the seed that drives it.
 *
 * <p>The seeds of a property come from a base seed ({@value #BASE_SEED_PROPERTY}, fixed by default so CI
 * runs the same cases every time) mixed with the property's name. {@code -D}{@value #SEED_PROPERTY}{@code
 * =<seed>} runs that one seed instead, for every property selected: combine it with {@code
 * -Dtest=<Class>#<method>} to replay exactly the case that failed. A failure message starts with the seed.
 */
public final class PropertyCases {

    /** System property: run only this seed. */
    public static final String SEED_PROPERTY = "windlass.pbt.seed";

    /** System property: the seed the case seeds are derived from. */
    public static final String BASE_SEED_PROPERTY = "windlass.pbt.base-seed";

    private static final long DEFAULT_BASE_SEED = 0x57696e646c617373L;

    private PropertyCases() {}

    /** The body of one case, driven by its seed. */
    @FunctionalInterface
    public interface Case {
        void check(long seed) throws Throwable;
    }

    /** {@code count} cases of {@code property}, each with its own seed. */
    public static Stream<DynamicTest> cases(String property, int count, Case body) {
        return cases(property, count, 1, body);
    }

    /**
     * {@code count} cases whose seeds cycle through the residues modulo {@code strata}: case {@code i} has a
     * seed {@code s} with {@code s % strata == i % strata}. A body that chooses among {@code strata} kinds by
     * {@code seed % strata} thereby covers every kind evenly, and a single seed still says which kind it was.
     */
    public static Stream<DynamicTest> cases(String property, int count, int strata, Case body) {
        return seeds(property, count, strata)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
                    try {
                        body.check(seed);
                    } catch (Throwable failure) {
                        throw reproducible(property, seed, failure);
                    }
                }));
    }

    private static LongStream seeds(String property, int count, int strata) {
        String pinned = System.getProperty(SEED_PROPERTY, "").strip();
        if (!pinned.isEmpty()) {
            return LongStream.of(Long.parseLong(pinned));
        }
        String base = System.getProperty(BASE_SEED_PROPERTY, "").strip();
        long baseSeed = base.isEmpty() ? DEFAULT_BASE_SEED : Long.parseLong(base);
        SplittableRandom random = new SplittableRandom(baseSeed ^ mix(property));
        long bound = Long.MAX_VALUE / strata;
        return LongStream.range(0, count).map(i -> random.nextLong(bound) * strata + i % strata);
    }

    /** A 64-bit hash of the property name, so properties sharing a base seed still get different cases. */
    private static long mix(String property) {
        long hash = 0xcbf29ce484222325L;
        for (char c : property.toCharArray()) {
            hash = (hash ^ c) * 0x100000001b3L;
        }
        return hash;
    }

    private static AssertionError reproducible(String property, long seed, Throwable failure) {
        return new AssertionError(
                property + " failed for seed " + seed + " (rerun with -D" + SEED_PROPERTY + "=" + seed + "): "
                        + failure,
                failure);
    }
}
