package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.ImageRegistries;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The registries Windlass polls for new tags, by host, and how it reaches each: for admins only, and write-only where
 * it matters: a password is set here and never read back.
 */
@Path("/api/image-registries")
@Tag(name = "Image registries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ImageRegistryResource {

    private final ImageRegistries registries;
    private final CurrentCaller caller;

    public ImageRegistryResource(ImageRegistries registries, CurrentCaller caller) {
        this.registries = registries;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Every registry set, without passwords")
    public Uni<List<ImageRegistries.View>> list() {
        return registries.list();
    }

    @PUT
    @Path("{host}")
    @Operation(
            summary = "Set how a registry is reached",
            description = "Replaces what was set: the account (username and password together, or neither) and"
                    + " plainHttp. See docs/api.md.")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "201", description = "Set for the first time")
    @APIResponse(responseCode = "400", description = "A field is invalid; the problem names it")
    public Uni<Response> put(@RestPath String host, ImageRegistryBody body) {
        ImageRegistryBody b = body == null ? new ImageRegistryBody(null, null, null) : body;
        return registries
                .put(caller.get(), host, b.username(), b.password(), b.plainHttp())
                .map(stored -> Response.status(stored.created() ? Response.Status.CREATED : Response.Status.OK)
                        .entity(stored.registry())
                        .build());
    }

    @DELETE
    @Path("{host}")
    @Operation(summary = "Forget a registry: it is reached over HTTPS without an account again")
    @APIResponse(responseCode = "204", description = "Forgotten")
    @APIResponse(responseCode = "404", description = "It was not set")
    public Uni<Response> delete(@RestPath String host) {
        return registries.delete(host).map(ignored -> Response.noContent().build());
    }
}
