package dev.windlass.registry.rest;

import dev.windlass.common.identity.OrchestratorRef;
import dev.windlass.registry.service.OrchestratorNotFoundException;
import dev.windlass.registry.service.OrchestratorService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Service-to-service: the deployer fetches an orchestrator's decrypted connection material here. Only the
 * {@code service} role (client-credentials tokens); the gateway never routes {@code /internal}. The body is never
 * logged.
 */
@Path("/internal/orchestrators")
@Tag(name = "Internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalOrchestratorResource {

    private final OrchestratorService orchestrators;

    public InternalOrchestratorResource(OrchestratorService orchestrators) {
        this.orchestrators = orchestrators;
    }

    @GET
    @Path("{ref}/connection")
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Decrypted connection material of the orchestrator with this id or name (service role only)")
    @APIResponse(responseCode = "200", description = "The material; absent credentials are null")
    @APIResponse(responseCode = "404", description = "No orchestrator has this id or name", ref = "Problem404")
    public Uni<ConnectionMaterialResponse> connection(@PathParam("ref") String ref) {
        if (!OrchestratorRef.wellFormed(ref)) {
            // neither an id nor a name the registry could have given: no orchestrator has it, and the database need
            // not be asked (a control character in it would fail the query)
            return Uni.createFrom().failure(new OrchestratorNotFoundException());
        }
        return OrchestratorRef.id(ref)
                .map(orchestrators::material)
                .orElseGet(() -> orchestrators.materialByName(ref))
                .map(ConnectionMaterialResponse::from);
    }
}
