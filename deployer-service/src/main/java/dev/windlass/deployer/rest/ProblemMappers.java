package dev.windlass.deployer.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.windlass.common.problem.ProblemEntry;
import dev.windlass.common.problem.Problems;
import dev.windlass.common.stream.TooManyStreamsException;
import dev.windlass.deployer.service.ClusterReadFailedException;
import dev.windlass.deployer.service.HostClaimedException;
import dev.windlass.deployer.service.IdempotencyConflictException;
import dev.windlass.deployer.service.ImageUpdateClosedException;
import dev.windlass.deployer.service.IntakeRecorder;
import dev.windlass.deployer.service.NotAllowedException;
import dev.windlass.deployer.service.NotFoundException;
import dev.windlass.deployer.service.OrchestratorNotFoundException;
import dev.windlass.deployer.service.RegistryUnavailableException;
import dev.windlass.deployer.service.ValidationFailedException;
import dev.windlass.deployer.service.WebhookRefusedException;
import dev.windlass.events.validation.Violation;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code application/problem+json}; statuses come from {@link ProblemStatusMap}. Details
 * are written here or come from Windlass's own exceptions, never from an unexpected exception's message.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response validation(ValidationFailedException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    /**
     * Jackson reports a body that names a record's field twice ({@code {"revision":1,"revision":2}}) as a definition
     * problem, which Quarkus' own mapper would answer with an empty 500: it is the caller's malformed body.
     */
    @ServerExceptionMapper
    public Response duplicateField(InvalidDefinitionException e, UriInfo uri) {
        return problem(
                new ValidationFailedException("body", "json", "must name each field once"),
                uri,
                "The body names a field more than once",
                List.of(new Violation("body", "json", "must name each field once")));
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? Problems.jsonPath(mapping) : "";
        if (field.isEmpty()) {
            return problem(
                    e,
                    uri,
                    "The body is not valid JSON",
                    List.of(new Violation("body", "json", "must be a JSON document")));
        }
        String message = field + " has the wrong type";
        return problem(e, uri, message, List.of(new Violation(field, "type", "has the wrong type")));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return Problems.challenge(problem(e, uri, "A valid bearer token is required", null));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return Problems.challenge(problem(e, uri, "The bearer token is missing, invalid or expired", null));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(e, uri, "Your roles do not allow this operation", null);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response imageUpdateClosed(ImageUpdateClosedException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response webhookRefused(WebhookRefusedException e, UriInfo uri) {
        LOG.warnf("image webhook %s refused: %s", uri.getPath(), e.getMessage());
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response orchestratorNotFound(OrchestratorNotFoundException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response clusterReadFailed(ClusterReadFailedException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e, UriInfo uri) {
        return problem(e, uri, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response tooManyStreams(TooManyStreamsException e, UriInfo uri) {
        return Response.fromResponse(problem(e, uri, e.getMessage(), null))
                .header("Retry-After", "5")
                .build();
    }

    @ServerExceptionMapper
    public Response hostClaimed(HostClaimedException e, UriInfo uri) {
        return problem(
                e,
                uri,
                e.getMessage(),
                List.of(new Violation("spec.ingress.host", IntakeRecorder.HOST_CLAIMED, e.getMessage())));
    }

    @ServerExceptionMapper
    public Response registryUnavailable(RegistryUnavailableException e, UriInfo uri) {
        LOG.warn(e.getMessage());
        return problem(e, uri, "The orchestrator registry cannot be reached; try again shortly", null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // the JSON reader reports unparsable bodies as a bare 400 with the parser's exception as cause
            return unreadableBody(json, uri);
        }
        ProblemEntry entry = ProblemStatusMap.entryFor(e);
        if (entry.status() >= 500) {
            return unexpected(e, uri);
        }
        return problem(e, uri, entry.title(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        ProblemEntry entry = ProblemStatusMap.entryFor(e);
        if (entry.status() < 500) {
            return problem(e, uri, entry.title(), null);
        }
        if (entry == ProblemStatusMap.UNAVAILABLE) {
            // an outage of a backing service (PostgreSQL restarting): the caller may retry; no stack trace per request
            LOG.warnf(
                    "%s: a backing service refused the connection (%s)",
                    uri.getPath(), e.getClass().getSimpleName());
            return problem(e, uri, "A service this request needs cannot be reached; try again shortly", null);
        }
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return problem(e, uri, "The request failed unexpectedly; the service log has the details", null);
    }

    static Response problem(Throwable e, UriInfo uri, String detail, List<Violation> violations) {
        return Problems.response(ProblemStatusMap.entryFor(e), uri.getPath(), detail, violations);
    }
}
