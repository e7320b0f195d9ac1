package dev.windlass.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A service slower than the requests arriving: with every pooled connection in use for the whole wait, the gateway
 * answers 503 with {@code Retry-After} (try again shortly), not 502 (the service is not down) — the answer a careful
 * client retries on.
 */
@QuarkusTest
@TestProfile(ProxyBusyTest.OneConnection.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class ProxyBusyTest {

    @TestHTTPResource("/")
    URL gateway;

    /** One connection per service, and a short wait for it. */
    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "windlass.gateway.max-connections-per-service", "1",
                    "windlass.gateway.connect-timeout", "300ms");
        }
    }

    @Test
    void aServiceWhoseConnectionsAreAllInUseIsA503WithRetryAfter() {
        String token = DevStack.oidc().accessToken(DevUser.VIEWER);
        int before = TestBackends.registry().received().size();
        // holds the only connection to the registry for 1.5 s (less than the first-byte timeout)
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> given().auth()
                .oauth2(token)
                .get("/api/orchestrators/slow?delayMs=1500")
                .statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TestBackends.registry().received().size() > before);

        given().auth()
                .oauth2(token)
                .get("/api/orchestrators")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("title", is("Service Unavailable"))
                .body(
                        "detail",
                        is("registry-service is busy: all 1 connections to it stayed in use for 300 ms; try again"
                                + " shortly."));

        assertThat(slow.join()).isEqualTo(200);
        // once the connection is free again, the next request goes through
        given().auth().oauth2(token).get("/api/orchestrators").then().statusCode(200);
    }

    @Test
    void openEventStreamsDoNotTakeTheConnectionsOfPlainCalls() throws Exception {
        String token = DevStack.oidc().accessToken(DevUser.VIEWER);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
        try {
            // three streams that stay open far longer than the test, against one connection per service
            for (int i = 0; i < 3; i++) {
                streams.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create(
                                        gateway + "api/deployments/d-" + i + "/events?count=100&intervalMs=1000"))
                                .header("Authorization", "Bearer " + token)
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines()));
            }
            for (CompletableFuture<HttpResponse<Stream<String>>> stream : streams) {
                assertThat(stream.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode())
                        .isEqualTo(200);
            }

            given().auth().oauth2(token).get("/api/deployments").then().statusCode(200);
        } finally {
            streams.forEach(
                    stream -> stream.thenAccept(response -> response.body().close()));
        }
    }
}
