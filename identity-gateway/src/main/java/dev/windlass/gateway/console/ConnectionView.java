package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** The latest connection check of an orchestrator: status, the reason in words, and when it ran. */
@TemplateData
public record ConnectionView(
        String status, String message, String serverVersion, String checkedAt, List<String> warnings) {

    public ConnectionView {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Maps the registry's {@code connection} object. */
    public static ConnectionView from(JsonObject json) {
        JsonArray warnings = json.getJsonArray("warnings", new JsonArray());
        return new ConnectionView(
                json.getString("status", "UNKNOWN"),
                json.getString("message", ""),
                json.getString("serverVersion"),
                json.getString("checkedAt"),
                warnings.stream().map(String::valueOf).toList());
    }

    /** Whether the last check reached the cluster but found something worth a look (over-privileged credentials). */
    public boolean warned() {
        return connected() && !warnings.isEmpty();
    }

    /** Whether the last check reached the cluster with every permission needed. */
    public boolean connected() {
        return "CONNECTED".equals(status);
    }

    /** The status in words: "Connected", "Unreachable", "TLS error", ... */
    public String label() {
        return switch (status) {
            case "CONNECTED" -> warnings.isEmpty() ? "Connected" : "Connected, with warnings";
            case "TLS_ERROR" -> "TLS error";
            case "UNKNOWN" -> "Not checked";
            default -> status.charAt(0) + status.substring(1).toLowerCase(Locale.ROOT);
        };
    }

    /** CSS modifier of the badge. */
    public String tone() {
        return switch (status) {
            case "CONNECTED" -> warnings.isEmpty() ? "ok" : "warn";
            case "UNKNOWN" -> "neutral";
            default -> "bad";
        };
    }
}
