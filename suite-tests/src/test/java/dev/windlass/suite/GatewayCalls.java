package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls through the running suite's gateway, as its dev users. */
final class GatewayCalls {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GatewayCalls() {}

    /** Deploys {@code nginx:1.27} as {@code app} to namespace {@code demo} as the deployer; the deployment's id. */
    static String deploy(LocalSuite suite, String orchestrator, String app) throws Exception {
        String body = "{\"orchestrator\":\"" + orchestrator + "\",\"namespace\":\"demo\",\"spec\":{\"name\":\"" + app
                + "\",\"image\":\"nginx:1.27\"}}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/api/deployments"))
                        .header("Authorization", "Bearer " + suite.oidc().accessToken(DevUser.DEPLOYER))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asText();
    }

    /** {@code method path} as the admin, without a body. */
    static HttpResponse<String> asAdmin(LocalSuite suite, String method, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                        .header("Authorization", "Bearer " + suite.oidc().accessToken(DevUser.ADMIN))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method path} as the admin, with a JSON body. */
    static HttpResponse<String> asAdmin(LocalSuite suite, String method, String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                        .header("Authorization", "Bearer " + suite.oidc().accessToken(DevUser.ADMIN))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} as the admin, which must answer 200; its JSON. */
    static JsonNode get(LocalSuite suite, String path) throws Exception {
        HttpResponse<String> response = asAdmin(suite, "GET", path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
