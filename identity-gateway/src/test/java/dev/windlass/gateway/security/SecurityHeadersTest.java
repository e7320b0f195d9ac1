package dev.windlass.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Security headers on every kind of response, HSTS only over TLS, and the CSRF guard on cookie sessions. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class SecurityHeadersTest {

    @Test
    void everyKindOfResponseCarriesTheSecurityHeaders() {
        String token = DevStack.oidc().accessToken(DevUser.ADMIN);
        assertSecurityHeaders(given().get("/q/health/live").then().statusCode(200));
        assertSecurityHeaders(given().auth().oauth2(token).get("/api/me").then().statusCode(200));
        assertSecurityHeaders(
                given().auth().oauth2(token).get("/api/orchestrators").then().statusCode(200));
        assertSecurityHeaders(given().get("/api/me").then().statusCode(401));
        assertSecurityHeaders(given().get("/internal/x").then().statusCode(404));
        // the sign-in redirect of the browser flow
        assertSecurityHeaders(given().redirects().follow(false).get("/").then().statusCode(302));
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverTls() {
        given().get("/q/health/live").then().header("Strict-Transport-Security", nullValue());
        // TLS ends at the ingress, which says so in X-Forwarded-Proto (trusted from 127.0.0.1 only)
        given().header("X-Forwarded-Proto", "https")
                .get("/q/health/live")
                .then()
                .header("Strict-Transport-Security", is("max-age=31536000; includeSubDomains"));
    }

    @Test
    void refusesCrossSiteStateChangesRidingOnTheSessionCookie() {
        given().cookie("q_session", "whatever")
                .header("Origin", "https://evil.example")
                .contentType("application/json")
                .body("{}")
                .post("/api/deployments")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("Cross-site request refused"));
        given().cookie("q_session", "whatever")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "https://evil.example")
                .delete("/api/apps/whoami")
                .then()
                .statusCode(403);
        given().cookie("q_session", "whatever")
                .contentType("application/json")
                .body("{}")
                .post("/api/deployments")
                .then()
                .statusCode(403)
                .body("detail", containsString("needs an Origin or Referer"));
    }

    @Test
    void letsSameOriginCookieRequestsAndBearerRequestsThrough() {
        // passes the CSRF guard, then fails authentication: the cookie is no real session
        given().cookie("q_session", "whatever")
                .header("Sec-Fetch-Site", "same-origin")
                .redirects()
                .follow(false)
                .post("/api/deployments")
                .then()
                .statusCode(401);
        // a bearer request is exempt, whatever its Origin
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.DEPLOYER))
                .cookie("q_session", "whatever")
                .header("Origin", "https://elsewhere.example")
                .contentType("application/json")
                .body("{}")
                .post("/api/deployments")
                .then()
                .statusCode(200);
    }

    @Test
    void refusesOversizedHeaders() {
        // quarkus.http.limits.max-header-size=20K
        given().header("X-Padding", "a".repeat(30 * 1024))
                .get("/q/health/live")
                .then()
                .statusCode(431);
        given().header("X-Padding", "a".repeat(8 * 1024))
                .get("/q/health/live")
                .then()
                .statusCode(200);
    }

    private static void assertSecurityHeaders(ValidatableResponse response) {
        response.header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", is("nosniff"))
                .header("X-Frame-Options", is("DENY"))
                .header("Referrer-Policy", is("same-origin"))
                .header("X-Request-Id", org.hamcrest.Matchers.notNullValue());
    }
}
