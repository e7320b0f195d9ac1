package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One entry of an orchestrator's audit trail, as its audit page lists them (newest first). */
@TemplateData
public record AuditEntryView(String action, String who, String occurredAt, String details) {

    /** Maps the registry's {@code GET /api/orchestrators/{id}/audit} items. */
    public static List<AuditEntryView> from(JsonArray items) {
        List<AuditEntryView> views = new ArrayList<>();
        for (Object item : items) {
            JsonObject entry = (JsonObject) item;
            String username = entry.getString("username");
            views.add(new AuditEntryView(
                    entry.getString("action", ""),
                    username == null || username.isBlank() ? entry.getString("subject", "") : username,
                    entry.getString("occurredAt", ""),
                    entry.getString("details", "")));
        }
        return List.copyOf(views);
    }
}
