package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** One phase a deployment went through. */
@TemplateData
public record PhaseView(String phase, String message, String occurredAt) {

    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "SUPERSEDED", "DELETED");

    /** Maps one entry of the deployer's {@code phases}. */
    public static PhaseView from(JsonObject json) {
        return new PhaseView(json.getString("phase"), json.getString("message", ""), json.getString("occurredAt", ""));
    }

    /** Whether {@code phase} ends a deployment. */
    public static boolean isFinal(String phase) {
        return phase != null && FINAL.contains(phase);
    }
}
