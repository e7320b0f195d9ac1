package dev.windlass.registry.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Orchestrator request bodies and API calls for tests. Every URL points at 127.0.0.1, where nothing listens. */
public final class Orchestrators {

    /** A loopback URL without a listener: connection checks of test data fail fast and stay on this machine. */
    public static final String DEFAULT_URL = "https://127.0.0.1:9";

    public static final String DEFAULT_TOKEN = "default-token-value-7f3a";
    public static final String UPDATED_DESCRIPTION = "updated description";

    private Orchestrators() {}

    /** A unique DNS label starting with {@code prefix}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A valid TOKEN orchestrator body (K3S, dev). */
    public static Map<String, Object> tokenBody(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "test cluster");
        body.put("environment", "dev");
        body.put("type", "K3S");
        body.put("apiServerUrl", DEFAULT_URL);
        body.put("authType", "TOKEN");
        body.put("token", DEFAULT_TOKEN);
        body.put("skipTlsVerify", false);
        body.put("metalLbIpRange", "192.168.1.240-192.168.1.250");
        body.put("defaultNamespace", "apps");
        body.put("allowedGroups", List.of("team-a"));
        return body;
    }

    /** Registers {@code body} as admin and returns the response (201 expected). */
    public static ExtractableResponse<Response> create(Map<String, Object> body) {
        return given().auth()
                .oauth2(Tokens.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/orchestrators")
                .then()
                .statusCode(201)
                .extract();
    }

    /** Replaces orchestrator {@code id}'s configuration as admin, naming {@code version}; expects {@code status}. */
    public static void put(String id, long version, Map<String, Object> body, int status) {
        given().auth()
                .oauth2(Tokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"" + version + "\"")
                .body(body)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(status);
    }

    /** Registers {@code body} and returns its id. */
    public static String createId(Map<String, Object> body) {
        return create(body).path("id");
    }
}
