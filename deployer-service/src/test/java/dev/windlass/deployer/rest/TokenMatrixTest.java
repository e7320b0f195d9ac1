package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.Api.body;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.ForgedTokens;
import dev.windlass.devstack.LogCapture;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deployer validates a forwarded token itself: every forgery is a 401 problem on a read and on a deploy, called
 * directly and not through the gateway, and a refused deploy leaves no deployment; the control token succeeds.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class TokenMatrixTest {

    /** Forgeries of an admin's token: accepted, it could deploy on every orchestrator. */
    private static ForgedTokens admin() {
        return ForgedTokens.of(DevStack.oidc(), DevUser.ADMIN);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedOnARead(ForgedTokens.Kind kind) {
        assertUnauthorized(list(kind.forge(admin()), null), "/api/deployments");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedOnADeployWhichThenDidNotHappen(ForgedTokens.Kind kind) {
        String app = uniqueApp("forged");

        assertUnauthorized(deploy(kind.forge(admin()), app), "/api/deployments");

        list(admin().valid(), app).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void theControlTokenOfTheSameShapeSucceeds() {
        String app = uniqueApp("control");

        assertThat(deploy(admin().valid(), app).statusCode()).isEqualTo(202);
        list(admin().valid(), app).then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void noLogLineCarriesARefusedToken() {
        // the two categories that print refused tokens are configured at DEBUG for tests (application.properties)
        try (LogCapture logs = new LogCapture("io.quarkus.oidc.runtime.BearerAuthenticationMechanism")) {
            for (ForgedTokens.Kind kind : ForgedTokens.Kind.values()) {
                assertThat(list(kind.forge(admin()), null).statusCode()).isEqualTo(401);
            }

            // the capture sees the OIDC layer's debug lines, so a token in any line would show
            assertThat(logs.lines())
                    .anyMatch(line -> line.startsWith("io.quarkus.oidc.runtime.BearerAuthenticationMechanism"));
            assertThat(logs.lines()).noneMatch(line -> line.contains("eyJ"));
        }
    }

    private static Response list(String token, String app) {
        var request = given().auth().oauth2(token);
        if (app != null) {
            request.queryParam("app", app);
        }
        return request.get("/api/deployments");
    }

    private static Response deploy(String token, String app) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(RegistryStandIn.LOCAL, null, spec(app)))
                .post("/api/deployments");
    }

    private static void assertUnauthorized(Response response, String path) {
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:windlass:problem:unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo(path));
    }
}
