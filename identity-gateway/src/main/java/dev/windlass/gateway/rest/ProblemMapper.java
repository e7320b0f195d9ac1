package dev.windlass.gateway.rest;

import dev.windlass.gateway.web.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every exception escaping a REST resource into a problem+json response, statuses from {@link ProblemStatus}. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper(priority = Integer.MAX_VALUE - 1)
    public Response map(Throwable failure, HttpServerRequest request) {
        int status = ProblemStatus.of(failure);
        String detail;
        if (status >= 500) {
            LOG.errorf(failure, "%s %s failed", request.method(), request.path());
            detail = "The gateway could not complete the request; the request id identifies it in the logs.";
        } else {
            detail = ProblemWriter.clientDetail(status, failure.getMessage());
        }
        Problem problem = Problem.of(status, detail, request.path(), RequestIds.current(request));
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
