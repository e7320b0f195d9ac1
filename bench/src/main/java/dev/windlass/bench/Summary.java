package dev.windlass.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Median and spread of repeated measurements. */
public final class Summary {

    private Summary() {}

    /** The median of {@code values} (mean of the middle two for an even count); NaN when empty. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code {median, min, max, runs}} of {@code values}, rounded to 3 significant decimals. */
    public static Map<String, Object> of(List<Double> values) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("median", round(median(values)));
        summary.put("min", round(values.stream().mapToDouble(d -> d).min().orElse(Double.NaN)));
        summary.put("max", round(values.stream().mapToDouble(d -> d).max().orElse(Double.NaN)));
        summary.put("runs", values.stream().map(Summary::round).toList());
        return summary;
    }

    /** {@code value} rounded to three decimals. */
    public static double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return Math.round(value * 1000.0) / 1000.0;
    }

    /** "median (min–max)" with {@code decimals} decimals. */
    public static String text(List<Double> values, int decimals) {
        String format = "%." + decimals + "f";
        return String.format(format, median(values)) + " ("
                + String.format(
                        format, values.stream().mapToDouble(d -> d).min().orElse(Double.NaN)) + "–"
                + String.format(
                        format, values.stream().mapToDouble(d -> d).max().orElse(Double.NaN)) + ")";
    }
}
