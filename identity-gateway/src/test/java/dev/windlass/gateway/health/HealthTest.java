package dev.windlass.gateway.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class HealthTest {

    @Test
    void isLive() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void isReadyWhenItsDependenciesAre() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void servesItsOpenApiDocument() {
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("openapi", startsWith("3."))
                .body("info.title", is("Windlass identity-gateway"));
    }

    @Test
    void servesItsMetricsToAdminsOnly() {
        // a browser without a session is sent to sign in; nothing of the metrics is shown
        given().redirects()
                .follow(false)
                .get("/q/metrics")
                .then()
                .statusCode(302)
                .body(not(containsString("jvm_memory_used_bytes")));
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .get("/api/me")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.VIEWER))
                .get("/q/metrics")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }
}
