package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Event streams are bounded: a caller holds at most {@code max-streams-per-caller} (10) at once, while other callers
 * and plain calls go on being answered, and a stream ends after {@code max-stream-age} (15 s in tests) with no phase
 * lost to a client that reconnects.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class StreamLimitsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    @Test
    void oneCallerHoldsAtMostTenStreamsWhileOthersAreStillAnswered() throws Exception {
        String app = uniqueApp("streamed");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        List<HttpResponse<Stream<String>>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                HttpResponse<Stream<String>> stream = open(id, DevUser.VIEWER);
                assertThat(stream.statusCode()).isEqualTo(200);
                open.add(stream);
            }

            HttpResponse<Stream<String>> refused = open(id, DevUser.VIEWER);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(String.join("\n", refused.body().toList()))
                    .contains("too-many-streams")
                    .contains("you have 10 event streams open");

            // another caller, and plain calls of the same caller, are answered
            HttpResponse<Stream<String>> other = open(id, DevUser.DEPLOYER);
            assertThat(other.statusCode()).isEqualTo(200);
            open.add(other);
            io.restassured.RestAssured.given()
                    .auth()
                    .oauth2(Api.token(DevUser.VIEWER))
                    .get("/api/deployments/" + id)
                    .then()
                    .statusCode(200);

            // a closed stream makes room for a new one
            open.remove(0).body().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                HttpResponse<Stream<String>> again = open(id, DevUser.VIEWER);
                if (again.statusCode() == 200) {
                    open.add(again);
                    return true;
                }
                again.body().close();
                return false;
            });
        } finally {
            open.forEach(stream -> stream.body().close());
            Kubelet.rollOut(RegistryStandIn.LOCAL_NAMESPACE, app);
        }
    }

    @Test
    void aStreamEndsAfterItsMostAgeAndAReconnectLosesNoPhase() throws Exception {
        String app = uniqueApp("aged");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        try {
            long started = System.nanoTime();
            HttpResponse<Stream<String>> first = open(id, DevUser.VIEWER);
            List<String> phases = phases(first);
            Duration lasted = Duration.ofNanos(System.nanoTime() - started);

            assertThat(lasted).isBetween(Duration.ofSeconds(14), Duration.ofSeconds(25));
            assertThat(Api.phase(id)).as("the deployment is still unfinished").isEqualTo("PROGRESSING");
            assertThat(phases).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING");

            Kubelet.rollOut(RegistryStandIn.LOCAL_NAMESPACE, app);
            assertThat(phases(open(id, DevUser.VIEWER)))
                    .containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
        } finally {
            Kubelet.rollOut(RegistryStandIn.LOCAL_NAMESPACE, app);
        }
    }

    private HttpResponse<Stream<String>> open(UUID id, DevUser user) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/deployments/" + id + "/events"))
                .header("Authorization", "Bearer " + Api.token(user))
                .header("Accept", "text/event-stream")
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(20, TimeUnit.SECONDS);
    }

    private static List<String> phases(HttpResponse<Stream<String>> stream) {
        try (Stream<String> lines = stream.body()) {
            return lines.filter(line -> line.startsWith("data:"))
                    .map(line -> line.replaceAll(".*\"phase\":\"([A-Z]+)\".*", "$1"))
                    .toList();
        }
    }
}
