package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The latest connection check of an orchestrator: status, the reason in words, and when it ran. */
@TemplateData
public record ConnectionView(String status, String message, String serverVersion, String checkedAt) {

    /** Maps the registry's {@code connection} object. */
    public static ConnectionView from(JsonObject json) {
        return new ConnectionView(
                json.getString("status", "UNKNOWN"),
                json.getString("message", ""),
                json.getString("serverVersion"),
                json.getString("checkedAt"));
    }

    /** Whether the last check reached the cluster with every permission needed. */
    public boolean connected() {
        return "CONNECTED".equals(status);
    }

    /** The status in words: "Connected", "Unreachable", "TLS error", ... */
    public String label() {
        return switch (status) {
            case "CONNECTED" -> "Connected";
            case "TLS_ERROR" -> "TLS error";
            case "UNKNOWN" -> "Not checked";
            default -> status.charAt(0) + status.substring(1).toLowerCase(Locale.ROOT);
        };
    }

    /** CSS modifier of the badge. */
    public String tone() {
        return switch (status) {
            case "CONNECTED" -> "ok";
            case "UNKNOWN" -> "neutral";
            default -> "bad";
        };
    }
}
