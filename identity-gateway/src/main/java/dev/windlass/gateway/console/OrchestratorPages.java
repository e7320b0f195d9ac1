package dev.windlass.gateway.console;

import dev.windlass.gateway.web.RequestIds;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Console pages for orchestrators: list, add, edit, delete, test the connection. Backed by registry-service. */
@Path(Paths.CONSOLE + "/orchestrators")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("viewer")
public class OrchestratorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Viewer viewer, List<OrchestratorView> orchestrators);

        static native TemplateInstance rows(Viewer viewer, List<OrchestratorView> orchestrators);

        static native TemplateInstance form(Viewer viewer, OrchestratorForm form, Problem problem);

        static native TemplateInstance detail(Viewer viewer, OrchestratorView orchestrator, Problem problem);

        static native TemplateInstance delete(Viewer viewer, OrchestratorView orchestrator, String apps);

        static native TemplateInstance status(Viewer viewer, OrchestratorView orchestrator);

        /** {@code newer} and {@code older}: the neighbouring page numbers, -1 where there is none. */
        static native TemplateInstance audit(
                Viewer viewer, OrchestratorView orchestrator, List<AuditEntryView> entries, int newer, int older);
    }

    /** Audit entries per page of an orchestrator's audit trail. */
    static final int AUDIT_PAGE_SIZE = 50;

    private static final String API = "/api/orchestrators";

    private final ConsoleClient client;
    private final SecurityIdentity identity;

    OrchestratorPages(ConsoleClient client, SecurityIdentity identity) {
        this.client = client;
        this.identity = identity;
    }

    @GET
    @Operation(hidden = true)
    public Uni<Response> list(@Context HttpHeaders headers) {
        Viewer viewer = viewer();
        return orchestrators(headers, viewer, items -> Templates.list(viewer, items));
    }

    /** The list's table alone, which the list page fetches again whenever an orchestrator changes. */
    @GET
    @Path("rows")
    @Operation(hidden = true)
    public Uni<Response> rows(@Context HttpHeaders headers) {
        Viewer viewer = viewer();
        return orchestrators(headers, viewer, items -> Templates.rows(viewer, items));
    }

    private Uni<Response> orchestrators(
            HttpHeaders headers, Viewer viewer, Function<List<OrchestratorView>, TemplateInstance> page) {
        return call(caller(headers), HttpMethod.GET, API + "?size=100", null).map(reply -> {
            if (!reply.ok()) {
                return error(viewer, reply);
            }
            List<OrchestratorView> items = new ArrayList<>();
            for (Object item : reply.json().getJsonArray("items")) {
                items.add(OrchestratorView.from((JsonObject) item));
            }
            return Response.ok(page.apply(items)).build();
        });
    }

    @GET
    @Path("new")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public TemplateInstance addForm() {
        Viewer viewer = viewer();
        return Templates.form(viewer, OrchestratorForm.empty(), Problem.NONE);
    }

    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> create(@Context HttpHeaders headers, MultivaluedMap<String, String> form) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        return call(caller, HttpMethod.POST, API, OrchestratorForm.request(form))
                .map(reply -> {
                    if (reply.ok()) {
                        return seeOther(
                                Paths.CONSOLE + "/orchestrators/" + reply.json().getString("id"));
                    }
                    if (reply.status() == 400 || reply.status() == 409) {
                        return Response.status(reply.status())
                                .entity(Templates.form(viewer, OrchestratorForm.posted(form, null), reply.problem()))
                                .build();
                    }
                    return error(viewer, reply);
                });
    }

    @GET
    @Path("{id}")
    @Operation(hidden = true)
    public Uni<Response> detail(@Context HttpHeaders headers, @PathParam("id") String id) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        return fetch(caller, id).map(reply -> render(viewer, reply, o -> Templates.detail(viewer, o, Problem.NONE)));
    }

    /** The connection section of an orchestrator's page, which the page fetches again when the orchestrator changes. */
    @GET
    @Path("{id}/connection")
    @Operation(hidden = true)
    public Uni<Response> connection(@Context HttpHeaders headers, @PathParam("id") String id) {
        Viewer viewer = viewer();
        return fetch(caller(headers), id).map(reply -> render(viewer, reply, o -> Templates.status(viewer, o)));
    }

    @GET
    @Path("{id}/audit")
    @Operation(hidden = true)
    public Uni<Response> audit(
            @Context HttpHeaders headers, @PathParam("id") String id, @QueryParam("page") String page) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        int number = pageNumber(page);
        return fetch(caller, id).flatMap(orchestrator -> {
            if (!orchestrator.ok()) {
                return Uni.createFrom().item(error(viewer, orchestrator));
            }
            return call(
                            caller,
                            HttpMethod.GET,
                            API + "/" + Paths.segment(id) + "/audit?size=" + AUDIT_PAGE_SIZE + "&page=" + number,
                            null)
                    .map(reply -> {
                        if (!reply.ok()) {
                            return error(viewer, reply);
                        }
                        JsonObject answer = reply.json();
                        long total = answer.getLong("total", 0L);
                        return Response.ok(Templates.audit(
                                        viewer,
                                        OrchestratorView.from(orchestrator.json()),
                                        AuditEntryView.from(answer.getJsonArray("items", new JsonArray())),
                                        number - 1,
                                        (long) (number + 1) * AUDIT_PAGE_SIZE < total ? number + 1 : -1))
                                .build();
                    });
        });
    }

    /** A page number from the query, 0 when absent or not a number the registry would take. */
    private static int pageNumber(String page) {
        try {
            return page == null ? 0 : Math.max(0, Integer.parseInt(page.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @GET
    @Path("{id}/edit")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public Uni<Response> editForm(@Context HttpHeaders headers, @PathParam("id") String id) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        return fetch(caller, id)
                .map(reply -> reply.ok()
                        ? Response.ok(Templates.form(
                                        viewer, OrchestratorForm.of(OrchestratorView.from(reply.json())), Problem.NONE))
                                .build()
                        : error(viewer, reply));
    }

    @POST
    @Path("{id}")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> update(
            @Context HttpHeaders headers, @PathParam("id") String id, MultivaluedMap<String, String> form) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        String version = OrchestratorForm.text(form, "version");
        return fetch(caller, id).chain(stored -> {
            if (!stored.ok()) {
                return Uni.createFrom().item(error(viewer, stored));
            }
            OrchestratorView current = OrchestratorView.from(stored.json());
            return client.registry(
                            caller,
                            HttpMethod.PUT,
                            API + "/" + Paths.segment(id),
                            OrchestratorForm.request(form),
                            Map.of("If-Match", "\"" + version + "\""))
                    .map(reply -> {
                        if (reply.ok()) {
                            return seeOther(Paths.CONSOLE + "/orchestrators/" + Paths.segment(id));
                        }
                        if (reply.status() == 400 || reply.status() == 409 || reply.status() == 412) {
                            Problem problem = reply.status() == 412
                                    ? new Problem(
                                            412,
                                            "Someone changed this orchestrator meanwhile: reload the page and edit"
                                                    + " again.",
                                            Map.of(),
                                            List.of())
                                    : reply.problem();
                            return Response.status(reply.status())
                                    .entity(Templates.form(viewer, OrchestratorForm.posted(form, current), problem))
                                    .build();
                        }
                        return error(viewer, reply);
                    });
        });
    }

    @GET
    @Path("{id}/delete")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public Uni<Response> confirmDelete(@Context HttpHeaders headers, @PathParam("id") String id) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        return fetch(caller, id).map(reply -> render(viewer, reply, o -> Templates.delete(viewer, o, null)));
    }

    @POST
    @Path("{id}/delete")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public Uni<Response> delete(
            @Context HttpHeaders headers, @PathParam("id") String id, @FormParam("cascade") String cascade) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        String path = API + "/" + Paths.segment(id);
        String query = cascade == null || cascade.isBlank() ? "" : "?cascade=" + Paths.query(cascade);
        return call(caller, HttpMethod.DELETE, path + query, null).chain(reply -> {
            if (reply.status() == 202) {
                // its apps are being undeployed: its page says so until it is gone
                return Uni.createFrom().item(seeOther(Paths.CONSOLE + "/orchestrators/" + Paths.segment(id)));
            }
            if (reply.ok()) {
                return Uni.createFrom().item(seeOther(Paths.CONSOLE + "/orchestrators"));
            }
            if (reply.status() != 409) {
                return Uni.createFrom().item(error(viewer, reply));
            }
            // it still has apps: ask again, naming them, with both ways out
            String apps = reply.problem().detail();
            return fetch(caller, id)
                    .map(found -> found.ok()
                            ? Response.status(409)
                                    .entity(Templates.delete(viewer, OrchestratorView.from(found.json()), apps))
                                    .build()
                            : error(viewer, found));
        });
    }

    @POST
    @Path("{id}/test-connection")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public Uni<Response> testConnection(@Context HttpHeaders headers, @PathParam("id") String id) {
        Viewer viewer = viewer();
        ConsoleClient.Caller caller = caller(headers);
        boolean htmx = headers.getHeaderString("HX-Request") != null;
        String path = API + "/" + Paths.segment(id);
        return call(caller, HttpMethod.POST, path + "/test-connection", null).chain(tested -> {
            if (!tested.ok()) {
                return Uni.createFrom().item(error(viewer, tested));
            }
            if (!htmx) {
                return Uni.createFrom().item(seeOther(Paths.CONSOLE + "/orchestrators/" + Paths.segment(id)));
            }
            return call(caller, HttpMethod.GET, path, null)
                    .map(reply -> render(viewer, reply, o -> Templates.status(viewer, o)));
        });
    }

    private Uni<Reply> fetch(ConsoleClient.Caller caller, String id) {
        return call(caller, HttpMethod.GET, API + "/" + Paths.segment(id), null);
    }

    private Uni<Reply> call(ConsoleClient.Caller caller, HttpMethod method, String path, JsonObject body) {
        return client.registry(caller, method, path, body);
    }

    private ConsoleClient.Caller caller(HttpHeaders headers) {
        return ConsoleClient.Caller.of(identity, requestId(headers));
    }

    private Viewer viewer() {
        return Viewer.of(identity);
    }

    /** The page {@code page} makes of the orchestrator the registry answered, or the error page of its answer. */
    private static Response render(Viewer viewer, Reply reply, Function<OrchestratorView, TemplateInstance> page) {
        return reply.ok()
                ? Response.ok(page.apply(OrchestratorView.from(reply.json()))).build()
                : error(viewer, reply);
    }

    private static Response error(Viewer viewer, Reply reply) {
        return ConsoleErrors.page(viewer, reply);
    }

    static String requestId(HttpHeaders headers) {
        return headers.getHeaderString(RequestIds.HEADER);
    }

    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
