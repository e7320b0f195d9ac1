package dev.windlass.deployer.service;

import dev.windlass.deployer.kubernetes.ClusterConnection;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The registry's internal API, called with a client-credentials token of the deployer's service account. */
@RegisterRestClient(configKey = "registry")
@OidcClientFilter
@Path("/internal/orchestrators")
public interface RegistryClient {

    /** The decrypted connection material of the orchestrator with this name; 404 when there is none. */
    @GET
    @Path("{name}/connection")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<ClusterConnection> connection(@PathParam("name") String name);
}
