package dev.windlass.events.validation;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes quantity grammar ({@code 500m}, {@code 1.5}, {@code 256Mi}, {@code 1e3}), restricted to
 * non-negative values, and its numeric value for comparing requests with limits.
 */
public final class Quantity {

    /**
     * Number then optional suffix: binary ({@code Ki..Ei}), decimal ({@code m, k, M..E}) or a decimal
     * exponent of at most two digits. Appears verbatim in the JSON Schemas.
     */
    public static final String PATTERN = "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[mkMGTPE]|[eE][-+]?[0-9]{1,2})?";

    /** Longest accepted quantity string. */
    public static final int MAX_LENGTH = 32;

    private static final Pattern GRAMMAR = Pattern.compile(PATTERN);

    private static final Map<String, BigDecimal> MULTIPLIERS = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("m", new BigDecimal("0.001")),
            Map.entry("k", BigDecimal.TEN.pow(3)),
            Map.entry("M", BigDecimal.TEN.pow(6)),
            Map.entry("G", BigDecimal.TEN.pow(9)),
            Map.entry("T", BigDecimal.TEN.pow(12)),
            Map.entry("P", BigDecimal.TEN.pow(15)),
            Map.entry("E", BigDecimal.TEN.pow(18)),
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
            Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
            Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
            Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

    private Quantity() {}

    /** Whether the string follows the grammar. */
    public static boolean isValid(String value) {
        return parse(value).isPresent();
    }

    /** The value in base units (cores, bytes), or empty when the string does not follow the grammar. */
    public static Optional<BigDecimal> parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher matcher = GRAMMAR.matcher(value);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(normalize(matcher.group(1)));
        String suffix = matcher.group(3) == null ? "" : matcher.group(3);
        if (isExponent(suffix)) {
            return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))));
        }
        return Optional.of(number.multiply(MULTIPLIERS.get(suffix)));
    }

    /** Whether the quantity uses the milli suffix, which for bytes is almost always a typo for Mi. */
    public static boolean isMilli(String value) {
        return value != null && value.endsWith("m") && isValid(value);
    }

    /** {@code e3}, {@code E-2}: a decimal exponent, as opposed to the suffixes {@code E} and {@code Ei}. */
    private static boolean isExponent(String suffix) {
        return suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E') && suffix.charAt(1) != 'i';
    }

    private static String normalize(String number) {
        String withLeadingDigit = number.startsWith(".") ? "0" + number : number;
        return withLeadingDigit.endsWith(".") ? withLeadingDigit + "0" : withLeadingDigit;
    }
}
