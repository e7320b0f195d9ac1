package dev.windlass.deployer.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/** The labels Windlass puts on every object it renders, and the selectors built from them. */
public final class WindlassLabels {

    /** The app an object belongs to. */
    public static final String NAME = "app.kubernetes.io/name";
    /** Who manages the object; always {@link #MANAGER} on Windlass objects. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY}. */
    public static final String MANAGER = "windlass";
    /** The revision of the app that last applied the object. */
    public static final String REVISION = "windlass.dev/revision";

    private WindlassLabels() {}

    /** Selects every object Windlass manages for {@code app} (also the Deployment's pod selector). */
    public static Map<String, String> selector(String app) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, app);
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** The labels of an object of {@code app} at {@code revision}. */
    public static Map<String, String> of(String app, int revision) {
        Map<String, String> labels = selector(app);
        labels.put(REVISION, Integer.toString(revision));
        return labels;
    }

    /** Labels of objects Windlass keeps for a whole cluster or namespace rather than one app. */
    public static Map<String, String> managed() {
        return Map.of(MANAGED_BY, MANAGER);
    }

    /** The revision in a label map, when present and numeric. */
    public static OptionalInt revision(Map<String, String> labels) {
        String value = labels == null ? null : labels.get(REVISION);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
