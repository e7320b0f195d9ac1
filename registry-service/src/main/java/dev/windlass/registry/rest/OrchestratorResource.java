package dev.windlass.registry.rest;

import dev.windlass.common.stream.StreamSlots;
import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.ConnectionStatus;
import dev.windlass.registry.domain.Environment;
import dev.windlass.registry.domain.OrchestratorType;
import dev.windlass.registry.messaging.OrchestratorFeed;
import dev.windlass.registry.service.ConnectionService;
import dev.windlass.registry.service.OrchestratorDeletion;
import dev.windlass.registry.service.OrchestratorFilter;
import dev.windlass.registry.service.OrchestratorInput;
import dev.windlass.registry.service.OrchestratorService;
import dev.windlass.registry.service.PageRequest;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.Violation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Orchestrator records: list, read, register, change, remove, audit trail and connection test. */
@Path("/api/orchestrators")
@Tag(name = "Orchestrators")
@Produces(MediaType.APPLICATION_JSON)
public class OrchestratorResource {

    private final OrchestratorService orchestrators;
    private final OrchestratorDeletion deletions;
    private final ConnectionService connections;
    private final CurrentActor actor;
    private final CallerScope scope;
    private final OrchestratorFeed feed;
    private final StreamSlots slots;
    private final int maxPageSize;
    private final Duration maxStreamAge;

