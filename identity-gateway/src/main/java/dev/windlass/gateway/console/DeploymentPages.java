package dev.windlass.gateway.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Console pages for deployments and apps: list, deploy, follow a deployment, an app's live status and revisions, roll
 * back, undeploy.
 */
@Path(Paths.CONSOLE)
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("viewer")
public class DeploymentPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(
                Viewer viewer, List<DeploymentView> deployments, Map<String, String> filters, List<String> phases);

        static native TemplateInstance deploy(Viewer viewer, DeployForm form, Problem problem);

        static native TemplateInstance deployment(Viewer viewer, DeploymentView deployment);

        static native TemplateInstance app(
                Viewer viewer,
                String orchestrator,
                String orchestratorName,
                String namespace,
                String app,
                AppHealthView health,
                List<AppEventView> events,
                List<RevisionView> revisions,
                List<ImageUpdateView> imageUpdates,
                ImagePollView poll);

        /** The app page's live status section alone, which the page swaps in when the app's status changes. */
        static native TemplateInstance live(String orchestrator, String namespace, String app, AppHealthView health);

        static native TemplateInstance undeploy(Viewer viewer, String orchestrator, String namespace, String app);

        static native TemplateInstance log(
                Viewer viewer,
                String orchestrator,
                String namespace,
                String app,
                String pod,
                boolean previous,
                String text);
    }

    /** Kubernetes events an app's page lists. */
    static final int EVENTS = 20;

    /** Lines of a container's log the console shows. */
    static final int LOG_LINES = 500;

    static final List<String> PHASES =
            List.of("PENDING", "ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED", "FAILED", "SUPERSEDED", "DELETED");

    private final ConsoleClient client;
    private final SecurityIdentity identity;

    DeploymentPages(ConsoleClient client, SecurityIdentity identity) {
        this.client = client;
        this.identity = identity;
    }

    @GET
    @Path("deployments")
    @Operation(hidden = true)
    public Uni<Response> list(
            @Context HttpHeaders headers,
            @QueryParam("orchestrator") String orchestrator,
            @QueryParam("namespace") String namespace,
            @QueryParam("app") String app,
            @QueryParam("phase") String phase) {
        Viewer viewer = Viewer.of(identity);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("orchestrator", blankToEmpty(orchestrator));
        filters.put("namespace", blankToEmpty(namespace));
        filters.put("app", blankToEmpty(app));
        filters.put("phase", blankToEmpty(phase));
        StringBuilder query = new StringBuilder("?size=100");
        filters.forEach((key, value) -> {
            if (!value.isEmpty()) {
                query.append('&').append(key).append('=').append(Paths.query(value));
            }
        });
        return client.deployer(caller(headers), HttpMethod.GET, "/api/deployments" + query, null)
                .map(reply -> {
                    if (!reply.ok()) {
                        return ConsoleErrors.page(viewer, reply);
                    }
                    List<DeploymentView> items = new ArrayList<>();
                    for (Object item : reply.json().getJsonArray("items", new JsonArray())) {
                        items.add(DeploymentView.from((JsonObject) item));
                    }
                    return Response.ok(Templates.list(viewer, items, filters, PHASES))
                            .build();
                });
    }

    @GET
    @Path("deployments/new")
    @RolesAllowed("deployer")
    @Operation(hidden = true)
    public Uni<Response> deployForm(
            @Context HttpHeaders headers,
            @QueryParam("orchestrator") String orchestrator,
            @QueryParam("namespace") String namespace) {
        Viewer viewer = Viewer.of(identity);
        return orchestratorNames(caller(headers))
                .map(names -> Response.ok(Templates.deploy(
                                viewer, DeployForm.empty(names, orchestrator, namespace), Problem.NONE))
                        .build());
    }

    @POST
    @Path("deployments")
    @RolesAllowed("deployer")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> deploy(@Context HttpHeaders headers, MultivaluedMap<String, String> form) {
        Viewer viewer = Viewer.of(identity);
        ConsoleClient.Caller caller = caller(headers);
        DeployForm.Result result = DeployForm.request(form);
        if (result.problem().present()) {
            return orchestratorNames(caller)
                    .map(names -> Response.status(400)
                            .entity(Templates.deploy(viewer, DeployForm.posted(names, form), result.problem()))
                            .build());
        }
        return client.deployer(caller, HttpMethod.POST, "/api/deployments", result.request())
                .chain(reply -> {
                    if (reply.ok()) {
                        return Uni.createFrom()
                                .item(OrchestratorPages.seeOther(Paths.CONSOLE + "/deployments/"
                                        + reply.json().getString("id")));
                    }
                    if (reply.status() == 400 || reply.status() == 403 || reply.status() == 409) {
                        return orchestratorNames(caller)
                                .map(names -> Response.status(reply.status())
                                        .entity(Templates.deploy(
                                                viewer, DeployForm.posted(names, form), reply.problem()))
                                        .build());
                    }
                    return Uni.createFrom().item(ConsoleErrors.page(viewer, reply));
                });
    }

    @GET
    @Path("deployments/{id}")
    @Operation(hidden = true)
    public Uni<Response> deployment(@Context HttpHeaders headers, @PathParam("id") String id) {
        Viewer viewer = Viewer.of(identity);
        return client.deployer(caller(headers), HttpMethod.GET, "/api/deployments/" + Paths.segment(id), null)
                .map(reply -> reply.ok()
                        ? Response.ok(Templates.deployment(viewer, DeploymentView.from(reply.json())))
                                .build()
                        : ConsoleErrors.page(viewer, reply));
    }

    @GET
    @Path("apps/{orchestrator}/{namespace}/{app}")
    @Operation(hidden = true)
    public Uni<Response> app(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app) {
        Viewer viewer = Viewer.of(identity);
        ConsoleClient.Caller caller = caller(headers);
        return client.deployer(caller, HttpMethod.GET, api(orchestrator, namespace, app) + "/revisions", null)
                .flatMap(reply -> {
                    if (!reply.ok()) {
                        return Uni.createFrom().item(ConsoleErrors.page(viewer, reply));
                    }
                    List<RevisionView> revisions = new ArrayList<>();
                    for (Object item : reply.array()) {
                        revisions.add(RevisionView.from((JsonObject) item));
                    }
                    Uni<AppHealthView> health = health(caller, orchestrator, namespace, app);
                    Uni<List<AppEventView>> events = client.deployer(
                                    caller,
                                    HttpMethod.GET,
                                    api(orchestrator, namespace, app) + "/events?limit=" + EVENTS,
                                    null)
                            .map(answer -> answer.ok() ? AppEventView.from(answer.array()) : List.of());
                    Uni<List<ImageUpdateView>> imageUpdates = client.deployer(
                                    caller, HttpMethod.GET, api(orchestrator, namespace, app) + "/image-updates", null)
                            .map(answer -> answer.ok() ? ImageUpdateView.from(answer.array()) : List.of());
                    // only an app whose spec polls its registry has a poll to show
                    Uni<ImagePollView> poll =
                            revisions.isEmpty() || revisions.get(0).imagePoll().isEmpty()
                                    ? Uni.createFrom().nullItem()
                                    : client.deployer(
                                                    caller,
                                                    HttpMethod.GET,
                                                    api(orchestrator, namespace, app) + "/image-updates/poll",
                                                    null)
                                            .map(answer -> answer.ok() ? ImagePollView.from(answer.json()) : null);
                    return Uni.combine()
                            .all()
                            .unis(health, events, displayName(caller, orchestrator), imageUpdates, poll)
                            .asTuple()
                            .map(all -> Response.ok(Templates.app(
                                            viewer,
                                            orchestrator,
                                            all.getItem3(),
                                            namespace,
                                            app,
                                            all.getItem1(),
                                            all.getItem2(),
                                            revisions,
                                            all.getItem4(),
                                            all.getItem5()))
                                    .build());
                });
    }

    @GET
    @Path("apps/{orchestrator}/{namespace}/{app}/live")
    @Operation(hidden = true)
    public Uni<TemplateInstance> live(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app) {
        return health(caller(headers), orchestrator, namespace, app)
                .map(health -> Templates.live(orchestrator, namespace, app, health));
    }

    private Uni<AppHealthView> health(ConsoleClient.Caller caller, String orchestrator, String namespace, String app) {
        return client.deployer(caller, HttpMethod.GET, api(orchestrator, namespace, app) + "/status", null)
                .map(status -> status.ok()
                        ? AppHealthView.from(status.json())
                        : AppHealthView.unavailable(status.problem().detail()));
    }

    @POST
    @Path("apps/{orchestrator}/{namespace}/{app}/rollback")
    @RolesAllowed("deployer")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> rollback(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app,
            MultivaluedMap<String, String> form) {
        Viewer viewer = Viewer.of(identity);
        int revision;
        try {
            revision =
                    Integer.parseInt(String.valueOf(form.getFirst("revision")).strip());
        } catch (NumberFormatException e) {
            return Uni.createFrom()
                    .item(ConsoleErrors.page(viewer, Reply.failure(400, "Choose a revision to roll back to.")));
        }
        return client.deployer(
                        caller(headers),
                        HttpMethod.POST,
                        api(orchestrator, namespace, app) + "/rollback",
                        new JsonObject().put("revision", revision))
                .map(reply -> accepted(viewer, reply));
    }

    @POST
    @Path("apps/{orchestrator}/{namespace}/{app}/image")
    @RolesAllowed("deployer")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> updateImage(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app,
            MultivaluedMap<String, String> form) {
        Viewer viewer = Viewer.of(identity);
        String image =
                form.getFirst("image") == null ? "" : form.getFirst("image").strip();
        if (image.isEmpty()) {
            return Uni.createFrom()
                    .item(ConsoleErrors.page(viewer, Reply.failure(400, "Give the image to update the app to.")));
        }
        return client.deployer(
                        caller(headers),
                        HttpMethod.POST,
                        api(orchestrator, namespace, app) + "/image",
                        new JsonObject().put("image", image))
                .map(reply -> accepted(viewer, reply));
    }

    @POST
    @Path("apps/{orchestrator}/{namespace}/{app}/image-updates/{id}/approve")
    @Operation(hidden = true)
    public Uni<Response> approveImageUpdate(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app,
            @PathParam("id") String id) {
        Viewer viewer = Viewer.of(identity);
        return client.deployer(
                        caller(headers),
                        HttpMethod.POST,
                        api(orchestrator, namespace, app) + "/image-updates/" + Paths.segment(id) + "/approvals",
                        null)
                .map(reply -> {
                    if (!reply.ok()) {
                        return ConsoleErrors.page(viewer, reply);
                    }
                    String deployment = reply.json().getString("deploymentId");
                    return OrchestratorPages.seeOther(
                            deployment != null
                                    ? Paths.CONSOLE + "/deployments/" + deployment
                                    : Paths.app(orchestrator, namespace, app));
                });
    }

    @GET
    @Path("apps/{orchestrator}/{namespace}/{app}/pods/{pod}/log")
    @Operation(hidden = true)
    public Uni<Response> log(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app,
            @PathParam("pod") String pod,
            @QueryParam("previous") boolean previous) {
        Viewer viewer = Viewer.of(identity);
        String path = api(orchestrator, namespace, app) + "/pods/" + Paths.segment(pod) + "/log?tailLines=" + LOG_LINES
                + (previous ? "&previous=true" : "");
        return client.deployerText(caller(headers), path)
                .map(reply -> reply.ok()
                        ? Response.ok(Templates.log(viewer, orchestrator, namespace, app, pod, previous, reply.body()))
                                .build()
                        : ConsoleErrors.page(viewer, reply));
    }

    @GET
    @Path("apps/{orchestrator}/{namespace}/{app}/undeploy")
    @RolesAllowed("deployer")
    @Operation(hidden = true)
    public TemplateInstance confirmUndeploy(
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app) {
        return Templates.undeploy(Viewer.of(identity), orchestrator, namespace, app);
    }

    @POST
    @Path("apps/{orchestrator}/{namespace}/{app}/undeploy")
    @RolesAllowed("deployer")
    @Operation(hidden = true)
    public Uni<Response> undeploy(
            @Context HttpHeaders headers,
            @PathParam("orchestrator") String orchestrator,
            @PathParam("namespace") String namespace,
            @PathParam("app") String app) {
        Viewer viewer = Viewer.of(identity);
        return client.deployer(caller(headers), HttpMethod.DELETE, api(orchestrator, namespace, app), null)
                .map(reply -> accepted(viewer, reply));
    }

    private static Response accepted(Viewer viewer, Reply reply) {
        return reply.ok()
                ? OrchestratorPages.seeOther(
                        Paths.CONSOLE + "/deployments/" + reply.json().getString("id"))
                : ConsoleErrors.page(viewer, reply);
    }

    /** The orchestrator's name for a page heading: asked of the registry when the path names it by id. */
    private Uni<String> displayName(ConsoleClient.Caller caller, String orchestrator) {
        if (!dev.windlass.common.identity.OrchestratorRef.isId(orchestrator)) {
            return Uni.createFrom().item(orchestrator);
        }
        return client.registry(caller, HttpMethod.GET, "/api/orchestrators/" + Paths.segment(orchestrator), null)
                .map(reply -> reply.ok() ? reply.json().getString("name", orchestrator) : orchestrator)
                .onFailure()
                .recoverWithItem(orchestrator);
    }

    private Uni<List<String>> orchestratorNames(ConsoleClient.Caller caller) {
        return client.registry(caller, HttpMethod.GET, "/api/orchestrators?size=100", null)
                .map(reply -> {
                    List<String> names = new ArrayList<>();
                    if (reply.ok()) {
                        for (Object item : reply.json().getJsonArray("items", new JsonArray())) {
                            names.add(((JsonObject) item).getString("name"));
                        }
                    }
                    return List.copyOf(names);
                });
    }

    private ConsoleClient.Caller caller(HttpHeaders headers) {
        return ConsoleClient.Caller.of(identity, OrchestratorPages.requestId(headers));
    }

    private static String api(String orchestrator, String namespace, String app) {
        return "/api/apps/" + Paths.segment(orchestrator) + "/" + Paths.segment(namespace) + "/" + Paths.segment(app);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
