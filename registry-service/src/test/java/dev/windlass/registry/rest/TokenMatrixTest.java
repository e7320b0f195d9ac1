package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.ForgedTokens;
import dev.windlass.devstack.LogCapture;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry validates a forwarded token itself: every forgery is a 401 problem on a read, a write and the internal
 * endpoint, called directly and not through the gateway, while the control token of the same shape succeeds.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class TokenMatrixTest {

    private static String orchestrator;

    /** An orchestrator whose connection material the internal endpoint would serve, registered once. */
    private static synchronized String orchestrator() {
        if (orchestrator == null) {
            String name = uniqueName("matrix");
            createId(tokenBody(name));
            orchestrator = name;
        }
        return orchestrator;
    }

    /** Forgeries of an admin's token: accepted, it could do anything on the public API. */
    private static ForgedTokens admin() {
        return ForgedTokens.of(DevStack.oidc(), DevUser.ADMIN);
    }

    private static ForgedTokens service() {
        return ForgedTokens.ofService(DevStack.oidc());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedOnARead(ForgedTokens.Kind kind) {
        assertUnauthorized(list(kind.forge(admin())), "/api/orchestrators");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedOnAWriteWhichThenDidNotHappen(ForgedTokens.Kind kind) {
        String name = uniqueName("forged");

        assertUnauthorized(create(kind.forge(admin()), name), "/api/orchestrators");

        assertThat(given().auth()
                        .oauth2(admin().valid())
                        .queryParam("nameContains", name)
                        .get("/api/orchestrators")
                        .jsonPath()
                        .getList("items"))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedOnTheInternalEndpoint(ForgedTokens.Kind kind) {
        Response response = connection(kind.forge(service()));

        assertUnauthorized(response, "/internal/orchestrators/" + orchestrator() + "/connection");
        assertThat(response.asString()).doesNotContain("default-token-value");
    }

    @Test
    void theControlTokensOfTheSameShapeSucceed() {
        assertThat(list(admin().valid()).statusCode()).isEqualTo(200);
        assertThat(create(admin().valid(), uniqueName("control")).statusCode()).isEqualTo(201);
        assertThat(connection(service().valid()).statusCode()).isEqualTo(200);
    }

    @Test
    void noLogLineCarriesARefusedToken() {
        // the two categories that print refused tokens are configured at DEBUG for tests (application.properties)
        try (LogCapture logs = new LogCapture("io.quarkus.oidc.runtime.BearerAuthenticationMechanism")) {
            for (ForgedTokens.Kind kind : ForgedTokens.Kind.values()) {
                assertThat(list(kind.forge(admin())).statusCode()).isEqualTo(401);
            }

            // the capture sees the OIDC layer's debug lines, so a token in any line would show
            assertThat(logs.lines())
                    .anyMatch(line -> line.startsWith("io.quarkus.oidc.runtime.BearerAuthenticationMechanism"));
            assertThat(logs.lines()).noneMatch(line -> line.contains("eyJ"));
        }
    }

    private static Response list(String token) {
        return given().auth().oauth2(token).get("/api/orchestrators");
    }

    private static Response create(String token, String name) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(tokenBody(name))
                .post("/api/orchestrators");
    }

    private static Response connection(String token) {
        return given().auth().oauth2(token).get("/internal/orchestrators/{name}/connection", orchestrator());
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
