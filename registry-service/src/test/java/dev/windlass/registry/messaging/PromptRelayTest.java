package dev.windlass.registry.messaging;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Topics;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Tokens;
import dev.windlass.registry.support.TopicReader;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A committed change reaches Kafka at once, not at the relay's next scheduled pass: here that pass is an hour away,
 * so only the pass started by the change's notification can publish it.
 */
@QuarkusTest
@TestProfile(PromptRelayTest.HourlyRelay.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class PromptRelayTest {

    /** The scheduled relay pass runs at start and then once an hour. */
    public static class HourlyRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("windlass.registry.outbox.poll-interval", "1h");
        }
    }

    @Inject
    OrchestratorFeed feed;

    @Test
    void aChangeIsOnKafkaWithinSecondsWithTheScheduledPassAnHourAway() {
        DevStack.kafka().createTopics(3, Topics.ORCHESTRATOR_EVENTS);
        await().atMost(Duration.ofSeconds(10)).until(feed::listening);
        try (TopicReader topic = new TopicReader(Topics.ORCHESTRATOR_EVENTS)) {
            String id = createId(tokenBody(uniqueName("prompt")));
            given().auth()
                    .oauth2(Tokens.admin())
                    .delete("/api/orchestrators/" + id)
                    .then()
                    .statusCode(204);

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(OutboxRelayTest.changes(topic.withKey(id)))
                            .containsSubsequence("CREATED", "DELETED"));
        }
    }
}
