package dev.windlass.deployer.rest;

import dev.windlass.events.spec.AppSpec;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/deployments}: the app's spec, where to put it. */
@Schema(name = "DeploymentRequest")
public record DeploymentRequestBody(
        @Schema(required = true, examples = "home-k3s") String orchestrator,

        @Schema(description = "Defaults to the orchestrator's default namespace", examples = "shop")
        String namespace,

        @Schema(required = true) AppSpec spec) {

    @Override
    public String toString() {
        return "DeploymentRequestBody[orchestrator=" + orchestrator + ", namespace=" + namespace + ", spec=" + spec
                + "]";
    }
}
