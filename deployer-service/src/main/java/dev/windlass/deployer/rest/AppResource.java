package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.AppStatusService;
import dev.windlass.deployer.service.AppStatusStream;
import dev.windlass.deployer.service.QueryService;
import dev.windlass.deployer.service.RequestService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** One app on one orchestrator and namespace: its live status, its revisions, rolling it back, undeploying it. */
@Path("/api/apps/{orchestrator}/{namespace}/{app}")
@Tag(name = "Apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppResource {

    private final RequestService requests;
    private final QueryService queries;
    private final AppStatusService statuses;
    private final AppStatusStream statusStream;
    private final CurrentCaller caller;

    public AppResource(
            RequestService requests,
            QueryService queries,
            AppStatusService statuses,
            AppStatusStream statusStream,
            CurrentCaller caller) {
        this.requests = requests;
        this.queries = queries;
        this.statuses = statuses;
        this.statusStream = statusStream;
        this.caller = caller;
    }

    @GET
    @Path("revisions")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The app's revisions, newest first, failed attempts included")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    @APIResponse(responseCode = "404", description = "The app has no revisions")
    public Uni<List<RevisionResponse>> revisions(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app) {
        return queries.revisions(caller.get(), orchestrator, namespace, app)
                .map(list -> list.stream().map(RevisionResponse::from).toList());
    }

    @GET
    @Path("status")
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "The app's objects as the cluster has them now, each with its health, and the app's health",
            description = "Health states and rules as Argo CD's: Healthy, Suspended, Progressing, Missing, Degraded,"
                    + " Unknown; the app's is the worst of its objects' and of its Pods'. See docs/api.md.")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    @APIResponse(responseCode = "404", description = "The app was never deployed there, or was undeployed")
    public Uni<AppStatusResponse> status(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app) {
        return statuses.status(caller.get(), orchestrator, namespace, app).map(AppStatusResponse::from);
    }

    @GET
    @Path("status/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "The app's status as server-sent events: now, then each time it changes in the cluster",
            description = "Each event is the status as GET status answers it, sent when a Deployment or Pod of the"
                    + " app changed and the status differs from the last one sent. Ends after the stream age limit,"
                    + " on undeploy, or when the orchestrator's connection changes; reconnect to go on.")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    @APIResponse(responseCode = "404", description = "The app was never deployed there, or was undeployed")
    @APIResponse(responseCode = "429", description = "The caller has its most event streams open")
    @Blocking
    public Multi<AppStatusResponse> statusStream(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app) {
        return statusStream.of(caller.get(), orchestrator, namespace, app).map(AppStatusResponse::from);
    }

    @GET
    @Path("pods/{pod}/log/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "Follow a container's log: each line it writes from now on as a server-sent event",
            description = "After the last tailLines lines (0 to 5000, default 0); the app's secret values masked;"
                    + " ends when the log ends, after the stream age limit or after 8 MiB. See docs/api.md.")
    @APIResponse(responseCode = "400", description = "tailLines is out of range")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    @APIResponse(responseCode = "404", description = "The app, its Pod or the container is not there")
    @APIResponse(responseCode = "429", description = "The caller has its most event streams open")
    @APIResponse(responseCode = "502", description = "The cluster could not be read")
    @Blocking
    public Multi<String> followLog(
            @RestPath String orchestrator,
            @RestPath String namespace,
            @RestPath String app,
            @RestPath String pod,
            @RestQuery String container,
            @RestQuery Integer tailLines) {
        return statusStream.log(caller.get(), orchestrator, namespace, app, pod, container, tailLines);
    }

    @GET
    @Path("events")
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "The Kubernetes events about the app's objects, Pods and ReplicaSets, newest first",
            description = "limit 1-500 (default 50); secret values masked. See docs/api.md.")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    @APIResponse(responseCode = "404", description = "The app was never deployed there, or was undeployed")
    @APIResponse(responseCode = "502", description = "The cluster could not answer")
    public Uni<List<ClusterEventResponse>> events(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app, @RestQuery Integer limit) {
        return statuses.events(caller.get(), orchestrator, namespace, app, limit)
                .map(list -> list.stream().map(ClusterEventResponse::from).toList());
    }

    @GET
    @Path("pods/{pod}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "The last lines a container of one of the app's Pods wrote, secret values masked",
            description = "Read through the API server's pods/log; tailLines 1-5000 (default 200), at most 1 MiB;"
                    + " previous=true for the container's previous run. See docs/api.md.")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    @APIResponse(responseCode = "404", description = "No such Pod of the app, or no such container")
    @APIResponse(responseCode = "502", description = "The cluster could not answer")
    public Uni<String> log(
            @RestPath String orchestrator,
            @RestPath String namespace,
            @RestPath String app,
            @RestPath String pod,
            @RestQuery String container,
            @RestQuery Integer tailLines,
            @RestQuery boolean previous) {
        return statuses.logs(caller.get(), orchestrator, namespace, app, pod, container, tailLines, previous);
    }

    @POST
    @Path("rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DEPLOYER, Roles.ADMIN})
    @Operation(summary = "Apply an earlier revision's spec again, as a new revision")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the deployment")
    @APIResponse(responseCode = "404", description = "The app has no such revision")
    public Uni<Response> rollback(
            @RestPath String orchestrator,
            @RestPath String namespace,
            @RestPath String app,
            RollbackBody body,
            @RestHeader(DeploymentResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        Integer revision = body == null ? null : body.revision();
        return requests.rollback(caller.get(), orchestrator, namespace, app, revision, idempotencyKey)
                .map(s -> DeploymentResource.accepted(s.deployment().id, DeploymentResponse.summary(s.deployment())));
    }

    @POST
    @Path("image")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DEPLOYER, Roles.ADMIN})
    @Operation(
            summary = "Apply the app's newest revision again with another image, as a new revision",
            description = "Everything else of the revision (env, secret values, ports, ingress, volumes) stays as it"
                    + " is; what an image watcher or a pipeline that only built an image sends. See docs/api.md.")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the deployment")
    @APIResponse(responseCode = "400", description = "The image is missing or not an image reference")
    @APIResponse(responseCode = "404", description = "The app was never deployed there, or was undeployed")
    public Uni<Response> updateImage(
            @RestPath String orchestrator,
            @RestPath String namespace,
            @RestPath String app,
            ImageUpdateBody body,
            @RestHeader(DeploymentResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        String image = body == null ? null : body.image();
        return requests.updateImage(caller.get(), orchestrator, namespace, app, image, idempotencyKey)
                .map(s -> DeploymentResource.accepted(s.deployment().id, DeploymentResponse.summary(s.deployment())));
    }

    @DELETE
    @RolesAllowed({Roles.DEPLOYER, Roles.ADMIN})
    @Operation(summary = "Undeploy: remove every object Windlass created for the app")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the deployment")
    @APIResponse(responseCode = "404", description = "The app was never deployed there")
    public Uni<Response> undeploy(
            @RestPath String orchestrator,
            @RestPath String namespace,
            @RestPath String app,
            @RestHeader(DeploymentResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        return requests.undeploy(caller.get(), orchestrator, namespace, app, idempotencyKey)
                .map(s -> DeploymentResource.accepted(s.deployment().id, DeploymentResponse.summary(s.deployment())));
    }
}
