package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An app's live status on its page: its health, its sync state with the objects that differ from the revision, and its
 * objects as rows, each indented by its depth in the tree (Deployment, its ReplicaSets, their Pods), or why the
 * status could not be read.
 */
@TemplateData
public record AppHealthView(Health health, Sync sync, List<Row> rows, String unavailable) {

    /**
     * Whether the cluster holds what the revision applies, as a badge, whether Windlass puts it back by itself
     * (self-heal), and the objects that differ in words.
     */
    @TemplateData
    public record Sync(String status, List<String> drifts, boolean selfHeal) {

        public String label() {
            return switch (status) {
                case "InSync" -> "In sync";
                case "OutOfSync" -> "Out of sync";
                default -> "Sync unknown";
            };
        }

        public String tone() {
            return switch (status) {
                case "InSync" -> "ok";
                case "OutOfSync" -> "warn";
                default -> "neutral";
            };
        }

        static Sync from(JsonObject sync) {
            if (sync == null) {
                return new Sync("Unknown", List.of(), false);
            }
            List<String> drifts = new ArrayList<>();
            for (Object item : sync.getJsonArray("objects", new JsonArray())) {
                JsonObject drift = (JsonObject) item;
                JsonArray fields = drift.getJsonArray("fields", new JsonArray());
                drifts.add(drift.getString("kind", "") + " " + drift.getString("name", "")
                        + (fields.isEmpty()
                                ? ""
                                : " (" + fields.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
                        + ": " + drift.getString("reason", ""));
            }
            return new Sync(sync.getString("status", "Unknown"), drifts, sync.getBoolean("selfHeal", false));
        }
    }

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
        return new AppHealthView(
                health(json.getJsonObject("health")), Sync.from(json.getJsonObject("sync")), rows, null);
    }

    /** Why there is no status to show (the API's problem detail). */
    public static AppHealthView unavailable(String reason) {
        return new AppHealthView(null, null, List.of(), reason);
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
