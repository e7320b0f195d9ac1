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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An overloaded service must not cost the gateway its connections for good. Requests arrive far faster than a service
 * with two pooled connections answers, so most of them give up waiting for a connection (503 busy) while connections
 * are handed back and taken again all the time. Once the burst is over, every connection must be usable again: a slot
 * lost in the race between a waiter giving up and a connection being handed to it would leave the service unreachable
 * through the gateway (every later request 503) although it is idle.
 */
@QuarkusTest
@TestProfile(ProxyPoolRecoveryTest.TwoConnections.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class ProxyPoolRecoveryTest {

    private static final int BURST = 3000;
    private static final int IN_FLIGHT = 300;

    /** Two connections per service and a wait for one about as long as the service takes to answer. */
    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "windlass.gateway.max-connections-per-service", "2",
                    "windlass.gateway.connect-timeout", "40ms");
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void aBurstThatOverloadsAServiceLeavesEveryConnectionUsableAfterwards() throws Exception {
        String token = DevStack.oidc().accessToken(DevUser.VIEWER);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            inFlight.acquire();
            // answers held back 0-60 ms: connections come back around the moment waiters give up
            HttpRequest request = HttpRequest.newBuilder(
                            gateway.toURI().resolve("/api/orchestrators/slow?delayMs=" + (i * 7 % 61)))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60))
                    .build();
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((answer, failure) -> {
                        inFlight.release();
                        statuses.computeIfAbsent(failure == null ? answer.statusCode() : -1, s -> new AtomicInteger())
                                .incrementAndGet();
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        Map<Integer, Integer> burst = new TreeMap<>();
        statuses.forEach((status, count) -> burst.put(status, count.get()));
        assertThat(burst).as("answers during the burst").containsOnlyKeys(200, 503);
        assertThat(burst.get(503)).as("the burst overloaded the service").isPositive();

        // the service is idle now: one request after the other, each must get a connection at once
        URI quick = gateway.toURI().resolve("/api/orchestrators");
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            after.add(http.send(
                            HttpRequest.newBuilder(quick)
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode());
        }
        assertThat(after).as("answers after the burst (burst: %s)", burst).containsOnly(200);
    }
}
