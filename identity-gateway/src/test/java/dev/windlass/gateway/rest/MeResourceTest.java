package dev.windlass.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class MeResourceTest {

    @Test
    void describesTheBearerOfAnAccessToken() {
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                .get("/api/me")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("name", is("admin"))
                .body("email", is("admin@windlass.test"))
                .body("groups", contains("windlass-admins"))
                .body("roles", containsInAnyOrder("admin", "deployer", "viewer"));
    }

    @Test
    void rolesFollowTheGroupsMapping() {
        given().auth()
                .oauth2(DevStack.oidc().accessToken("carol", List.of("windlass-viewers", "some-other-team")))
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("name", is("carol"))
                .body("groups", contains("some-other-team", "windlass-viewers"))
                .body("roles", contains("viewer"));
        given().auth()
                .oauth2(DevStack.oidc().accessToken("dave", List.of()))
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("roles", empty());
    }

    @Test
    void withoutSessionOrTokenIsA401Problem() {
        given().redirects()
                .follow(false)
                .get("/api/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", is("Bearer"))
                .body("type", is("about:blank"))
                .body("title", is("Unauthorized"))
                .body("status", is(401))
                .body("detail", is("Sign in, or send a valid access token as 'Authorization: Bearer <token>'."))
                .body("instance", is("/api/me"));
    }

    @Test
    void errorsOfTheGatewaysOwnResourcesAreProblems() {
        String token = DevStack.oidc().accessToken(DevUser.VIEWER);
        given().auth()
                .oauth2(token)
                .get("/api/nothing-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("title", is("Not Found"))
                .body("instance", is("/api/nothing-here"));
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{}")
                .post("/api/me")
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("status", is(405))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")));
    }
}
