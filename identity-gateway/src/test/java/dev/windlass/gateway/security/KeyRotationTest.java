package dev.windlass.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A new signing key at the issuer is picked up from its JWKS on first sight of the new kid, without a restart. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class KeyRotationTest {

    @Test
    void tokensSignedWithARotatedKeyAreAcceptedAndOldOnesRefused() throws Exception {
        AuthentikIssuer issuer = DevStack.oidc();
        String before = issuer.accessToken(DevUser.VIEWER);
        given().auth().oauth2(before).get("/api/me").then().statusCode(200);

        String newKid = issuer.rotateSigningKey();
        String after = issuer.accessToken(DevUser.VIEWER);
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);

        // the JWKS is fetched again at most once per forced-jwk-refresh-interval (1 s in tests, 1 min otherwise)
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().auth()
                        .oauth2(after)
                        .get("/api/orchestrators")
                        .then()
                        .statusCode(200));
        given().auth().oauth2(after).get("/api/me").then().statusCode(200);
        given().auth().oauth2(before).get("/api/me").then().statusCode(401);
    }
}
