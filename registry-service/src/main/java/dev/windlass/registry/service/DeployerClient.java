package dev.windlass.registry.service;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The deployer's internal API, called with a client-credentials token of the registry's service account: which apps
 * an orchestrator still has, and undeploying them.
 */
@RegisterRestClient(configKey = "deployer")
@OidcClientFilter
@Path("/internal/orchestrators/{id}/apps")
@Produces(MediaType.APPLICATION_JSON)
public interface DeployerClient {

    /** The apps the orchestrator still has, each with its latest deployment. */
    @GET
    Uni<List<OrchestratorApp>> apps(@PathParam("id") UUID id, @QueryParam("name") String name);

    /** Asks the deployer to undeploy every app the orchestrator still has; each app's undeploy. */
    @POST
    @Path("undeploy")
    Uni<List<OrchestratorApp>> undeployAll(@PathParam("id") UUID id, @QueryParam("name") String name);
}
