package dev.windlass.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.nimbusds.jwt.SignedJWT;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.ForgedTokens;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.IssuerLogin;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of bad token is a 401 problem at the gateway, on its own API and before reaching a service. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class TokenMatrixTest {

    private static ForgedTokens tokens() {
        return ForgedTokens.of(DevStack.oidc(), DevUser.DEPLOYER);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedOnTheGatewaysOwnApi(ForgedTokens.Kind kind) {
        assertUnauthorized(kind.forge(tokens()), "/api/me");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void isRefusedBeforeReachingAService(ForgedTokens.Kind kind) {
        int before = TestBackends.registry().received().size();

        assertUnauthorized(kind.forge(tokens()), "/api/orchestrators/k3s-home");

        assertThat(TestBackends.registry().received()).hasSize(before);
    }

    @Test
    void aWellFormedTokenOfTheSameShapeIsAccepted() {
        // the control for the matrix: the same claims, signed and timed right, pass both routes
        String token = tokens().valid();

        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("name", is("deployer"));
        given().auth()
                .oauth2(token)
                .get("/api/orchestrators/k3s-home")
                .then()
                .statusCode(200)
                .body("headers.authorization", is("Bearer " + token));
    }

    @Test
    void anAccessTokenFromARealSignInIsAcceptedThoughItCarriesTheNonce() throws Exception {
        // the dev issuer copies the sign-in's nonce into the access token, so nonce cannot mark an ID token
        Map<String, Object> tokens = IssuerLogin.tokens("viewer");
        String accessToken = (String) tokens.get("access_token");
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getClaims()).containsKey("nonce");

        given().auth().oauth2(accessToken).get("/api/me").then().statusCode(200).body("name", is("viewer"));
        given().auth().oauth2(accessToken).get("/api/deployments").then().statusCode(200);
    }

    @Test
    void aServiceTokenIsAValidTokenButNotAUser() {
        given().auth()
                .oauth2(DevStack.oidc().serviceToken())
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("roles", org.hamcrest.Matchers.contains("service"));
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.VIEWER))
                .get("/api/me")
                .then()
                .statusCode(200);
    }

    private static void assertUnauthorized(String token, String path) {
        given().auth()
                .oauth2(token)
                .get(path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", is(401))
                .body("title", is("Unauthorized"))
                .body("instance", is(path));
    }
}
