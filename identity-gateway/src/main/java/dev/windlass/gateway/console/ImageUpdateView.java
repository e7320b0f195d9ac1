package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** An image update of an app that waits, or waited, for approvals. */
@TemplateData
public record ImageUpdateView(
        String id,
        String image,
        String status,
        int requiredApprovals,
        String approverGroups,
        String approvedBy,
        int approvals,
        String deadline,
        String deploymentId) {

    /** Maps the deployer's list. */
    public static List<ImageUpdateView> from(JsonArray array) {
        List<ImageUpdateView> views = new ArrayList<>();
        for (Object item : array) {
            if (item instanceof JsonObject json) {
                List<String> names = new ArrayList<>();
                for (Object approval : json.getJsonArray("approvals", new JsonArray())) {
                    JsonObject by = ((JsonObject) approval).getJsonObject("approvedBy", new JsonObject());
                    names.add(by.getString("username", by.getString("subject", "")));
                }
                views.add(new ImageUpdateView(
                        json.getString("id"),
                        json.getString("image", ""),
                        json.getString("status", ""),
                        json.getInteger("requiredApprovals", 0),
                        String.join(
                                ", ",
                                json.getJsonArray("approverGroups", new JsonArray())
                                        .getList()),
                        String.join(", ", names),
                        names.size(),
                        json.getString("deadline", ""),
                        json.getString("deploymentId")));
            }
        }
        return List.copyOf(views);
    }

    /** Whether it still takes approvals. */
    public boolean pending() {
        return "PENDING".equals(status);
    }
}
