package dev.windlass.gateway.console;

import dev.windlass.gateway.rest.Me;
import dev.windlass.gateway.rest.MeResource;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;

/** Who is looking at a page, and what the page may offer them (the services check every action again). */
@TemplateData
public record Viewer(String name, String email, List<String> roles, boolean admin, boolean deployer) {

    /** The signed-in user of {@code identity}. */
    public static Viewer of(SecurityIdentity identity) {
        Me me = MeResource.Users.describe(identity);
        return new Viewer(me.name(), me.email(), me.roles(), identity.hasRole("admin"), identity.hasRole("deployer"));
    }

    /** The roles as one line. */
    public String rolesText() {
        return String.join(", ", roles);
    }
}
