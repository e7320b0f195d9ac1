package dev.windlass.deployer.rest;

import dev.windlass.deployer.trust.SealingKeys;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public key secret env values are sealed to before they travel over Kafka, as a JWK set (RFC 7517): one key,
 * {@code use=enc}, an X25519 key with {@code alg=ECDH-ES+A256KW} unless configured otherwise ({@link
 * dev.windlass.deployer.trust.SealingKeyType}); values are JWE compact serializations with the key's {@code alg},
 * {@code enc=A256GCM} and the key's {@code kid}. Public by nature, so open to anyone who can reach the service (the
 * gateway, which passes no anonymous request on, asks for any signed-in caller).
 */
@Path("/api/sealing-keys")
@Tag(name = "Sealing keys")
public class SealingKeyResource {

    /** Media type of a JWK set. */
    static final String JWK_SET = "application/jwk-set+json";

    private final SealingKeys keys;

    public SealingKeyResource(SealingKeys keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @Produces({JWK_SET, MediaType.APPLICATION_JSON})
    @Operation(summary = "The public key to seal secret env values to (JWK set)")
    @APIResponse(responseCode = "200", description = "The active sealing key")
    public Uni<Response> jwks() {
        return keys.jwks().map(jwks -> Response.ok(jwks, JWK_SET).build());
    }

    @POST
    @Path("rotation")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a new sealing key; the previous one still opens values for the retention")
    @APIResponse(responseCode = "201", description = "The new key is active")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Uni<Response> rotate() {
        return keys.rotate()
                .map(keyId -> Response.status(Response.Status.CREATED)
                        .entity(java.util.Map.of("keyId", keyId))
                        .build());
    }
}
