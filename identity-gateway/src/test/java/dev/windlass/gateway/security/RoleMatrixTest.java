package dev.windlass.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the gateway itself enforces before a request reaches a service: reading needs the viewer role, changing
 * orchestrators needs admin, changing deployments and apps needs deployer. The services check again, finer.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class RoleMatrixTest {

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "admin,    GET,    /api/orchestrators,             200",
        "deployer, GET,    /api/orchestrators,             200",
        "viewer,   GET,    /api/orchestrators/k3s-home,    200",
        "outsider, GET,    /api/orchestrators,             403",
        "service,  GET,    /api/orchestrators,             403",
        "admin,    POST,   /api/orchestrators,             200",
        "admin,    DELETE, /api/orchestrators/k3s-home,    200",
        "deployer, POST,   /api/orchestrators,             403",
        "deployer, PUT,    /api/orchestrators/k3s-home,    403",
        "viewer,   POST,   /api/orchestrators/k3s-home/test, 403",
        "service,  POST,   /api/orchestrators,             403",
        "admin,    POST,   /api/deployments,               200",
        "deployer, POST,   /api/deployments,               200",
        "deployer, DELETE, /api/apps/whoami,               200",
        "deployer, PATCH,  /api/apps/whoami,               200",
        "viewer,   GET,    /api/deployments,               200",
        "viewer,   GET,    /api/apps/whoami,               200",
        "viewer,   POST,   /api/deployments,               403",
        "viewer,   DELETE, /api/apps/whoami,               403",
        "outsider, POST,   /api/deployments,               403",
        "service,  POST,   /api/deployments,               403",
        "admin,    GET,    /api/me,                        200",
        "viewer,   GET,    /api/me,                        200",
        "outsider, GET,    /api/me,                        200",
        "service,  GET,    /api/me,                        200",
    })
    void enforcesTheCoarseRoleRules(String user, String method, String path, int status) {
        int before = TestBackends.registry().received().size()
                + TestBackends.deployer().received().size();

        ValidatableResponse response = given().auth()
                .oauth2(token(user))
                .contentType("application/json")
                .body(method.equals("GET") ? "" : "{}")
                .request(method, path)
                .then()
                .statusCode(status);

        if (status == 403) {
            response.contentType("application/problem+json")
                    .body("status", is(403))
                    .body("detail", is("Your roles do not allow this request."));
            org.assertj.core.api.Assertions.assertThat(
                            TestBackends.registry().received().size()
                                    + TestBackends.deployer().received().size())
                    .as("a refused request never reaches a service")
                    .isEqualTo(before);
        }
    }

    private static String token(String user) {
        return switch (user) {
            case "admin" -> DevStack.oidc().accessToken(DevUser.ADMIN);
            case "deployer" -> DevStack.oidc().accessToken(DevUser.DEPLOYER);
            case "viewer" -> DevStack.oidc().accessToken(DevUser.VIEWER);
            case "outsider" -> DevStack.oidc().accessToken("outsider", List.of("some-other-team"));
            case "service" -> DevStack.oidc().serviceToken();
            default -> throw new IllegalArgumentException(user);
        };
    }
}
