package dev.windlass.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.LogCapture;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Topics;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.KubeRules;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import dev.windlass.registry.support.TopicReader;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A full scenario with distinctive secrets: register, test, change, fail validation, re-encrypt, read through the
 * internal endpoint, delete. No secret may appear in a public response, a log line or an event.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class SecretLeakTest {

    static final String NAMESPACE = "windlass-leak";
    static final String WRONG_TOKEN = "leak-canary-wrong-token-5d1c0f";
    static final String BAD_TOKEN = "leak-canary-bad-token-7e2a9b\nX-Evil: 1";

    final List<String> responses = new ArrayList<>();
    final Filter capture = (request, response, context) -> {
        var r = context.next(request, response);
        responses.add(r.getHeaders().toString() + "\n" + r.asString());
        return r;
    };

    RequestSpecification admin() {
        return given().filter(capture).auth().oauth2(Tokens.admin());
    }

    @Test
    void noSecretInResponsesLogsOrEvents() {
        KubeApiServer kube = DevStack.kube();
        String saToken = kube.serviceAccountToken(NAMESPACE, "leak-check", KubeRules.deployer());
        String keyPem = kube.adminClientKeyPem();
        String keyLine = keyPem.lines().skip(3).findFirst().orElseThrow();
        List<String> secrets = List.of(saToken, WRONG_TOKEN, "leak-canary-bad-token", keyLine);

        List<String> log;
        List<String> events;
        try (LogCapture logs = new LogCapture("dev.windlass", "io.fabric8");
                TopicReader topic = new TopicReader(Topics.ORCHESTRATOR_EVENTS)) {
            Map<String, Object> body = new HashMap<>();
            body.put("name", Orchestrators.uniqueName("leak"));
            body.put("environment", "prod");
            body.put("type", "K8S");
            body.put("apiServerUrl", kube.url());
            body.put("authType", "TOKEN");
            body.put("token", saToken);
            body.put("caCertificatePem", kube.caCertPem());
            body.put("defaultNamespace", NAMESPACE);
            body.put("allowedGroups", java.util.List.of(Tokens.TEAM)); // the viewer below is of this team
            String id = admin().contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/orchestrators")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            admin().post("/api/orchestrators/" + id + "/test-connection")
                    .then()
                    .statusCode(200)
                    .body("status", org.hamcrest.Matchers.is("CONNECTED"));

            body.put("token", WRONG_TOKEN);
            admin().contentType(ContentType.JSON)
                    .header("If-Match", "\"0\"")
                    .body(body)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(200);
            admin().post("/api/orchestrators/" + id + "/test-connection")
                    .then()
                    .body("status", org.hamcrest.Matchers.is("UNAUTHORIZED"));

            body.put("token", BAD_TOKEN);
            admin().contentType(ContentType.JSON)
                    .header("If-Match", "\"1\"")
                    .body(body)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(400);

            body.remove("token");
            body.put("authType", "CERTIFICATE");
            body.put("clientCertificatePem", kube.adminClientCertPem());
            body.put("clientKeyPem", keyPem);
            body.put("skipTlsVerify", true);
            admin().contentType(ContentType.JSON)
                    .header("If-Match", "\"1\"")
                    .body(body)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(400); // skipTlsVerify with a CA, in prod
            body.put("skipTlsVerify", false);
            admin().contentType(ContentType.JSON)
                    .header("If-Match", "\"1\"")
                    .body(body)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(200);
            admin().post("/api/orchestrators/" + id + "/test-connection")
                    .then()
                    .body("status", org.hamcrest.Matchers.is("CONNECTED"));

            admin().get("/api/orchestrators/" + id).then().statusCode(200);
            admin().get("/api/orchestrators?nameContains=leak").then().statusCode(200);
            admin().get("/api/orchestrators/" + id + "/audit").then().statusCode(200);
            admin().post("/api/admin/credentials/re-encrypt").then().statusCode(200);
            given().filter(capture)
                    .auth()
                    .oauth2(Tokens.viewer())
                    .get("/api/orchestrators/" + id)
                    .then()
                    .statusCode(200);
            given().filter(capture)
                    .auth()
                    .oauth2(Tokens.admin())
                    .get("/internal/orchestrators/" + body.get("name") + "/connection")
                    .then()
                    .statusCode(403);
            String internal = given().auth()
                    .oauth2(Tokens.service())
                    .get("/internal/orchestrators/" + body.get("name") + "/connection")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(internal)
                    .as("the internal endpoint does serve the material")
                    .contains(keyLine);
            admin().delete("/api/orchestrators/" + id).then().statusCode(204);

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(topic.withKey(id))
                            .extracting(e -> e.payload())
                            .anySatisfy(p -> assertThat(p).contains("\"DELETED\"")));
            events = topic.withKey(id).stream()
                    .map(e -> e.headers() + e.payload())
                    .toList();
            log = logs.lines();
        }

        assertThat(responses).hasSizeGreaterThan(10);
        assertThat(log).isNotEmpty();
        for (String secret : secrets) {
            assertThat(responses).noneMatch(r -> r.contains(secret));
            assertThat(log).noneMatch(line -> line.contains(secret));
            assertThat(events).noneMatch(e -> e.contains(secret));
        }
        assertThat(responses).noneMatch(r -> r.contains("PRIVATE KEY"));
        assertThat(log).noneMatch(line -> line.contains("PRIVATE KEY"));
        assertThat(responses).noneMatch(r -> r.contains("Exception") || r.contains("\tat "));
    }
}
