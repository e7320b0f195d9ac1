package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.TestPki;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract the deployer relies on: GET /internal/orchestrators/{name}/connection. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class InternalOrchestratorResourceTest {

    @Test
    void servesTheDecryptedMaterialByName() {
        TestPki.Pair ca = TestPki.selfSignedRsa("internal-ca");
        Map<String, Object> body = tokenBody(uniqueName("internal"));
        body.put("caCertificatePem", ca.certificatePem());
        body.put("authentikOutpostUrl", "http://ak-outpost.authentik:9000/");
        String id = createId(body);

        Map<String, Object> material = given().auth()
                .oauth2(Tokens.service())
                .get("/internal/orchestrators/" + body.get("name") + "/connection")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath()
                .getMap("");

        assertThat(material.keySet())
                .containsExactlyInAnyOrder(
                        "id",
                        "name",
                        "type",
                        "environment",
                        "apiServerUrl",
                        "authType",
                        "token",
                        "clientCertificatePem",
                        "clientKeyPem",
                        "caCertificatePem",
                        "skipTlsVerify",
                        "metalLbIpRange",
                        "defaultNamespace",
                        "allowedGroups",
                        "version",
                        "destinations",
                        "authentikOutpostUrl");
        assertThat(material)
                .containsEntry("id", id)
                .containsEntry("name", body.get("name"))
                .containsEntry("type", "K3S")
                .containsEntry("environment", "dev")
                .containsEntry("apiServerUrl", Orchestrators.DEFAULT_URL)
                .containsEntry("authType", "TOKEN")
                .containsEntry("token", Orchestrators.DEFAULT_TOKEN)
                .containsEntry("clientCertificatePem", null)
                .containsEntry("clientKeyPem", null)
                .containsEntry("caCertificatePem", ca.certificatePem())
                .containsEntry("skipTlsVerify", false)
                .containsEntry("metalLbIpRange", "192.168.1.240-192.168.1.250")
                .containsEntry("authentikOutpostUrl", "http://ak-outpost.authentik:9000")
                .containsEntry("defaultNamespace", "apps")
                .containsEntry("allowedGroups", List.of("team-a"))
                .containsEntry("version", 0);
    }

    @Test
    void destinationsAreStoredShownAndServedToTheDeployer() {
        Map<String, Object> body = tokenBody(uniqueName("dest"));
        body.remove("allowedGroups");
        body.put(
                "destinations",
                java.util.List.of(
                        Map.of(
                                "namespaces",
                                java.util.List.of("team-a-*", "shop"),
                                "groups",
                                java.util.List.of("team-a"),
                                "hosts",
                                java.util.List.of("*.team-a.example.com")),
                        Map.of("namespaces", java.util.List.of("team-b"), "groups", java.util.List.of("team-b"))));
        String id = dev.windlass.registry.support.Orchestrators.createId(body);

        given().auth()
                .oauth2(Tokens.viewer())
                .get("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .body("allowedGroups", org.hamcrest.Matchers.contains("team-a", "team-b"))
                .body("destinations[0].namespaces", org.hamcrest.Matchers.contains("team-a-*", "shop"))
                .body("destinations[1].groups", org.hamcrest.Matchers.contains("team-b"))
                .body("destinations[0].hosts", org.hamcrest.Matchers.contains("*.team-a.example.com"))
                .body("destinations[1].hosts", org.hamcrest.Matchers.empty());
        given().auth()
                .oauth2(Tokens.service())
                .get("/internal/orchestrators/" + body.get("name") + "/connection")
                .then()
                .statusCode(200)
                .body("destinations[0].groups", org.hamcrest.Matchers.contains("team-a"))
                .body("destinations[1].namespaces", org.hamcrest.Matchers.contains("team-b"))
                .body("destinations[0].hosts", org.hamcrest.Matchers.contains("*.team-a.example.com"));

        Map<String, Object> cluster = tokenBody(uniqueName("dest-kube"));
        cluster.remove("allowedGroups");
        cluster.put(
                "destinations",
                java.util.List.of(
                        Map.of("namespaces", java.util.List.of("kube-system"), "groups", java.util.List.of("ops"))));
        given().auth()
                .oauth2(Tokens.admin())
                .contentType("application/json")
                .body(cluster)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", is("destinations[0].namespaces[0]"))
                .body("violations[0].message", org.hamcrest.Matchers.containsString("never destinations"));
    }

    @Test
    void servesTheSameMaterialByIdWhichStaysWhenTheOrchestratorIsRenamed() {
        Map<String, Object> body = tokenBody(uniqueName("by-id"));
        String id = createId(body);
        given().auth()
                .oauth2(Tokens.service())
                .get("/internal/orchestrators/" + id + "/connection")
                .then()
                .statusCode(200)
                .body("id", is(id))
                .body("name", is(body.get("name")));
        given().auth()
                .oauth2(Tokens.service())
                .get("/internal/orchestrators/" + java.util.UUID.randomUUID() + "/connection")
                .then()
                .statusCode(404);
    }

    @Test
    void anUnknownNameIsAProblem404() {
        given().auth()
                .oauth2(Tokens.service())
                .get("/internal/orchestrators/no-such-cluster/connection")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:not-found"))
                .body("detail", is("No orchestrator 'no-such-cluster'"))
                .body("instance", is("/internal/orchestrators/no-such-cluster/connection"));
    }

    @Test
    void aReferenceThatIsNeitherAnIdNorANameIsA404NotAServerError() {
        for (String ref : List.of("bad%00name", "Not%20A%20Label", "%C3%A9t%C3%A9", "a".repeat(64))) {
            given().auth()
                    .oauth2(Tokens.service())
                    .urlEncodingEnabled(false)
                    .get("/internal/orchestrators/" + ref + "/connection")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", is("urn:windlass:problem:not-found"))
                    .body("detail", is("No orchestrator has this id or name"));
        }
    }

    @Test
    void usersEvenAdminsAreForbidden() {
        String name =
                (String) Orchestrators.create(tokenBody(uniqueName("internal"))).path("name");
        for (String token : List.of(Tokens.admin(), Tokens.deployer(), Tokens.viewer())) {
            given().auth()
                    .oauth2(token)
                    .get("/internal/orchestrators/" + name + "/connection")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        given().get("/internal/orchestrators/" + name + "/connection").then().statusCode(401);
    }
}
