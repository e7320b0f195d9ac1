package dev.windlass.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class OpenApiDocumentTest {

    JsonPath document;

    @BeforeEach
    void fetch() {
        document = given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    Map<String, Object> responses(String path, String method) {
        return document.getMap("paths.'" + path + "'." + method + ".responses");
    }

    @Test
    void describesEveryEndpoint() {
        assertThat(document.getMap("paths"))
                .containsKeys(
                        "/api/orchestrators",
                        "/api/orchestrators/{id}",
                        "/api/orchestrators/{id}/audit",
                        "/api/orchestrators/{id}/test-connection",
                        "/api/admin/credentials/re-encrypt",
                        "/internal/orchestrators/{ref}/connection");
        assertThat(document.getMap("paths.'/api/orchestrators/{id}'")).containsKeys("get", "put", "delete");
    }

    @Test
    void everyOperationDeclaresItsProblems() {
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        paths.forEach((path, item) -> {
            if (path.startsWith("/api") || path.startsWith("/internal")) {
                item.forEach((method, operation) -> assertThat(responses(path, method))
                        .as("%s %s", method, path)
                        .containsKeys("401", "403", "500"));
            }
        });
        assertThat(responses("/api/orchestrators", "post")).containsKeys("201", "400", "409");
        assertThat(responses("/api/orchestrators/{id}", "put")).containsKeys("200", "400", "404", "409", "412", "428");
        assertThat(responses("/api/orchestrators/{id}", "delete")).containsKeys("204", "404", "412");
        assertThat(responses("/internal/orchestrators/{ref}/connection", "get")).containsKeys("200", "404");
    }

    @Test
    void problemsAreProblemJsonWithViolations() {
        for (String name : List.of(
                "Problem400",
                "Problem401",
                "Problem403",
                "Problem404",
                "Problem409",
                "Problem412",
                "Problem428",
                "Problem500")) {
            assertThat(document.getMap("components.responses." + name + ".content"))
                    .as(name)
                    .containsOnlyKeys("application/problem+json");
        }
        assertThat(document.getMap("components.schemas.Problem.properties"))
                .containsKeys("type", "title", "status", "detail", "instance", "violations");
        assertThat(document.getMap("components.schemas.Violation.properties")).containsKeys("field", "rule", "message");
    }

    @Test
    void credentialsAreWriteOnlyInTheSchema() {
        assertThat(document.getBoolean("components.schemas.OrchestratorInput.properties.token.writeOnly"))
                .isTrue();
        assertThat(document.getMap("components.schemas.Orchestrator.properties"))
                .containsKeys("tokenSet", "clientCertificateSet", "clientKeySet", "caCertificateSet")
                .doesNotContainKeys("token", "clientKeyPem");
    }
}
