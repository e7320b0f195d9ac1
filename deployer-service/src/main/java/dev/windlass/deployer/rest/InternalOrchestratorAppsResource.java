package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.OrchestratorApps;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Service-to-service: the registry asks which apps an orchestrator still has before it forgets the orchestrator, and
 * has them undeployed when asked to. Only Windlass's services ({@code service} role) may call it.
 */
@Path("/internal/orchestrators/{id}/apps")
@Tag(name = "Internal")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SERVICE)
public class InternalOrchestratorAppsResource {

    private final OrchestratorApps apps;

    public InternalOrchestratorAppsResource(OrchestratorApps apps) {
        this.apps = apps;
    }

    @GET
    @Operation(summary = "The apps the orchestrator still has, each with its latest deployment (service role only)")
    public Uni<List<OrchestratorAppResponse>> live(@RestPath UUID id, @RestQuery String name) {
        return apps.live(id, name)
                .map(list -> list.stream().map(OrchestratorAppResponse::of).toList());
    }

    @POST
    @Path("undeploy")
    @Operation(summary = "Undeploy every app the orchestrator still has; each app's undeploy (service role only)")
    public Uni<List<OrchestratorAppResponse>> undeployAll(@RestPath UUID id, @RestQuery String name) {
        return apps.undeployAll(id, name)
                .map(list -> list.stream().map(OrchestratorAppResponse::of).toList());
    }
}
