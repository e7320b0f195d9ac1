package dev.windlass.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class ProxyTest {

    @Test
    void forwardsToTheRegistry() {
        String token = DevStack.oidc().accessToken(DevUser.ADMIN);
        JsonPath echo = given().auth()
                .oauth2(token)
                .header("X-Request-Id", "req-123")
                .get("/api/orchestrators/k3s-home?x=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(echo.getString("path")).isEqualTo("/api/orchestrators/k3s-home");
        assertThat(echo.getString("headers.authorization")).isEqualTo("Bearer " + token);
        assertThat(TestBackends.registry().received()).isNotEmpty();
    }
}
