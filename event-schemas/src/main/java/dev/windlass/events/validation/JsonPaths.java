package dev.windlass.events.validation;

import java.util.regex.Pattern;

/** Builds violation paths: {@code spec.ports[1].name}, {@code spec.labels["app.kubernetes.io/part-of"]}. */
public final class JsonPaths {

    /** The path of the whole payload. */
    public static final String ROOT = "$";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPaths() {}

    /** The path of a property; names that are not identifiers are quoted in brackets. */
    public static String property(String parent, String name) {
        if (!PLAIN.matcher(name).matches()) {
            return base(parent) + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        }
        return isRoot(parent) ? name : parent + "." + name;
    }

    /** The path of a list element. */
    public static String index(String parent, int index) {
        return base(parent) + "[" + index + "]";
    }

    private static String base(String parent) {
        return isRoot(parent) ? ROOT : parent;
    }

    private static boolean isRoot(String path) {
        return path == null || path.isEmpty() || ROOT.equals(path);
    }
}
