package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonObject;

/**
 * One numbered revision of an app; {@code imageUpdates} is its image update policy, empty when it has none, and
 * {@code imagePoll} how often its registry is polled, empty when it is not.
 */
@TemplateData
public record RevisionView(
        int revision,
        String deploymentId,
        String action,
        Integer rolledBackFrom,
        String image,
        String imageUpdates,
        String imagePoll,
        String requestedBy,
        String createdAt,
        String outcome,
        String message) {

    /** Maps one entry of the deployer's revision list. */
    public static RevisionView from(JsonObject json) {
        JsonObject spec = json.getJsonObject("spec", new JsonObject());
        // the deployer writes absent spec fields as null
        JsonObject imageUpdates = spec.getJsonObject("imageUpdates");
        JsonObject requestedBy = json.getJsonObject("requestedBy", new JsonObject());
        return new RevisionView(
                json.getInteger("revision", 0),
                json.getString("deploymentId"),
                json.getString("action", ""),
                json.getInteger("rolledBackFrom"),
                spec.getString("image", ""),
                imageUpdates == null ? "" : imageUpdates.getString("policy", ""),
                imageUpdates == null ? "" : imageUpdates.getString("poll", ""),
                requestedBy.getString("username", requestedBy.getString("subject", "")),
                json.getString("createdAt", ""),
                json.getString("outcome", ""),
                json.getString("message", ""));
    }
}
