package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.Api.as;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.common.access.Destinations;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads are scoped like changes: a non-admin lists, reads, follows and sees the revisions of deployments only in the
 * namespaces the orchestrator's destinations give one of its groups. On {@link RegistryStandIn#SHARED}, team x may
 * use {@code team-x-*} and team y {@code team-y}.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ReadScopeTest {

    /** Namespaces the deployments of one app are stored in, a few that each team's patterns nearly match. */
    private static final List<String> NAMESPACES =
            List.of("team-x", "team-x-web", "team-x-default", "team-y", "team-yy", "default", "kube-system", "shop");

    /** An orchestrator the registry no longer knows, and its id. */
    private static final String GONE = "gone";

    private static final UUID GONE_ID = UUID.randomUUID();

    @TestHTTPResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyCallerListsExactlyTheDeploymentsOfItsDestinations() {
        String app = uniqueApp("scope");
        Map<String, UUID> ids = store(app);
        String teamY = DevStack.oidc()
                .accessToken("team-y-viewer", List.of("windlass-viewers", RegistryStandIn.OTHER_TEAM_GROUP));
        String teamX =
                DevStack.oidc().accessToken("team-x-dev", List.of("windlass-deployers", RegistryStandIn.TEAM_GROUP));

        assertThat(listed(teamY, app, null)).containsExactly("team-y");
        assertThat(listed(teamX, app, null)).containsExactly("team-x-web", "team-x-default");
        assertThat(listed(teamX, app, RegistryStandIn.SHARED)).containsExactly("team-x-web", "team-x-default");
        assertThat(listed(teamX, app, GONE)).isEmpty();
        assertThat(listed(Api.token(DevUser.ADMIN), app, null))
                .as("an admin reads everything, an orchestrator that is gone included")
                .containsExactlyInAnyOrderElementsOf(ids.keySet());

        // the list is the write rule, namespace by namespace
        List<dev.windlass.common.access.Destination> destinations =
                RegistryStandIn.current().get(RegistryStandIn.SHARED).destinations();
        List<String> byRule = NAMESPACES.stream()
                .filter(ns -> Destinations.refusal(
                                destinations, false, Set.of(RegistryStandIn.TEAM_GROUP), ns, null, "shared")
                        .isEmpty())
                .toList();
        assertThat(listed(teamX, app, null)).containsExactlyInAnyOrderElementsOf(byRule);
    }

    @Test
    void anotherTeamsDeploymentIsNotFoundItsRevisionsForbiddenItsStreamNotFound() throws Exception {
        String app = uniqueApp("scope");
        Map<String, UUID> ids = store(app);
        String teamY = DevStack.oidc()
                .accessToken("team-y-viewer", List.of("windlass-viewers", RegistryStandIn.OTHER_TEAM_GROUP));
        UUID theirs = ids.get("team-x-web");

        as(teamY)
                .get("/api/deployments/{id}", theirs)
                .then()
                .statusCode(404)
                .body("detail", equalTo("no deployment has id " + theirs));
        as(teamY).get("/api/deployments/{id}", ids.get("team-y")).then().statusCode(200);
        as(Api.token(DevUser.ADMIN)).get("/api/deployments/{id}", theirs).then().statusCode(200);
        as(teamY)
                .get("/api/apps/{o}/{n}/{a}/revisions", RegistryStandIn.SHARED, "team-x-web", app)
                .then()
                .statusCode(403)
                .body(
                        "detail",
                        equalTo("namespace 'team-x-web' is not a destination of your groups on orchestrator"
                                + " 'shared'"));

        // the deployment has a finished history: a stream that is let through sends it at once
        assertThat(streamed(Api.token(DevUser.ADMIN), theirs))
                .startsWith("200 ")
                .contains("SUCCEEDED");
        assertThat(streamed(teamY, theirs))
                .startsWith("404 ")
                .contains("no deployment has id " + theirs)
                .doesNotContain("SUCCEEDED");
        assertThat(streamed(teamY, UUID.randomUUID()))
                .as("an unknown deployment's stream ends at once too")
                .startsWith("404 ");
    }

    /** One SUCCEEDED deployment of {@code app} per namespace on the shared orchestrator, and one on {@link #GONE}. */
    private static Map<String, UUID> store(String app) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        for (String namespace : NAMESPACES) {
            ids.put(namespace, insert(RegistryStandIn.SHARED, namespace, app));
        }
        ids.put(GONE + "/team-y", insert(GONE, "team-y", app));
        return ids;
    }

    private static UUID insert(String orchestrator, String namespace, String app) {
        UUID id = UUID.randomUUID();
        var known = RegistryStandIn.current().get(orchestrator);
        TestDb.update(
                "insert into deployments (id, orchestrator, orchestrator_id, namespace, app, action, phase,"
                        + " requested_by_subject, requested_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, 'APPLY', 'SUCCEEDED', 'someone', now(), now())",
                id,
                orchestrator,
                known != null ? known.id() : GONE_ID,
                namespace,
                app);
        TestDb.update(
                "insert into deployment_phases (deployment_id, phase, message, occurred_at)"
                        + " values (?, 'SUCCEEDED', 'stored by the test', now())",
                id);
        return id;
    }

    /** The namespaces (or {@code gone/<namespace>}) of the app's deployments the token's owner is shown. */
    private static List<String> listed(String token, String app, String orchestrator) {
        var request = as(token).queryParam("app", app).queryParam("size", 100);
        if (orchestrator != null) {
            request = request.queryParam("orchestrator", orchestrator);
        }
        var page = request.get("/api/deployments").then().statusCode(200).extract();
        List<String> orchestrators = page.path("items.orchestrator");
        List<String> namespaces = page.path("items.namespace");
        assertThat(page.<Integer>path("total")).isEqualTo(namespaces.size());
        List<String> shown = new java.util.ArrayList<>();
        for (int i = 0; i < namespaces.size(); i++) {
            shown.add(orchestrators.get(i).equals(GONE) ? GONE + "/" + namespaces.get(i) : namespaces.get(i));
        }
        // newest first; the test stored them in order within the same instant, so compare as sets where it matters
        return shown.stream()
                .sorted((a, b) -> NAMESPACES.indexOf(a) - NAMESPACES.indexOf(b))
                .toList();
    }

    private String streamed(String token, UUID id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/deployments/" + id + "/events"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<String> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
        return response.statusCode() + " " + response.body();
    }
}
