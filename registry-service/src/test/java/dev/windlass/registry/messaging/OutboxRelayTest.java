package dev.windlass.registry.messaging;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.EmbeddedKafka;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.Topics;
import dev.windlass.events.validation.EventValidator;
import dev.windlass.registry.support.Database;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import dev.windlass.registry.support.TopicReader;
import dev.windlass.registry.support.TopicReader.Event;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outbox relays every change to Kafka, through a broker outage and without duplicates across relays. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class OutboxRelayTest {

    static TopicReader topic;

    @Inject
    OutboxRelay relay;

    @BeforeAll
    static void subscribe() {
        DevStack.kafka().createTopics(3, Topics.ORCHESTRATOR_EVENTS);
        topic = new TopicReader(Topics.ORCHESTRATOR_EVENTS);
    }

    @AfterAll
    static void unsubscribe() {
        topic.close();
    }

    static List<String> changes(List<Event> events) {
        return events.stream().map(e -> json(e).get("change").asText()).toList();
    }

    static JsonNode json(Event event) {
        try {
            return EventJson.mapper().readTree(event.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(String id, long version, Map<String, Object> body) {
        Orchestrators.put(id, version, body, 200);
    }

    @Test
    void everyChangeArrivesAsACloudEventKeyedByTheOrchestrator() {
        Map<String, Object> body = tokenBody(uniqueName("events"));
        String id = createId(body);
        body.put("description", Orchestrators.UPDATED_DESCRIPTION);
        update(id, 0, body);
        given().auth()
                .oauth2(Tokens.admin())
                .delete("/api/orchestrators/" + id)
                .then()
                .statusCode(204);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(changes(topic.withKey(id))).containsSubsequence("CREATED", "UPDATED", "DELETED"));

        List<Event> events = topic.withKey(id).stream()
                .filter(e -> !json(e).get("change").asText().equals("CONNECTION_CHANGED"))
                .toList();
        assertThat(events).hasSize(3);
        assertThat(events).extracting(e -> e.header("ce_id")).doesNotHaveDuplicates();
        for (Event event : events) {
            assertThat(event.headers())
                    .containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_type", EventType.ORCHESTRATOR_CHANGED.name())
                    .containsEntry("ce_source", "/windlass/registry-service")
                    .containsEntry("ce_subject", id)
                    .containsEntry("content-type", "application/json")
                    .containsKey("ce_time");
            assertThat(EventValidator.validate(EventType.ORCHESTRATOR_CHANGED, event.value(), event.rawHeaders())
                            .violations())
                    .isEmpty();
            JsonNode data = json(event);
            assertThat(data.get("orchestratorId").asText()).isEqualTo(id);
            assertThat(data.get("name").asText()).isEqualTo(body.get("name"));
            assertThat(data.get("actor").get("subject").asText())
                    .isEqualTo(dev.windlass.devstack.AuthentikIssuer.subjectOf("admin"));
            assertThat(event.payload())
                    .doesNotContain(Orchestrators.DEFAULT_TOKEN)
                    .doesNotContain("token");
        }
    }

    @Test
    void aConnectionStatusChangeIsAnnouncedWithItsState() {
        String id = createId(tokenBody(uniqueName("status")));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(topic.withKey(id))
                        .extracting(OutboxRelayTest::json)
                        .anySatisfy(data -> {
                            assertThat(data.get("change").asText()).isEqualTo("CONNECTION_CHANGED");
                            assertThat(data.get("connection").get("status").asText())
                                    .isEqualTo("UNREACHABLE");
                            assertThat(data.get("connection").get("message").asText())
                                    .startsWith("No Kubernetes API server answered at");
                            assertThat(data.get("actor").get("subject").asText())
                                    .isEqualTo("system:registry-service");
                        }));
    }

    @Test
    void eventsWrittenDuringABrokerOutageArriveOnceItIsBack() throws Exception {
        EmbeddedKafka kafka = DevStack.kafka();
        List<String> ids = new ArrayList<>();
        kafka.stop();
        try {
            for (int i = 0; i < 3; i++) {
                Map<String, Object> body = tokenBody(uniqueName("outage"));
                String id = createId(body);
                body.put("description", Orchestrators.UPDATED_DESCRIPTION);
                update(id, 0, body);
                ids.add(id);
            }
            assertThat(unpublishedChanges(ids))
                    .as("held in the outbox while the broker is down")
                    .containsOnly("CREATED", "UPDATED")
                    .hasSize(6);
            await().atMost(Duration.ofSeconds(30))
                    .alias("the relay notices the outage")
                    .until(relay::isFailing);
            assertThat(unpublishedChanges(ids))
                    .as("still held after failed passes")
                    .hasSize(6);
        } finally {
            kafka.start();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(changes(topic.withKey(id))).containsSubsequence("CREATED", "UPDATED");
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(unpublished(ids)).isZero());
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.isFailing());
    }

    @Test
    void concurrentRelaysPublishEachRowOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(createId(tokenBody(uniqueName("race"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> relays = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                relays.add(() -> {
                    try {
                        return VertxContextSupport.subscribeAndAwait(() -> relay.relayOnce());
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            for (var result : pool.invokeAll(relays)) {
                result.get();
            }
        } finally {
            pool.shutdown();
        }

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ids)
                        .allSatisfy(id -> assertThat(changes(topic.withKey(id))).contains("CREATED")));
        Map<String, Long> perEventId =
                topic.poll().stream().collect(Collectors.groupingBy(e -> e.header("ce_id"), Collectors.counting()));
        assertThat(perEventId)
                .allSatisfy((eventId, count) ->
                        assertThat(count).as("copies of event %s", eventId).isEqualTo(1L));
    }

    /** The change of each unpublished row of these orchestrators, except connection changes of periodic checks. */
    static List<String> unpublishedChanges(List<String> ids) throws Exception {
        String keys = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        List<String> changes = new ArrayList<>();
        try (var c = Database.connect();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("select payload from outbox_event where published_at is null"
                        + " and event_key in (" + keys + ") order by seq")) {
            while (rs.next()) {
                String change = EventJson.mapper()
                        .readTree(rs.getString(1))
                        .get("change")
                        .asText();
                if (!change.equals("CONNECTION_CHANGED")) {
                    changes.add(change);
                }
            }
        }
        return changes;
    }

    static int unpublished(List<String> ids) throws Exception {
        String keys = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        try (var c = Database.connect();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from outbox_event where published_at is null"
                        + " and event_key in (" + keys + ")")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
