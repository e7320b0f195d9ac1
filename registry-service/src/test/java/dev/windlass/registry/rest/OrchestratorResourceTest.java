package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.create;
import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class OrchestratorResourceTest {

    private static RequestSpecification asAdmin() {
        return given().auth().oauth2(Tokens.admin());
    }

    @Test
    void registersAnOrchestratorWithLocationAndETagAndNoSecret() {
        String name = uniqueName("create");
        ExtractableResponse<Response> created = create(tokenBody(name));

        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/orchestrators/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(created.body().asString()).doesNotContain(Orchestrators.DEFAULT_TOKEN);
        Map<String, Object> body = created.jsonPath().getMap("");
        assertThat(body)
                .containsEntry("name", name)
                .containsEntry("environment", "dev")
                .containsEntry("type", "K3S")
                .containsEntry("authType", "TOKEN")
                .containsEntry("tokenSet", true)
                .containsEntry("clientCertificateSet", false)
                .containsEntry("clientKeySet", false)
                .containsEntry("caCertificateSet", false)
                .containsEntry("metalLbIpRange", "192.168.1.240-192.168.1.250")
                .containsEntry("defaultNamespace", "apps")
                .containsEntry("allowedGroups", List.of("team-a"))
                .doesNotContainKey("token");
        assertThat(created.jsonPath().getString("connection.status")).isEqualTo("UNKNOWN");

        asAdmin()
                .get("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .header("ETag", "\"0\"")
                .body("name", is(name))
                .body("tokenSet", is(true));
    }

    @Test
    void refusesADuplicateNameWith409() {
        String name = uniqueName("dup");
        create(tokenBody(name));

        asAdmin()
                .contentType(ContentType.JSON)
                .body(tokenBody(name))
                .post("/api/orchestrators")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:duplicate-name"))
                .body("status", is(409))
                .body("detail", is("An orchestrator named '" + name + "' already exists"))
                .body("instance", is("/api/orchestrators"))
                .body("violations[0].field", is("name"))
                .body("violations[0].rule", is("unique"));
    }

    @Test
    void validationProblemsNameEveryFieldAndRule() {
        Map<String, Object> body = tokenBody("Not_A_Label");
        body.put("type", "K9S");
        body.put("environment", "production");
        body.put("apiServerUrl", "http://10.0.0.1:6443");
        body.put("token", "");
        body.put("metalLbIpRange", "10.0.0.9-10.0.0.1");

        ExtractableResponse<Response> response = asAdmin()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:validation"))
                .body("title", is("Invalid request"))
                .body("status", is(400))
                .body("instance", is("/api/orchestrators"))
                .extract();

        List<Map<String, String>> violations = response.jsonPath().getList("violations");
        assertThat(violations)
                .extracting(v -> v.get("field") + ":" + v.get("rule"))
                .containsExactlyInAnyOrder(
                        "name:dns-label",
                        "environment:unknown-value",
                        "type:unknown-value",
                        "apiServerUrl:https-required",
                        "token:required",
                        "metalLbIpRange:ip-range-order");
        assertThat(violations)
                .filteredOn(v -> v.get("field").equals("type"))
                .extracting(v -> v.get("message"))
                .containsExactly("type must be one of K3S, K8S, EKS, GKE, AKS");
        assertThat(response.body().asString()).doesNotContain("Exception", "jackson", "at dev.");
    }

    @Test
    void metalLbRangeIsCheckedAndOnlyForK3s() {
        Map<String, Object> reversed = tokenBody(uniqueName("range"));
        reversed.put("metalLbIpRange", "10.0.0.9-10.0.0.1");
        asAdmin()
                .contentType(ContentType.JSON)
                .body(reversed)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .body("violations.field", equalTo(List.of("metalLbIpRange")))
                .body("violations.rule", equalTo(List.of("ip-range-order")));

        Map<String, Object> notK3s = tokenBody(uniqueName("range"));
        notK3s.put("type", "EKS");
        asAdmin()
                .contentType(ContentType.JSON)
                .body(notK3s)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .body("violations.rule", equalTo(List.of("only-for-k3s")));

        Map<String, Object> cidr = tokenBody(uniqueName("range"));
        cidr.put("metalLbIpRange", "192.168.1.240/28");
        create(cidr);
    }

    @Test
    void anAuthentikOutpostUrlIsCheckedStoredAndShown() {
        Map<String, Object> bad = tokenBody(uniqueName("outpost"));
        bad.put("authentikOutpostUrl", "ak-outpost:9000");
        asAdmin()
                .contentType(ContentType.JSON)
                .body(bad)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("authentikOutpostUrl")))
                .body("violations.rule", equalTo(List.of("malformed-url")));

        Map<String, Object> good = tokenBody(uniqueName("outpost"));
        good.put("authentikOutpostUrl", "http://ak-outpost-authentik-embedded-outpost.authentik:9000");
        String id = create(good).path("id");
        asAdmin()
                .get("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .body("authentikOutpostUrl", is("http://ak-outpost-authentik-embedded-outpost.authentik:9000"));
    }

    @Test
    void aWrongJsonTypeNamesTheFieldWithoutParserText() {
        Map<String, Object> body = tokenBody(uniqueName("types"));
        body.put("skipTlsVerify", Map.of("yes", true));

        String problem = asAdmin()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", is("skipTlsVerify"))
                .body("violations[0].rule", is("type"))
                .extract()
                .asString();
        assertThat(problem).doesNotContainIgnoringCase("jackson").doesNotContain("Exception");

        asAdmin()
                .contentType(ContentType.JSON)
                .body("{\"name\": ")
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .body("violations[0].field", is("body"))
                .body("violations[0].rule", is("json"));
    }

    @Test
    void updatesNeedTheCurrentETag() {
        String id = createId(tokenBody(uniqueName("etag")));
        Map<String, Object> changed =
                tokenBody(asAdmin().get("/api/orchestrators/" + id).path("name"));
        changed.put("description", Orchestrators.UPDATED_DESCRIPTION);
        changed.remove("token");

        asAdmin()
                .contentType(ContentType.JSON)
                .body(changed)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(428)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:if-match-required"));

        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(changed)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("description", is(Orchestrators.UPDATED_DESCRIPTION))
                .body("tokenSet", is(true))
                .body("version", is(1));

        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(changed)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:stale-version"))
                .body(
                        "detail",
                        is("The orchestrator was changed meanwhile: If-Match names version 0, the current"
                                + " version is 1. Fetch it again and retry."));

        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "W/\"1\"")
                .body(changed)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(400)
                .body("violations[0].field", is("If-Match"))
                .body("violations[0].rule", is("etag"));
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheVersion() {
        Map<String, Object> body = tokenBody(uniqueName("same"));
        String id = createId(body);
        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(body)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .header("ETag", "\"0\"");
    }

    @Test
    void deletesAndThenAnswers404AsAProblem() {
        String id = createId(tokenBody(uniqueName("delete")));

        asAdmin()
                .header("If-Match", "\"7\"")
                .delete("/api/orchestrators/" + id)
                .then()
                .statusCode(412);
        asAdmin()
                .header("If-Match", "\"0\"")
                .delete("/api/orchestrators/" + id)
                .then()
                .statusCode(204);

        asAdmin()
                .get("/api/orchestrators/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:not-found"))
                .body("status", is(404))
                .body("detail", is("No orchestrator '" + id + "'"))
                .body("instance", is("/api/orchestrators/" + id));
        asAdmin().delete("/api/orchestrators/" + id).then().statusCode(404);
    }

    @Test
    void listsWithFiltersAndBoundedPages() {
        String prefix = uniqueName("list");
        for (String env : List.of("dev", "staging", "prod")) {
            Map<String, Object> body = tokenBody(prefix + "-" + env);
            body.put("environment", env);
            create(body);
        }
        Map<String, Object> eks = tokenBody(prefix + "-eks");
        eks.put("type", "EKS");
        eks.remove("metalLbIpRange");
        create(eks);

        asAdmin()
                .queryParam("nameContains", prefix.toUpperCase())
                .queryParam("size", 2)
                .get("/api/orchestrators")
                .then()
                .statusCode(200)
                .body("total", is(4))
                .body("size", is(2))
                .body("page", is(0))
                .body("items.name", equalTo(List.of(prefix + "-dev", prefix + "-eks")));
        asAdmin()
                .queryParam("nameContains", prefix)
                .queryParam("size", 2)
                .queryParam("page", 1)
                .get("/api/orchestrators")
                .then()
                .body("items.name", equalTo(List.of(prefix + "-prod", prefix + "-staging")));
        asAdmin()
                .queryParam("nameContains", prefix)
                .queryParam("environment", "staging")
                .get("/api/orchestrators")
                .then()
                .body("items.name", equalTo(List.of(prefix + "-staging")));
        asAdmin()
                .queryParam("nameContains", prefix)
                .queryParam("type", "EKS")
                .get("/api/orchestrators")
                .then()
                .body("items.name", equalTo(List.of(prefix + "-eks")));
        asAdmin()
                .queryParam("nameContains", prefix)
                .queryParam("type", "K3S")
                .queryParam("status", "CONNECTED")
                .get("/api/orchestrators")
                .then()
                .body("total", is(0));
    }

    @Test
    void pageBoundsAndUnknownFiltersAreProblemsNamingTheParameter() {
        asAdmin()
                .queryParam("size", 101)
                .get("/api/orchestrators")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", is("size"))
                .body("violations[0].rule", is("max"))
                .body("violations[0].message", is("size must be at most 100"));
        asAdmin()
                .queryParam("page", -1)
                .queryParam("size", "ten")
                .queryParam("type", "K9S")
                .queryParam("status", "GREEN")
                .get("/api/orchestrators")
                .then()
                .statusCode(400)
                .body("violations.field", equalTo(List.of("type", "status", "page", "size")))
                .body("violations.rule", equalTo(List.of("unknown-value", "unknown-value", "min", "integer")));
    }

    @Test
    void theAuditTrailSaysWhoDidWhat() {
        Map<String, Object> body = tokenBody(uniqueName("audit"));
        String id = createId(body);
        body.put("description", Orchestrators.UPDATED_DESCRIPTION);
        body.put("token", "another-token-value-9c1d");
        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(body)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(200);
        asAdmin().post("/api/orchestrators/" + id + "/test-connection").then().statusCode(200);

        // The periodic connection check may add a CONNECTION_CHANGED entry of its own (actor: the system) at any
        // moment; the three entries the admin caused are asserted, and nothing else is attributed to the admin.
        ExtractableResponse<Response> audit = given().auth()
                .oauth2(Tokens.viewer())
                .get("/api/orchestrators/" + id + "/audit")
                .then()
                .statusCode(200)
                .body("items.occurredAt", not(hasItem(nullValue())))
                .extract();
        List<Map<String, Object>> byAdmin = audit.jsonPath().getList("items");
        byAdmin = byAdmin.stream()
                .filter(item -> !"CONNECTION_CHANGED".equals(item.get("action")))
                .toList();
        assertThat(byAdmin)
                .extracting(item -> item.get("action"))
                .containsExactly("CONNECTION_TESTED", "UPDATED", "CREATED");
        assertThat(byAdmin)
                .extracting(item -> item.get("subject"))
                .containsOnly(dev.windlass.devstack.AuthentikIssuer.subjectOf("admin"));
        assertThat(byAdmin).extracting(item -> item.get("username")).containsOnly("admin");
        assertThat((String) byAdmin.get(0).get("details"))
                .startsWith("UNREACHABLE: No Kubernetes API server answered at");
        assertThat(byAdmin.get(1).get("details")).isEqualTo("changed description, token (replaced)");
        assertThat(audit.jsonPath().getList("items.action", String.class))
                .as("anything else is the periodic check")
                .hasSizeBetween(3, 4);
        assertThat(audit.body().asString()).doesNotContain("another-token-value-9c1d", Orchestrators.DEFAULT_TOKEN);
    }

    @Test
    void testConnectionOfAnUnknownIdIs404() {
        asAdmin()
                .post("/api/orchestrators/00000000-0000-0000-0000-000000000000/test-connection")
                .then()
                .statusCode(404)
                .body("instance", endsWith("/test-connection"));
    }
}
