package dev.windlass.gateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where the console's pages live. */
public final class Paths {

    /** Root of every console page. */
    public static final String CONSOLE = "/console";

    private Paths() {}

    /** The page of one app. */
    public static String app(String orchestrator, String namespace, String app) {
        return CONSOLE + "/apps/" + segment(orchestrator) + "/" + segment(namespace) + "/" + segment(app);
    }

    /** A path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** A query parameter value, percent-encoded. */
    public static String query(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
