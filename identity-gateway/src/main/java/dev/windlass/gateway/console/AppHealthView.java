package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An app's live status on its page: its health and its objects as rows, each indented by its depth in the tree
 * (Deployment, its ReplicaSets, their Pods), or why the status could not be read.
 */
@TemplateData
public record AppHealthView(Health health, List<Row> rows, String unavailable) {

    /** A health state as a badge: {@code status} for the tests, {@code label} in words, {@code tone} the colour. */
    @TemplateData
    public record Health(String status, String message) {

        public String label() {
            return status == null ? "No health check" : status;
        }

        public String tone() {
            if (status == null) {
                return "neutral";
            }
            return switch (status) {
                case "Healthy" -> "ok";
                case "Progressing", "Suspended" -> "warn";
                case "Missing", "Degraded" -> "bad";
                default -> "neutral";
            };
        }
    }

    /** One object: its place in the tree, kind, name, health and details ({@code restarts: 3, node: n1}). */
    @TemplateData
    public record Row(int depth, String kind, String name, Health health, String details) {}

    /** Maps the deployer's {@code GET /api/apps/{o}/{n}/{a}/status} answer. */
    public static AppHealthView from(JsonObject json) {
        List<Row> rows = new ArrayList<>();
        flatten(json.getJsonArray("objects", new JsonArray()), 0, rows);
        return new AppHealthView(health(json.getJsonObject("health")), rows, null);
    }

    /** Why there is no status to show (the API's problem detail). */
    public static AppHealthView unavailable(String reason) {
        return new AppHealthView(null, List.of(), reason);
    }

    private static void flatten(JsonArray objects, int depth, List<Row> rows) {
        for (Object item : objects) {
            JsonObject object = (JsonObject) item;
            JsonObject details = object.getJsonObject("details", new JsonObject());
            rows.add(new Row(
                    depth,
                    object.getString("kind", ""),
                    object.getString("name", ""),
                    health(object.getJsonObject("health")),
                    details.stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "))));
            flatten(object.getJsonArray("children", new JsonArray()), depth + 1, rows);
        }
    }

    private static Health health(JsonObject health) {
        return health == null
                ? new Health(null, null)
                : new Health(health.getString("status"), health.getString("message"));
    }
}