    public OrchestratorResource(
            OrchestratorService orchestrators,
            OrchestratorDeletion deletions,
            ConnectionService connections,
            CurrentActor actor,
            CallerScope scope,
            OrchestratorFeed feed,
            StreamSlots slots,
            RegistryConfig config) {
        this.orchestrators = orchestrators;
        this.deletions = deletions;
        this.connections = connections;
        this.actor = actor;
        this.scope = scope;
        this.feed = feed;
        this.slots = slots;
        this.maxPageSize = config.maxPageSize();
        this.maxStreamAge = config.maxStreamAge();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.DEPLOYER, Roles.VIEWER})
    @Operation(
            summary = "List orchestrators, filtered and paged, sorted by name",
            description = "Admins see every orchestrator; anyone else only those where a destination lists one of"
                    + " their groups (docs/api.md, Registry service).")
    @APIResponse(responseCode = "200", description = "One page")
    @APIResponse(responseCode = "400", description = "A filter or page parameter is invalid", ref = "Problem400")
    public Uni<OrchestratorPage> list(
            @Parameter(schema = @Schema(enumeration = {"K3S", "K8S", "EKS", "GKE", "AKS"})) @QueryParam("type")
                    String type,
            @Parameter(schema = @Schema(enumeration = {"dev", "staging", "prod"})) @QueryParam("environment")
                    String environment,
            @Parameter(
                            description = "Connection status",
                            schema =
                                    @Schema(
                                            enumeration = {
                                                "UNKNOWN",
                                                "CONNECTED",
                                                "UNREACHABLE",
                                                "TLS_ERROR",
                                                "UNAUTHORIZED",
                                                "FORBIDDEN"
                                            }))
                    @QueryParam("status")
                    String status,
            @Parameter(description = "Case-insensitive part of the name") @QueryParam("nameContains")
                    String nameContains,
            @Parameter(
                            description = "Zero-based page index",
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
                    @QueryParam("page")
                    String page,
            @Parameter(
                            description = "Page size, 1 to 100 (default 20)",
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"))
                    @QueryParam("size")
                    String size) {
        List<Violation> violations = new ArrayList<>();
        OrchestratorType t = parse("type", type, v -> enumOrNull(OrchestratorType.class, v), violations);
        Environment e =
                parse("environment", environment, v -> Environment.fromValue(v).orElse(null), violations);
        ConnectionStatus s = parse("status", status, v -> enumOrNull(ConnectionStatus.class, v), violations);
        PageRequest pageRequest;
        try {
            pageRequest = PageRequest.parse(page, size, maxPageSize);
        } catch (ValidationFailedException ex) {
            violations.addAll(ex.violations());
            pageRequest = null;
        }
        if (!violations.isEmpty()) {
            throw new ValidationFailedException(violations);
        }
        return orchestrators
                .list(new OrchestratorFilter(t, e, s, nameContains, scope.visibleTo()), pageRequest)
                .map(OrchestratorPage::of);
    }

    @GET
    @Path("changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.DEPLOYER, Roles.VIEWER})
    @Operation(
            summary = "Orchestrator changes as server-sent events, each as soon as it is committed",
            description = "First a RESYNC (read the list now), then one event per change: orchestratorId and change"
                    + " (CREATED, UPDATED, DELETED, CONNECTION_CHANGED); another RESYNC when changes may have been"
                    + " missed. Read the orchestrator for what changed. Ends after the stream age limit; reconnect"
                    + " to go on. See docs/api.md.")
    @APIResponse(responseCode = "429", description = "The caller has its most event streams open")
    public Multi<OrchestratorFeed.Change> changes() {
        Set<String> visibleTo = scope.visibleTo();
        Runnable release = slots.acquire(actor.get().subject());
        return feed.changes(visibleTo)
                .select()
                .first(maxStreamAge)
                .onTermination()
                .invoke(release);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.DEPLOYER, Roles.VIEWER})
    @Operation(
            summary = "Read one orchestrator (never its credentials)",
            description = "404 for a non-admin when no destination of the orchestrator lists one of their groups.")
    @APIResponse(
            responseCode = "200",
            description = "The orchestrator",
            headers = @Header(name = "ETag", description = "Its version, for If-Match"),
            content = @Content(schema = @Schema(implementation = OrchestratorResponse.class)))
    @APIResponse(responseCode = "404", description = "No such orchestrator", ref = "Problem404")
    public Uni<Response> get(@PathParam("id") UUID id) {
        Set<String> visibleTo = scope.visibleTo();
        return orchestrators
                .get(id)
                .map(o -> CallerScope.require(o, visibleTo))
                .map(o -> Response.ok(OrchestratorResponse.from(o))
                        .tag(ETags.of(o.getVersion()))
                        .build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Register an orchestrator")
    @APIResponse(
            responseCode = "201",
            description = "Registered; Location names it",
            headers = {@Header(name = "Location"), @Header(name = "ETag")},
            content = @Content(schema = @Schema(implementation = OrchestratorResponse.class)))
    @APIResponse(responseCode = "400", description = "A field breaks a rule", ref = "Problem400")
    @APIResponse(responseCode = "409", description = "The name is taken", ref = "Problem409")
    public Uni<Response> create(OrchestratorInput input, @jakarta.ws.rs.core.Context UriInfo uri) {
        return orchestrators
                .create(requireBody(input), actor.get())
                .map(o -> Response.created(uri.getAbsolutePathBuilder()
                                .path(o.getId().toString())
                                .build())
                        .entity(OrchestratorResponse.from(o))
                        .tag(ETags.of(o.getVersion()))
                        .build());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Replace an orchestrator's configuration",
            description = "Needs If-Match with the ETag that was read. Credentials: null or absent keeps the stored"
                    + " value, an empty string clears it.")
    @APIResponse(
            responseCode = "200",
            description = "Updated",
            headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = OrchestratorResponse.class)))
    @APIResponse(responseCode = "400", description = "A field breaks a rule", ref = "Problem400")
    @APIResponse(responseCode = "404", description = "No such orchestrator", ref = "Problem404")
    @APIResponse(responseCode = "409", description = "The name is taken", ref = "Problem409")
    @APIResponse(responseCode = "412", description = "Changed by someone else since it was read", ref = "Problem412")
    @APIResponse(responseCode = "428", description = "If-Match is missing", ref = "Problem428")
    public Uni<Response> update(
            @PathParam("id") UUID id,
            @Parameter(description = "The ETag of the orchestrator as read, e.g. \"3\"", required = true)
                    @HeaderParam(ETags.IF_MATCH)
                    String ifMatch,
            OrchestratorInput input) {
        Long version = ETags.version(ifMatch, true);
        OrchestratorInput body = requireBody(input);
        Uni<Long> expected = version != null
                ? Uni.createFrom().item(version)
                : orchestrators.get(id).map(o -> o.getVersion());
        return expected.chain(v -> orchestrators.update(id, v, body, actor.get()))
                .map(o -> Response.ok(OrchestratorResponse.from(o))
                        .tag(ETags.of(o.getVersion()))
                        .build());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Remove an orchestrator; its audit trail stays. One that still has apps is removed only with a"
                    + " cascade: undeploy (its apps first) or orphan (they keep running, forgotten)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(
            responseCode = "202",
            description =
                    "cascade=undeploy: its apps are being undeployed (listed, with their undeploys); it is removed"
                            + " once they are gone, or the deletion stops with the reason if one cannot be")
    @APIResponse(responseCode = "400", description = "cascade is not undeploy or orphan", ref = "Problem400")
    @APIResponse(responseCode = "404", description = "No such orchestrator", ref = "Problem404")
    @APIResponse(responseCode = "409", description = "It still has apps (named) and no cascade was given")
    @APIResponse(responseCode = "412", description = "If-Match names an older version", ref = "Problem412")
    @APIResponse(responseCode = "503", description = "The deployer cannot say which apps it has; nothing was removed")
    public Uni<Response> delete(
            @PathParam("id") UUID id,
            @Parameter(description = "Optional: only delete this version") @HeaderParam(ETags.IF_MATCH) String ifMatch,
            @Parameter(description = "What becomes of its apps: undeploy or orphan") @QueryParam("cascade")
                    String cascade) {
        Long version = ETags.version(ifMatch, false);
        OrchestratorDeletion.Cascade what = OrchestratorDeletion.Cascade.of(cascade);
        return deletions
                .delete(id, version, actor.get(), what)
                .map(outcome -> outcome.deleted()
                        ? Response.noContent().build()
                        : Response.accepted(outcome.undeploying()).build());
    }

    @GET
    @Path("{id}/audit")
    @RolesAllowed({Roles.ADMIN, Roles.DEPLOYER, Roles.VIEWER})
    @Operation(summary = "Who did what to this orchestrator and when, newest first (connection tests included)")
    @APIResponse(responseCode = "200", description = "One page of entries")
    @APIResponse(responseCode = "400", description = "A page parameter is invalid", ref = "Problem400")
    @APIResponse(responseCode = "404", description = "No such orchestrator", ref = "Problem404")
    public Uni<AuditPage> audit(
            @PathParam("id") UUID id,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("page") String page,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100")) @QueryParam("size")
                    String size) {
        PageRequest pageRequest = PageRequest.parse(page, size, maxPageSize);
        Set<String> visibleTo = scope.visibleTo();
        if (visibleTo != null) {
            // a non-admin reads the trail of an orchestrator it sees now (not of a deleted one: whose it was is gone)
            return orchestrators
                    .get(id)
                    .map(o -> CallerScope.require(o, visibleTo))
                    .chain(() -> orchestrators.audit(id, pageRequest))
                    .map(AuditPage::of);
        }
        return orchestrators.audit(id, pageRequest).map(AuditPage::of);
    }

    @POST
    @Path("{id}/test-connection")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Reach the API server with the stored credentials now; stores and audits the result")
    @APIResponse(
            responseCode = "200",
            description = "The result (also when the cluster could not be reached)",
            content = @Content(schema = @Schema(implementation = OrchestratorResponse.ConnectionResponse.class)))
    @APIResponse(responseCode = "404", description = "No such orchestrator", ref = "Problem404")
    public Uni<OrchestratorResponse.ConnectionResponse> testConnection(@PathParam("id") UUID id) {
        return connections.test(id, actor.get()).map(OrchestratorResponse.ConnectionResponse::from);
    }

    private static OrchestratorInput requireBody(OrchestratorInput input) {
        if (input == null) {
            throw new ValidationFailedException(new Violation("body", "required", "a JSON body is required"));
        }
        return input;
    }

    private static <T> T parse(String field, String value, Function<String, T> parser, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        T parsed = parser.apply(value.strip());
        if (parsed == null) {
            violations.add(new Violation(field, "unknown-value", field + " '" + value + "' is not a known value"));
        }
        return parsed;
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.name().equals(value))
                .findFirst()
                .orElse(null);
    }
}
