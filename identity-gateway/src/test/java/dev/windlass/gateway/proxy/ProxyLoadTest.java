package dev.windlass.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent proxied requests: every one must reach the service and come back, none may wait for a pooled
 * connection that an earlier request still holds (a leak would show as 502s after the connect timeout). More
 * callers than the proxy's pool holds (50), some answers held back 20 ms, so requests also wait for a connection.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class ProxyLoadTest {

    private static final int REQUESTS = 400;
    private static final int CONCURRENCY = 64;

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void everyConcurrentRequestReachesTheServiceAndIsAnswered() throws Exception {
        String token = DevStack.oidc().accessToken(DevUser.ADMIN);
        String run = UUID.randomUUID().toString();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                URI uri = gateway.toURI()
                        .resolve("/api/orchestrators?load=" + run + "-" + i + "&delayMs=" + (i % 3 == 0 ? 20 : 0));
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build();
                answers.add(callers.submit(() ->
                        http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }

            assertThat(statuses).isEqualTo(Map.of(200, REQUESTS));
            Set<String> seen = TestBackends.registry().received().stream()
                    .map(echo -> echo.getString("query"))
                    .filter(query -> query != null && query.startsWith("load=" + run + "-"))
                    .map(query -> query.substring(0, query.indexOf('&')))
                    .collect(Collectors.toSet());
            assertThat(seen).hasSize(REQUESTS);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void concurrentUploadsAreForwardedWholeAndAnswered() throws Exception {
        String token = DevStack.oidc().accessToken(DevUser.ADMIN);
        String run = UUID.randomUUID().toString();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS / 3; i++) {
                String body = new JsonObject().put("run", run).put("n", i).encode();
                HttpRequest request = HttpRequest.newBuilder(gateway.toURI().resolve("/api/deployments/load-" + i))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                answers.add(callers.submit(() -> http.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get();
                assertThat(answer.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(new JsonObject(answer.body()).getString("body"))
                        .isEqualTo(new JsonObject().put("run", run).put("n", i).encode());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
