package dev.windlass.gateway.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rendering of the console pages against stand-in services: roles, error mapping, escaping, test connection. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class ConsolePagesTest {

    private static final String ID = "4f0c0000-0000-4000-8000-000000000001";

    private static final String ORCHESTRATOR = """
            {"id":"%s","name":"home-k3s","description":"<script>alert('x')</script>","environment":"dev",
             "type":"K3S","apiServerUrl":"https://192.168.1.10:6443","authType":"TOKEN","tokenSet":true,
             "clientCertificateSet":false,"clientKeySet":false,"caCertificateSet":true,"skipTlsVerify":false,
             "metalLbIpRange":"192.168.1.240-192.168.1.250","defaultNamespace":"apps","allowedGroups":["home-lab"],
             "authentikOutpostUrl":"http://ak-outpost.authentik:9000",
             "connection":{"status":"%s","message":"%s","checkedAt":"2026-11-22T00:00:01Z"},"version":3}
            """;

    @AfterEach
    void echoAgain() {
        TestBackends.registry().clearAnswers();
        TestBackends.deployer().clearAnswers();
    }

    @Test
    void listShowsStatusAndReasonAndOffersAddOnlyToAdmins() {
        TestBackends.registry()
                .answer(
                        "GET",
                        "/api/orchestrators",
                        200,
                        "{\"items\":[" + orchestrator("FORBIDDEN", "missing deployments.apps [delete]")
                                + "],\"page\":0,\"size\":100,\"total\":1}");

        String viewer = page(DevUser.VIEWER, "/console/orchestrators", 200);
        assertThat(viewer)
                .contains("home-k3s", "K3S", "Forbidden", "missing deployments.apps [delete]")
                .contains("datetime=\"2026-11-22T00:00:01Z\"")
                .doesNotContain("id=\"add-orchestrator\"");
        assertThat(page(DevUser.ADMIN, "/console/orchestrators", 200)).contains("id=\"add-orchestrator\"");

        // the service was asked with the user's own access token
        var received = TestBackends.registry().received();
        JsonObject last = received.get(received.size() - 1);
        assertThat(last.getString("path")).isEqualTo("/api/orchestrators");
        assertThat(last.getJsonObject("headers").getString("authorization")).startsWith("Bearer ey");
    }

    @Test
    void viewersGetNoAddEditOrDeploy() {
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        String detail = page(DevUser.VIEWER, "/console/orchestrators/" + ID, 200);
        assertThat(detail)
                .doesNotContain("id=\"edit\"")
                .doesNotContain("id=\"delete\"")
                .doesNotContain("id=\"test-connection\"")
                .doesNotContain("id=\"deploy-here\"");
        String admin = page(DevUser.ADMIN, "/console/orchestrators/" + ID, 200);
        assertThat(admin).contains("id=\"edit\"", "id=\"delete\"", "id=\"test-connection\"", "id=\"deploy-here\"");

        page(DevUser.VIEWER, "/console/orchestrators/new", 403);
        page(DevUser.VIEWER, "/console/deployments/new", 403);
        TestBackends.deployer()
                .answer("GET", "/api/deployments", 200, "{\"items\":[],\"page\":0,\"size\":100,\"total\":0}");
        assertThat(page(DevUser.VIEWER, "/console/deployments", 200)).doesNotContain("id=\"deploy\"");
        assertThat(page(DevUser.DEPLOYER, "/console/deployments", 200)).contains("id=\"deploy\"");
    }

    @Test
    void everythingFromAServiceIsEscaped() {
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        String detail = page(DevUser.VIEWER, "/console/orchestrators/" + ID, 200);
        assertThat(detail).doesNotContain("<script>alert").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    }

    @Test
    void registryViolationsAppearBesideTheirFieldsAndCredentialsAreNotEchoed() {
        TestBackends.registry().answer("POST", "/api/orchestrators", 400, """
                        {"type":"urn:windlass:problem:validation","title":"Invalid request","status":400,
                         "detail":"2 fields are invalid","violations":[
                          {"field":"name","rule":"dns-label","message":"name must be a DNS label"},
                          {"field":"skipTlsVerify","rule":"not-allowed-in-prod","message":"skipTlsVerify is refused for prod"}]}
                        """);
        Response response = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .formParam("name", "Bad Name")
                .formParam("environment", "prod")
                .formParam("type", "K8S")
                .formParam("authType", "TOKEN")
                .formParam("token", "super-secret-token")
                .formParam("skipTlsVerify", "true")
                .post("/console/orchestrators");

        assertThat(response.statusCode()).isEqualTo(400);
        String html = response.body().asString();
        assertThat(html)
                .contains("id=\"name-error\"><strong>Error:</strong> name must be a DNS label")
                .contains("id=\"skipTlsVerify-error\"><strong>Error:</strong> skipTlsVerify is refused for prod")
                .contains("aria-invalid=\"true\" aria-describedby=\"name-error\"")
                .contains("role=\"alert\"")
                .contains("value=\"Bad Name\"")
                .doesNotContain("super-secret-token");
    }

    @Test
    void editKeepsCredentialsLeftEmptyAndSendsTheVersionItShowed() {
        TestBackends.registry()
                .answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"))
                .answer("PUT", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        String form = page(DevUser.ADMIN, "/console/orchestrators/" + ID + "/edit", 200);
        assertThat(form)
                .contains("Bearer token (set — leave empty to keep)")
                .contains("name=\"version\" value=\"3\"")
                .contains("value=\"192.168.1.240-192.168.1.250\"")
                .contains("value=\"http://ak-outpost.authentik:9000\"");

        Response saved = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .redirects()
                .follow(false)
                .formParam("version", "3")
                .formParam("name", "home-k3s")
                .formParam("environment", "dev")
                .formParam("type", "K3S")
                .formParam("authType", "TOKEN")
                .formParam("apiServerUrl", "https://192.168.1.10:6443")
                .formParam("token", "")
                .formParam("allowedGroups", "home-lab, ops")
                .post("/console/orchestrators/" + ID);
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.header("Location")).endsWith("/console/orchestrators/" + ID);
        JsonObject put = TestBackends.registry().received().stream()
                .filter(request -> request.getString("method").equals("PUT"))
                .reduce((first, second) -> second)
                .orElseThrow();
        assertThat(put.getJsonObject("headers").getString("if-match")).isEqualTo("\"3\"");
        JsonObject body = new JsonObject(put.getString("body"));
        assertThat(body.containsKey("token")).isFalse();
        assertThat(body.getJsonArray("allowedGroups").getList()).containsExactly("home-lab", "ops");
    }

    @Test
    void deleteAsksFirstThenGoesBackToTheList() {
        TestBackends.registry()
                .answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"))
                .answer("DELETE", "/api/orchestrators/" + ID, 204, "");
        assertThat(page(DevUser.ADMIN, "/console/orchestrators/" + ID + "/delete", 200))
                .contains("Delete home-k3s?")
                .contains("id=\"confirm-delete\"");
        Response deleted = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .redirects()
                .follow(false)
                .post("/console/orchestrators/" + ID + "/delete");
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.header("Location")).endsWith("/console/orchestrators");
    }

    @Test
    void anOrchestratorWithAppsIsDeletedOnlyAfterAChoiceThatNamesThem() {
        TestBackends.registry()
                .answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"))
                .answer("DELETE", "/api/orchestrators/" + ID, 409, """
                        {"type":"urn:windlass:problem:orchestrator-has-apps","status":409,
                         "detail":"orchestrator 'home-k3s' still has 2 app(s): shop/api, shop/web"}
                        """);
        Response asked = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .post("/console/orchestrators/" + ID + "/delete");
        assertThat(asked.statusCode()).isEqualTo(409);
        assertThat(asked.body().asString())
                .contains("still has 2 app(s): shop/api, shop/web")
                .contains("name=\"cascade\" value=\"undeploy\"")
                .contains("name=\"cascade\" value=\"orphan\"")
                .contains("id=\"confirm-undeploy\"")
                .contains("id=\"confirm-orphan\"");

        TestBackends.registry().answer("DELETE", "/api/orchestrators/" + ID, 202, "[]");
        Response undeploying = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .redirects()
                .follow(false)
                .formParam("cascade", "undeploy")
                .post("/console/orchestrators/" + ID + "/delete");
        assertThat(undeploying.statusCode()).isEqualTo(303);
        assertThat(undeploying.header("Location")).endsWith("/console/orchestrators/" + ID);

        TestBackends.registry()
                .answer(
                        "GET",
                        "/api/orchestrators/" + ID,
                        200,
                        orchestrator("CONNECTED", "ok")
                                .replace(
                                        "\"version\":",
                                        "\"deletion\":{\"requestedAt\":\"2026-12-05T10:00:00Z\","
                                                + "\"requestedBy\":{\"subject\":\"s\",\"username\":\"admin\"},"
                                                + "\"stopped\":\"the undeploy of shop/web failed: forbidden\"},"
                                                + "\"version\":"));
        assertThat(page(DevUser.VIEWER, "/console/orchestrators/" + ID, 200))
                .contains("<strong>Deletion stopped:</strong> the undeploy of shop/web failed: forbidden");
    }

    @Test
    void deployFormChecksNumbersItselfAndMapsDeployerPaths() {
        TestBackends.registry()
                .answer("GET", "/api/orchestrators", 200, "{\"items\":[" + orchestrator("CONNECTED", "ok") + "]}");
        Response local = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.DEPLOYER))
                .formParam("orchestrator", "home-k3s")
                .formParam("spec.name", "shop")
                .formParam("spec.image", "nginx:1.27")
                .formParam("spec.ports[0].name", "http")
                .formParam("spec.ports[0].containerPort", "eighty")
                .formParam("spec.secretEnv", "DB_PASSWORD=hunter2")
                .post("/console/deployments");
        assertThat(local.statusCode()).isEqualTo(400);
        assertThat(local.body().asString())
                .contains("id=\"spec.ports[0].containerPort-error\"><strong>Error:</strong> must be a whole number")
                .doesNotContain("hunter2");

        TestBackends.deployer().answer("POST", "/api/deployments", 400, """
                        {"type":"urn:windlass:problem:validation","status":400,"detail":"1 field is invalid",
                         "violations":[{"path":"spec.image","rule":"image","message":"must be an image reference"}]}
                        """);
        Response remote = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.DEPLOYER))
                .formParam("orchestrator", "home-k3s")
                .formParam("spec.name", "shop")
                .formParam("spec.image", "NOT AN IMAGE")
                .post("/console/deployments");
        assertThat(remote.statusCode()).isEqualTo(400);
        assertThat(remote.body().asString())
                .contains("id=\"spec.image-error\"><strong>Error:</strong> must be an image reference")
                .contains("value=\"NOT AN IMAGE\"");
    }

    @Test
    void anOrchestratorsAuditTrailIsAPageOfItsOwnLinkedFromTheOrchestrator() {
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID + "/audit", 200, """
                {"items":[
                  {"id":"a1","orchestratorId":"%1$s","orchestratorName":"home-k3s","action":"CONNECTION_TESTED",
                   "subject":"s-1","username":"admin","occurredAt":"2026-12-06T08:00:00Z",
                   "details":"CONNECTED: Connected to Kubernetes v1.20.2 <b>"},
                  {"id":"a2","orchestratorId":"%1$s","orchestratorName":"home-k3s","action":"UPDATED",
                   "subject":"ci-bot","occurredAt":"2026-12-05T07:00:00Z","details":"changed token (replaced)"}],
                 "page":0,"size":50,"total":51}
                """.formatted(ID));

        assertThat(page(DevUser.VIEWER, "/console/orchestrators/" + ID, 200))
                .contains("<a href=\"/console/orchestrators/" + ID + "/audit\" id=\"audit-link\">Audit trail</a>");
        String audit = page(DevUser.VIEWER, "/console/orchestrators/" + ID + "/audit", 200);
        assertThat(audit)
                .contains("<h1>Audit trail <span class=\"muted\">of home-k3s</span></h1>")
                .contains("<tr data-action=\"CONNECTION_TESTED\">")
                .contains("<time datetime=\"2026-12-06T08:00:00Z\">2026-12-06 08:00:00 UTC</time>")
                .contains("<td data-label=\"Who\">admin</td>")
                .as("no user name: the subject")
                .contains("<td data-label=\"Who\">ci-bot</td>")
                .contains("Kubernetes v1.20.2 &lt;b&gt;")
                .contains("id=\"older\"")
                .doesNotContain("id=\"newer\"");
        assertThat(TestBackends.registry().received().stream()
                        .filter(r -> r.getString("path").endsWith("/audit"))
                        .map(r -> r.getString("query"))
                        .toList())
                .contains("size=50&page=0");
    }

    @Test
    void anAppIsLinkedByItsOrchestratorsIdAndHeadedByItsCurrentName() {
        String deployment = "7d9c0c52-3f8e-4c1a-9a55-2b1e0f6d4a10";
        TestBackends.deployer().answer("GET", "/api/deployments/" + deployment, 200, """
                {"id":"%s","orchestrator":"old-name","orchestratorId":"%s","namespace":"shop","app":"web",
                 "action":"APPLY","phase":"SUCCEEDED","message":"ok","revision":3,
                 "requestedBy":{"subject":"s","username":"deployer"},"requestedAt":"2026-12-05T10:00:00Z","phases":[]}
                """.formatted(deployment, ID));
        assertThat(page(DevUser.VIEWER, "/console/deployments/" + deployment, 200))
                .contains("href=\"/console/apps/" + ID + "/shop/web\" id=\"app-link\"");

        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/web/revisions", 200, "[]");
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/web", 200))
                .contains("<h1>web <span class=\"muted\">on home-k3s / shop</span></h1>");
    }

    @Test
    void anAppsPageShowsItsImageUpdatePolicyAndAnUpdatesPageSaysWhoTookItAndWhy() {
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/web/revisions", 200, """
                [{"revision":2,"deploymentId":"d2","action":"UPDATE_IMAGE","createdAt":"2026-12-06T10:00:00Z",
                  "requestedBy":{"subject":"system:windlass-image-updates","username":"windlass-image-updates"},
                  "spec":{"name":"web","image":"ghcr.io/example/web:1.3.0","imageUpdates":{"policy":"minor"}}},
                 {"revision":1,"deploymentId":"d1","action":"APPLY","createdAt":"2026-12-06T09:00:00Z",
                  "requestedBy":{"subject":"s","username":"deployer"},
                  "spec":{"name":"web","image":"ghcr.io/example/web:1.2.3","imageUpdates":null}}]""");
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/web", 200))
                .contains("<p id=\"image-updates\">Image updates: <strong>minor</strong>")
                .contains("windlass-image-updates")
                .doesNotContain("polled every")
                .doesNotContain("id=\"image-poll\"");

        // an app that polls its registry shows how often, and what the last poll found
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/web/revisions", 200, """
                [{"revision":3,"deploymentId":"d3","action":"APPLY","createdAt":"2026-12-06T11:00:00Z",
                  "requestedBy":{"subject":"s","username":"deployer"},
                  "spec":{"name":"web","image":"ghcr.io/example/web:1.3.0",
                          "imageUpdates":{"policy":"minor","approvals":null,"poll":"PT5M"}}}]""");
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/web/image-updates/poll", 200, """
                {"nextPollAt":"2026-12-06T11:05:00Z","polledAt":"2026-12-06T11:00:00Z",
                 "outcome":"ghcr.io answered 401 for /v2/example/web/tags/list: it wants an account"}""");
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/web", 200))
                .contains("the registry is polled every <strong>PT5M</strong>")
                .contains("<p id=\"image-poll\">Last poll <time datetime=\"2026-12-06T11:00:00Z\">")
                .contains("ghcr.io answered 401 for /v2/example/web/tags/list: it wants an account");

        String deployment = "0b6c1d2e-3f4a-4b5c-8d9e-0f1a2b3c4d5e";
        TestBackends.deployer().answer("GET", "/api/deployments/" + deployment, 200, """
                {"id":"%s","orchestrator":"home-k3s","orchestratorId":"%s","namespace":"shop","app":"web",
                 "action":"UPDATE_IMAGE","phase":"SUCCEEDED","message":"ok","revision":2,
                 "image":"ghcr.io/example/web:1.3.0",
                 "reason":"image update policy minor took ghcr.io/example/web:1.3.0",
                 "requestedBy":{"subject":"system:windlass-image-updates","username":"windlass-image-updates"},
                 "requestedAt":"2026-12-06T10:00:00Z","phases":[]}
                """.formatted(deployment, ID));
        assertThat(page(DevUser.VIEWER, "/console/deployments/" + deployment, 200))
                .contains("<dd id=\"reason\">image update policy minor took ghcr.io/example/web:1.3.0</dd>")
                .contains("windlass-image-updates");
    }

    @Test
    void anAppsPageListsUpdatesWaitingForApprovalsAndApprovingOneGoesToTheApi() {
        String update = "9f8e7d6c-5b4a-4321-8fed-cba987654321";
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/web/revisions", 200, "[]");
        TestBackends.deployer()
                .answer("GET", "/api/apps/" + ID + "/shop/web/image-updates", 200, """
                [{"id":"%s","revision":2,"image":"ghcr.io/example/web:1.3.1","policy":"patch","status":"PENDING",
                  "requiredApprovals":2,"approverGroups":["release-managers"],"deadline":"2026-12-07T10:00:00Z",
                  "approvals":[{"approvedBy":{"subject":"a","username":"alice"},"approvedAt":"2026-12-06T10:00:00Z"}]},
                 {"id":"00000000-0000-4000-8000-000000000001","revision":1,"image":"ghcr.io/example/web:1.3.0",
                  "policy":"patch","status":"EXPIRED","requiredApprovals":2,"approverGroups":["release-managers"],
                  "deadline":"2026-12-05T10:00:00Z","approvals":[]}]""".formatted(update));
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/web", 200))
                .contains("<tr data-update=\"" + update + "\" data-status=\"PENDING\">")
                .contains("1 of 2 <span class=\"muted\">(alice)</span>")
                .contains("action=\"/console/apps/" + ID + "/shop/web/image-updates/" + update + "/approve\"")
                .contains("data-status=\"EXPIRED\"")
                .doesNotContain("image-updates/00000000-0000-4000-8000-000000000001/approve");

        String deployment = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
        TestBackends.deployer()
                .answer(
                        "POST",
                        "/api/apps/" + ID + "/shop/web/image-updates/" + update + "/approvals",
                        200,
                        "{\"id\":\"" + update + "\",\"status\":\"APPROVED\",\"deploymentId\":\"" + deployment + "\"}");
        Response approved = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.VIEWER))
                .redirects()
                .follow(false)
                .post("/console/apps/" + ID + "/shop/web/image-updates/" + update + "/approve");
        assertThat(approved.statusCode()).isEqualTo(303);
        assertThat(approved.header("Location")).endsWith("/console/deployments/" + deployment);
    }

    @Test
    void aDeployerUpdatesAnAppsImageFromItsPageAndAViewerMayNot() {
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/web/revisions", 200, "[]");
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));
        assertThat(page(DevUser.DEPLOYER, "/console/apps/" + ID + "/shop/web", 200))
                .contains("action=\"/console/apps/" + ID + "/shop/web/image\"")
                .contains("id=\"update-image-submit\"");
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/web", 200))
                .doesNotContain("id=\"update-image\"");

        String deployment = "5a0e3f6c-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
        TestBackends.deployer()
                .answer("POST", "/api/apps/" + ID + "/shop/web/image", 202, "{\"id\":\"" + deployment + "\"}");
        Response updated = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.DEPLOYER))
                .redirects()
                .follow(false)
                .formParam("image", " nginx:1.28 ")
                .post("/console/apps/" + ID + "/shop/web/image");
        assertThat(updated.statusCode()).isEqualTo(303);
        assertThat(updated.header("Location")).endsWith("/console/deployments/" + deployment);
        JsonObject sent = TestBackends.deployer().received().stream()
                .filter(request -> request.getString("method").equals("POST")
                        && request.getString("path").endsWith("/image"))
                .reduce((first, second) -> second)
                .orElseThrow();
        assertThat(new JsonObject(sent.getString("body")).getString("image")).isEqualTo("nginx:1.28");

        assertThat(given().auth()
                        .oauth2(DevStack.oidc().accessToken(DevUser.VIEWER))
                        .redirects()
                        .follow(false)
                        .formParam("image", "nginx:1.28")
                        .post("/console/apps/" + ID + "/shop/web/image")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void anAppsPageShowsItsLiveObjectsWithTheirHealthOrWhyThereIsNone() {
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/api/revisions", 200, "[]");
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/api/status", 200, """
                {"orchestrator":"%s","namespace":"shop","app":"api","revision":2,
                 "health":{"status":"Degraded","message":"Pod api-5c7d-x: app: CrashLoopBackOff"},
                 "sync":{"status":"OutOfSync","selfHeal":true,"objects":[{"kind":"Deployment","namespace":"shop","name":"api",
                   "fields":[".spec.replicas"],"reason":"changed by kubectl-edit"}]},
                 "objects":[
                  {"kind":"Deployment","namespace":"shop","name":"api","health":{"status":"Healthy"},"details":{},
                   "children":[{"kind":"ReplicaSet","namespace":"shop","name":"api-5c7d",
                     "health":{"status":"Degraded"},"details":{"pods":"1"},
                     "children":[{"kind":"Pod","namespace":"shop","name":"api-5c7d-x",
                       "health":{"status":"Degraded","message":"app: CrashLoopBackOff"},
                       "details":{"phase":"Running","restarts":"3"},"children":[]}]}]},
                  {"kind":"Secret","namespace":"shop","name":"api-env","details":{},"children":[]}]}
                """.formatted(ID));
        TestBackends.deployer().answer("GET", "/api/apps/" + ID + "/shop/api/events", 200, """
                [{"type":"Warning","reason":"BackOff","message":"Back-off restarting failed container",
                  "object":{"kind":"Pod","name":"api-5c7d-x"},"count":7,
                  "firstSeen":"2026-12-06T05:00:00Z","lastSeen":"2026-12-06T05:09:00Z"}]
                """);
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "ok"));

        String page = page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/api", 200);

        assertThat(page)
                .contains("<p id=\"app-health\"><span class=\"badge badge-bad\" data-status=\"Degraded\">")
                .contains("Pod api-5c7d-x: app: CrashLoopBackOff")
                .contains("<td data-label=\"Object\" class=\"depth-2\">Pod <strong>api-5c7d-x</strong> <a href=")
                .contains("phase: Running, restarts: 3")
                .contains("<p id=\"app-sync\"><span class=\"badge badge-warn\" data-status=\"OutOfSync\">")
                .contains("<li>Deployment api (.spec.replicas): changed by kubectl-edit</li>")
                .contains("<tr data-reason=\"BackOff\">")
                .contains("<span class=\"badge badge-warn\" data-status=\"Warning\">")
                .contains("BackOff <span class=\"muted\">×7</span>")
                .contains("<tr data-kind=\"Secret\" data-name=\"api-env\">")
                .contains("data-status=\"\"><span class=\"sr-only\">Status: </span>No health check</span>");

        assertThat(page)
                .contains("<a href=\"/console/apps/" + ID + "/shop/api/pods/api-5c7d-x/log\" id=\"log-api-5c7d-x\">");
        assertThat(page)
                .as("the section follows the app's status stream and knows where its own markup comes from")
                .contains("<section id=\"live-status\" aria-live=\"polite\" data-events=\"/api/apps/" + ID
                        + "/shop/api/status/stream\" data-fragment=\"/console/apps/" + ID + "/shop/api/live\">")
                .contains("<span class=\"muted\" id=\"self-heal\">Self-heal on");

        // the fragment the page swaps in when the status changes: the same section's markup, alone
        String live = page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/api/live", 200);
        assertThat(live)
                .contains("<p id=\"app-health\"><span class=\"badge badge-bad\" data-status=\"Degraded\">")
                .contains("<tr data-kind=\"Secret\" data-name=\"api-env\">")
                .doesNotContain("<html")
                .doesNotContain("id=\"revisions\"");

        TestBackends.deployer()
                .answer(
                        "GET",
                        "/api/apps/" + ID + "/shop/api/status",
                        404,
                        "{\"status\":404,\"detail\":\"app shop/api on home-k3s was undeployed\"}");
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/api", 200))
                .contains("<p class=\"muted\" id=\"live-unavailable\">app shop/api on home-k3s was undeployed</p>")
                .doesNotContain("id=\"objects\"");
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/api/live", 200))
                .contains("app shop/api on home-k3s was undeployed");
    }

    @Test
    void aPodsLogPageShowsTheTextTheDeployerGaveEscaped() {
        TestBackends.deployer()
                .answer(
                        "GET",
                        "/api/apps/" + ID + "/shop/api/pods/api-5c7d-x/log",
                        200,
                        "started <script>alert(1)</script>\npassword ****\n");
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/api/pods/api-5c7d-x/log", 200))
                .contains("<pre class=\"log\" id=\"log\" tabindex=\"0\" aria-live=\"polite\">")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)")
                .contains("id=\"previous-log\"")
                .as("following is offered (shown by the page's script) for the current run")
                .contains("<button type=\"button\" id=\"follow-log\" hidden data-events=\"/api/apps/" + ID
                        + "/shop/api/pods/api-5c7d-x/log/stream?tailLines=0\">Follow</button>");
        assertThat(TestBackends.deployer().received().stream()
                        .filter(r -> r.getString("path").endsWith("/pods/api-5c7d-x/log"))
                        .map(r -> r.getJsonObject("headers").getString("accept"))
                        .toList())
                .as("the deployer answers a log as text/plain only; asked for JSON it refuses (406)")
                .containsOnly("text/plain, application/problem+json");
        TestBackends.deployer()
                .answer(
                        "GET",
                        "/api/apps/" + ID + "/shop/api/pods/nope/log",
                        404,
                        "{\"status\":404,\"detail\":\"app api has no pod nope in shop\"}");
        assertThat(page(DevUser.VIEWER, "/console/apps/" + ID + "/shop/api/pods/nope/log", 404))
                .contains("app api has no pod nope in shop");
    }

    @Test
    void testConnectionAnswersAFragmentToHtmxAndARedirectOtherwise() {
        TestBackends.registry()
                .answer(
                        "POST",
                        "/api/orchestrators/" + ID + "/test-connection",
                        200,
                        "{\"status\":\"CONNECTED\",\"message\":\"Connected to Kubernetes v1.30\"}")
                .answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("CONNECTED", "Connected to Kubernetes"));
        Response fragment = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .header("HX-Request", "true")
                .post("/console/orchestrators/" + ID + "/test-connection");
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.body().asString())
                .startsWith("<div class=\"connection\" id=\"connection\" aria-live=\"polite\">")
                .contains(">Connected</span>")
                .doesNotContain("<html");

        Response plain = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .redirects()
                .follow(false)
                .post("/console/orchestrators/" + ID + "/test-connection");
        assertThat(plain.statusCode()).isEqualTo(303);
        assertThat(plain.header("Location")).endsWith("/console/orchestrators/" + ID);
    }

    @Test
    void anEmptyListSaysWhyToSomeoneWhoIsNoAdmin() {
        TestBackends.registry()
                .answer("GET", "/api/orchestrators", 200, "{\"items\":[],\"page\":0,\"size\":100,\"total\":0}");
        assertThat(page(DevUser.VIEWER, "/console/orchestrators", 200))
                .contains("No orchestrator is shared with your groups yet");
        assertThat(page(DevUser.ADMIN, "/console/orchestrators", 200))
                .contains("No orchestrators yet. Add the first one.");
    }

    @Test
    void theListAndAnOrchestratorsPageFollowChangesThroughFragmentsOfTheirOwn() {
        TestBackends.registry()
                .answer(
                        "GET",
                        "/api/orchestrators",
                        200,
                        "{\"items\":[" + orchestrator("UNAUTHORIZED", "the token was refused")
                                + "],\"page\":0,\"size\":100,\"total\":1}")
                .answer("GET", "/api/orchestrators/" + ID, 200, orchestrator("UNAUTHORIZED", "the token was refused"));

        assertThat(page(DevUser.VIEWER, "/console/orchestrators", 200))
                .contains("<div id=\"live-orchestrators\" data-changes=\"/api/orchestrators/changes\""
                        + " data-fragment=\"/console/orchestrators/rows\">");
        String rows = page(DevUser.VIEWER, "/console/orchestrators/rows", 200);
        assertThat(rows)
                .startsWith("<table class=\"list\" id=\"orchestrators\">")
                .contains("home-k3s", "Unauthorized", "the token was refused")
                .doesNotContain("<html");

        assertThat(page(DevUser.VIEWER, "/console/orchestrators/" + ID, 200))
                .contains("<div id=\"live-connection\" data-changes=\"/api/orchestrators/changes\" data-fragment=\""
                        + "/console/orchestrators/" + ID + "/connection\" data-orchestrator=\"" + ID + "\">");
        assertThat(page(DevUser.VIEWER, "/console/orchestrators/" + ID + "/connection", 200))
                .startsWith("<div class=\"connection\" id=\"connection\"")
                .contains(">Unauthorized</span>", "the token was refused")
                .doesNotContain("<html");

        TestBackends.registry()
                .answer("GET", "/api/orchestrators/" + ID, 404, "{\"status\":404,\"detail\":\"no orchestrator\"}");
        page(DevUser.VIEWER, "/console/orchestrators/" + ID + "/connection", 404);
    }

    @Test
    void theDetailPageListsDestinationsAndTheEditFormCarriesThem() {
        String withDestinations = orchestrator("CONNECTED", "ok")
                .replace(
                        "\"allowedGroups\":[\"home-lab\"]",
                        "\"allowedGroups\":[\"team-a\",\"team-b\"],\"destinations\":["
                                + "{\"namespaces\":[\"team-a-*\",\"shop\"],\"groups\":[\"team-a\"],"
                                + "\"hosts\":[\"*.team-a.example.com\"]},"
                                + "{\"namespaces\":[\"team-b\"],\"groups\":[\"team-b\"]}]");
        TestBackends.registry().answer("GET", "/api/orchestrators/" + ID, 200, withDestinations);

        assertThat(page(DevUser.VIEWER, "/console/orchestrators/" + ID, 200))
                .contains("<ul id=\"destinations\"><li>team-a-*, shop: team-a: *.team-a.example.com</li>"
                        + "<li>team-b: team-b</li></ul>");
        assertThat(page(DevUser.ADMIN, "/console/orchestrators/" + ID + "/edit", 200))
                .contains("team-a-*, shop: team-a: *.team-a.example.com\nteam-b: team-b</textarea>");
    }

    @Test
    void overPrivilegedCredentialsShowAsAWarningNotAsAPlainConnected() {
        TestBackends.registry()
                .answer(
                        "POST",
                        "/api/orchestrators/" + ID + "/test-connection",
                        200,
                        "{\"status\":\"CONNECTED\",\"message\":\"Connected to Kubernetes v1.30\"}")
                .answer(
                        "GET",
                        "/api/orchestrators/" + ID,
                        200,
                        orchestrator("CONNECTED", "Connected to Kubernetes v1.30")
                                .replace(
                                        "\"checkedAt\"",
                                        "\"warnings\":[\"over-privileged: these credentials hold verbs [*] <b>\"],"
                                                + "\"checkedAt\""));
        Response fragment = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .header("HX-Request", "true")
                .post("/console/orchestrators/" + ID + "/test-connection");

        assertThat(fragment.body().asString())
                .contains("class=\"badge badge-warn\"")
                .contains(">Connected, with warnings</span>")
                .contains("<li>over-privileged: these credentials hold verbs [*] &lt;b&gt;</li>");
    }

    @Test
    void aServiceThatIsDownIsAnErrorPageNotAStackTrace() {
        TestBackends.deployer().stop();
        try {
            String html = page(DevUser.VIEWER, "/console/deployments", 503);
            assertThat(html)
                    .contains("role=\"alert\"")
                    .contains("not available")
                    .doesNotContain("Exception");
        } finally {
            TestBackends.deployer().start();
        }
    }

    @Test
    void scriptsAndStylesComeFromTheGatewayUnderAStrictPolicy() {
        Response home = given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.VIEWER))
                .get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.header("Content-Security-Policy"))
                .contains("default-src 'self'")
                .doesNotContain("unsafe");
        String html = home.body().asString();
        assertThat(html).doesNotContain("<script>").doesNotContain("style=");
        for (String asset :
                new String[] {"/webjars/htmx.org/2.0.4/dist/htmx.min.js", "/static/console.js", "/static/console.css"
                }) {
            assertThat(html).contains("\"" + asset + "\"");
            assertThat(given().get(asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    private static String orchestrator(String status, String message) {
        return ORCHESTRATOR.formatted(ID, status, message);
    }

    private static String page(DevUser user, String path, int status) {
        Response response =
                given().auth().oauth2(DevStack.oidc().accessToken(user)).get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        return response.body().asString();
    }
}
