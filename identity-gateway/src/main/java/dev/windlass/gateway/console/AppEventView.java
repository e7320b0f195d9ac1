package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One Kubernetes event about an app's objects, as the app's page lists them (newest first). */
@TemplateData
public record AppEventView(String type, String reason, String message, String object, int count, String lastSeen) {

    /** Warnings stand out; everything else is neutral. */
    public String tone() {
        return "Warning".equals(type) ? "warn" : "neutral";
    }

    /** The type in words, for the badge. */
    public String label() {
        return type == null ? "Event" : type;
    }

    /** The badge's {@code data-status}. */
    public String status() {
        return label();
    }

    /** Maps the deployer's {@code GET /api/apps/{o}/{n}/{a}/events} answer. */
    public static List<AppEventView> from(JsonArray events) {
        List<AppEventView> views = new ArrayList<>();
        for (Object item : events) {
            JsonObject event = (JsonObject) item;
            JsonObject object = event.getJsonObject("object", new JsonObject());
            views.add(new AppEventView(
                    event.getString("type"),
                    event.getString("reason", ""),
                    event.getString("message", ""),
                    object.getString("kind", "") + " " + object.getString("name", ""),
                    event.getInteger("count", 1),
                    event.getString("lastSeen", "")));
        }
        return List.copyOf(views);
    }
}
