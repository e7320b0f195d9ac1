package dev.windlass.gateway.web;

import dev.windlass.gateway.rest.Me;
import dev.windlass.gateway.rest.MeResource;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A minimal console: who is signed in, and the way out. The full console replaces these pages. */
@Path("/")
public class ConsolePage {

    private final SecurityIdentity identity;

    ConsolePage(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public String home() {
        Me me = MeResource.Users.describe(identity);
        return page(
                "Windlass",
                "<p>Signed in as <strong id=\"user\">" + escape(me.name()) + "</strong> (<span id=\"email\">"
                        + escape(me.email()) + "</span>)</p>\n<p>Roles: <span id=\"roles\">"
                        + escape(String.join(", ", me.roles())) + "</span></p>\n"
                        + "<p><a id=\"logout\" href=\"/logout\">Sign out</a></p>");
    }

    @GET
    @Path("signed-out")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public String signedOut() {
        return page("Signed out", "<p id=\"signed-out\">You are signed out.</p>\n<p><a href=\"/\">Sign in</a></p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "\n</body>\n</html>\n";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
