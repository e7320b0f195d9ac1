package dev.windlass.registry.rest;

import dev.windlass.registry.service.CredentialRotationService;
import dev.windlass.registry.service.ReEncryptResult;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Key rotation: re-encrypts every stored credential with the active key. */
@Path("/api/admin/credentials")
@Tag(name = "Administration")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialAdminResource {

    private final CredentialRotationService rotation;
    private final CurrentActor actor;

    public CredentialAdminResource(CredentialRotationService rotation, CurrentActor actor) {
        this.rotation = rotation;
        this.actor = actor;
    }

    @POST
    @Path("re-encrypt")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Re-encrypt every credential sealed by an older key with the active key",
            description = "Run after configuring a new windlass.registry.encryption.active-key-id; old keys can be"
                    + " removed once this reports no failures.")
    @APIResponse(responseCode = "200", description = "What was re-encrypted")
    public Uni<ReEncryptResult> reEncrypt() {
        return rotation.reEncrypt(actor.get());
    }
}
