package dev.windlass.gateway.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Who is signed in: from the browser session's ID token, or from the bearer access token. */
@Path("/api/me")
@Authenticated
public class MeResource {

    private final SecurityIdentity identity;

    MeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in user's name, email, groups and Windlass roles")
    public Me me() {
        return Users.describe(identity);
    }

    /** Reads a {@link Me} from an identity; shared with the console page. */
    public static final class Users {
        private Users() {}

        public static Me describe(SecurityIdentity identity) {
            String name = identity.getPrincipal().getName();
            String email = null;
            List<String> groups = List.of();
            if (identity.getPrincipal() instanceof JsonWebToken token) {
                String preferred = token.getClaim("preferred_username");
                name = preferred != null ? preferred : name;
                email = token.getClaim("email");
                groups = strings(token.getClaim("groups"));
            }
            List<String> roles = new ArrayList<>(identity.getRoles());
            roles.removeAll(groups);
            roles.sort(null);
            return new Me(name, email, groups, List.copyOf(roles));
        }

        private static List<String> strings(Object claim) {
            List<String> values = new ArrayList<>();
            if (claim instanceof Collection<?> collection) {
                for (Object value : collection) {
                    values.add(value instanceof jakarta.json.JsonString s ? s.getString() : String.valueOf(value));
                }
            } else if (claim != null) {
                values.add(String.valueOf(claim));
            }
            values.sort(null);
            return List.copyOf(values);
        }
    }
}
