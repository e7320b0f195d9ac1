package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A deployment as the deployer describes it; the spec only as masked JSON text. */
@TemplateData
public record DeploymentView(
        String id,
        String orchestrator,
        String orchestratorId,
        String namespace,
        String app,
        String action,
        String phase,
        String message,
        Integer revision,
        String requestedBy,
        String requestedAt,
        String image,
        String reason,
        String specJson,
        List<PhaseView> phases) {

    /** Maps the deployer's JSON. */
    public static DeploymentView from(JsonObject json) {
        List<PhaseView> phases = new ArrayList<>();
        for (Object item : json.getJsonArray("phases", new JsonArray())) {
            if (item instanceof JsonObject phase) {
                phases.add(PhaseView.from(phase));
            }
        }
        JsonObject spec = json.getJsonObject("spec");
        JsonObject requestedBy = json.getJsonObject("requestedBy", new JsonObject());
        return new DeploymentView(
                json.getString("id"),
                json.getString("orchestrator"),
                json.getString("orchestratorId"),
                json.getString("namespace"),
                json.getString("app"),
                json.getString("action"),
                json.getString("phase"),
                json.getString("message", ""),
                json.getInteger("revision"),
                requestedBy.getString("username", requestedBy.getString("subject", "")),
                json.getString("requestedAt", ""),
                // an image update's own image until its revision (and with it the spec) exists
                spec == null ? json.getString("image", "") : spec.getString("image", ""),
                json.getString("reason", ""),
                spec == null ? "" : spec.encodePrettily(),
                List.copyOf(phases));
    }

    /** Whether no further phase follows. */
    public boolean finished() {
        return PhaseView.isFinal(phase);
    }

    /**
     * Path of the app's page in the console: by the orchestrator's id when the deployer gave it, so the link still
     * leads there after the orchestrator is renamed.
     */
    public String appPath() {
        return Paths.app(orchestratorId != null ? orchestratorId : orchestrator, namespace, app);
    }
}
