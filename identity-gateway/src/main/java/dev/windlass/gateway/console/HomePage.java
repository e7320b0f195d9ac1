package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The console's start page (who is signed in, where to go) and the page after signing out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    private final SecurityIdentity identity;

    HomePage(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance home() {
        return ConsoleTemplates.home(Viewer.of(identity));
    }

    @GET
    @Path("signed-out")
    @PermitAll
    @Operation(hidden = true)
    public TemplateInstance signedOut() {
        return ConsoleTemplates.signedOut();
    }
}
