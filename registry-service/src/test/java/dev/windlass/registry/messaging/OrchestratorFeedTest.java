package dev.windlass.registry.messaging;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.ChangeStream;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The change stream, on the real registry and PostgreSQL: a RESYNC first, then every committed change of an
 * orchestrator as it commits; bounded per caller like every event stream.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class OrchestratorFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/orchestrators/changes")
    URI changes;

    @Test
    void anOpenStreamGetsAResyncAndThenEveryCommittedChangeOfAnOrchestrator() throws Exception {
        try (ChangeStream stream = ChangeStream.open(changes, Tokens.viewer())) {
            assertThat(stream.status()).isEqualTo(200);
            JsonNode first = stream.next();
            assertThat(first.get("change").asText()).isEqualTo("RESYNC");
            assertThat(first.get("orchestratorId").isNull()).isTrue();

            Map<String, Object> body = tokenBody(uniqueName("feed"));
            String id = createId(body);
            assertThat(stream.nextAbout(id).get("change").asText()).isEqualTo("CREATED");

            body.put("description", Orchestrators.UPDATED_DESCRIPTION);
            Orchestrators.put(id, 0, body, 200);
            assertThat(stream.nextAbout(id).get("change").asText()).isEqualTo("UPDATED");

            given().auth()
                    .oauth2(Tokens.admin())
                    .delete("/api/orchestrators/" + id)
                    .then()
                    .statusCode(204);
            JsonNode deleted = stream.nextAbout(id);
            assertThat(deleted.get("change").asText()).isEqualTo("DELETED");
            assertThat(deleted.get("at").asText()).isNotBlank();
            assertThat(deleted.toString())
                    .as("no credential, no name: only what changed")
                    .doesNotContain("token");
        }
    }

    @Test
    void aRefusedChangeIsNotAnnounced() throws Exception {
        try (ChangeStream stream = ChangeStream.open(changes, Tokens.deployer())) {
            assertThat(stream.next().get("change").asText()).isEqualTo("RESYNC");
            Map<String, Object> body = tokenBody(uniqueName("feed-refused"));
            String id = createId(body);
            assertThat(stream.nextAbout(id).get("change").asText()).isEqualTo("CREATED");

            // a stale If-Match: nothing is committed, nothing is announced
            body.put("description", Orchestrators.UPDATED_DESCRIPTION);
            Orchestrators.put(id, 7, body, 412);
            given().auth()
                    .oauth2(Tokens.admin())
                    .delete("/api/orchestrators/" + id)
                    .then()
                    .statusCode(204);
            assertThat(stream.nextAbout(id).get("change").asText())
                    .as("the refused update was never announced")
                    .isEqualTo("DELETED");
        }
    }

    @Test
    void groupsTooManyForANotificationStillLetTheChangeCommitAndReachANonAdminAsAResync() throws Exception {
        List<String> groups = new ArrayList<>(List.of(Tokens.TEAM));
        for (int i = 1; i < 100; i++) {
            groups.add("group-" + i + "-" + "g".repeat(200));
        }
        Map<String, Object> body = tokenBody(uniqueName("feed-many"));
        body.put("allowedGroups", groups);
        try (ChangeStream admin = ChangeStream.open(changes, Tokens.admin());
                ChangeStream member = ChangeStream.open(changes, Tokens.viewer())) {
            assertThat(admin.next().get("change").asText()).isEqualTo("RESYNC");
            assertThat(member.next().get("change").asText()).isEqualTo("RESYNC");
            String id = createId(body);
            assertThat(admin.nextAbout(id).get("change").asText()).isEqualTo("CREATED");
            JsonNode told = member.next();
            assertThat(told.get("change").asText())
                    .as("which groups see it did not fit: read the list again")
                    .isEqualTo("RESYNC");
            assertThat(told.get("orchestratorId").isNull()).isTrue();
        }
    }

    @Test
    void oneCallerHoldsAtMostTenStreamsAndGetsOneBackWhenItClosesOne() throws Exception {
        List<ChangeStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                ChangeStream stream = ChangeStream.open(changes, Tokens.admin());
                open.add(stream);
                assertThat(stream.status()).isEqualTo(200);
            }
            HttpResponse<String> refused = HTTP.send(
                    HttpRequest.newBuilder(changes)
                            .header("Authorization", "Bearer " + Tokens.admin())
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(refused.body()).get("type").asText())
                    .isEqualTo("urn:windlass:problem:too-many-streams");
            try (ChangeStream other = ChangeStream.open(changes, Tokens.viewer())) {
                assertThat(other.status())
                        .as("another caller's slots are its own")
                        .isEqualTo(200);
            }

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        ChangeStream again = ChangeStream.open(changes, Tokens.admin());
                        if (again.status() == 200) {
                            open.add(again);
                            return true;
                        }
                        again.close();
                        return false;
                    });
        } finally {
            for (ChangeStream stream : open) {
                stream.close();
            }
        }
    }
}
