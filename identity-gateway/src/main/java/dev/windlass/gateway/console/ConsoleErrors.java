package dev.windlass.gateway.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The error page for an answer the console cannot turn into a form message. */
final class ConsoleErrors {

    private ConsoleErrors() {}

    /** The page for {@code reply}, with the service's status (a missing service is 503). */
    static Response page(Viewer viewer, Reply reply) {
        Problem problem = reply.problem();
        int status = reply.status() >= 400 && reply.status() < 600 ? reply.status() : 502;
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE)
                .entity(ConsoleTemplates.error(viewer, problem))
                .build();
    }
}
