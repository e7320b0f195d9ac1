package dev.windlass.deployer.rest;

import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.repository.DeploymentRepository.Filter;
import dev.windlass.deployer.service.PhaseStream;
import dev.windlass.deployer.service.QueryService;
import dev.windlass.deployer.service.RequestService;
import dev.windlass.deployer.service.ValidationFailedException;
import dev.windlass.events.validation.Rules;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Deployments: ask for one, list them, read one with its history, follow its phases live. */
@Path("/api/deployments")
@Tag(name = "Deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    /** Header that makes a POST safe to repeat. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Rule of a value outside a fixed set. */
    static final String ONE_OF = "one-of";

    private final RequestService requests;
    private final QueryService queries;
    private final PhaseStream phases;
    private final CurrentCaller caller;

    public DeploymentResource(RequestService requests, QueryService queries, PhaseStream phases, CurrentCaller caller) {
        this.requests = requests;
        this.queries = queries;
        this.phases = phases;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DEPLOYER, Roles.ADMIN})
    @Operation(summary = "Deploy an app: store the request (PENDING) and answer before it is carried out")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the deployment")
    @APIResponse(responseCode = "400", description = "The body breaks a rule; each violation names its field")
    @APIResponse(responseCode = "403", description = "Not a deployer, or none of your groups may use the orchestrator")
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for another request")
    public Uni<Response> deploy(DeploymentRequestBody body, @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey) {
        if (body == null) {
            throw new ValidationFailedException("body", Rules.REQUIRED, "is required");
        }
        return requests.deploy(caller.get(), body.orchestrator(), body.namespace(), body.spec(), idempotencyKey)
                .map(submitted ->
                        accepted(submitted.deployment().id, DeploymentResponse.summary(submitted.deployment())));
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the deployments in your destinations (every one for admins), newest first")
    public Uni<DeploymentPage> list(
            @RestQuery String orchestrator,
            @RestQuery String namespace,
            @RestQuery String app,
            @RestQuery String phase,
            @RestQuery Integer page,
            @RestQuery Integer size) {
        Filter filter = new Filter(orchestrator, namespace, app, state(phase));
        return queries.list(caller.get(), filter, page, size).map(DeploymentPage::from);
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One deployment with its spec (secret values masked) and phase history")
    @APIResponse(responseCode = "404", description = "No deployment has this id, or it is outside your destinations")
    public Uni<DeploymentResponse> get(@RestPath UUID id) {
        return queries.get(caller.get(), id).map(DeploymentResponse::details);
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The deployment's phases as server-sent events: past ones, then live; ends after a final one")
    @APIResponse(responseCode = "404", description = "No deployment has this id, or it is outside your destinations")
    @APIResponse(responseCode = "429", description = "The caller has its most event streams open")
    @Blocking
    public Multi<PhaseResponse> events(@RestPath UUID id) {
        return phases.of(id, caller.get()).map(PhaseResponse::from);
    }

    static Response accepted(UUID id, Object body) {
        return Response.accepted(body)
                .location(URI.create("/api/deployments/" + id))
                .build();
    }

    private static DeploymentState state(String phase) {
        if (phase == null || phase.isBlank()) {
            return null;
        }
        try {
            return DeploymentState.valueOf(phase.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationFailedException(
                    "phase", ONE_OF, "must be one of " + Arrays.toString(DeploymentState.values()));
        }
    }
}
