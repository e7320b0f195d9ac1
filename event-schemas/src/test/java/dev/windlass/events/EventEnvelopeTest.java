package dev.windlass.events;

import static dev.windlass.events.TestEvents.DEFAULT_EVENT_ID;
import static dev.windlass.events.TestEvents.DEFAULT_ORCHESTRATOR_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.orchestrator.ConnectionStatus;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static Map<String, String> text(Map<String, byte[]> headers) {
        Map<String, String> text = new LinkedHashMap<>();
        headers.forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
        return text;
    }

    @Test
    void buildsTheBinaryModeHeaderSet() {
        DeploymentRequested request = TestEvents.applyRequest(TestEvents.fullSpec());
        EventEnvelope<DeploymentRequested> envelope = EventEnvelope.of(
                EventType.DEPLOYMENT_REQUESTED, DEFAULT_EVENT_ID, CloudEventHeaders.SOURCE_DEPLOYER, request);

        assertThat(text(envelope.headers()))
                .containsExactly(
                        entry("ce_specversion", "1.0"),
                        entry("ce_id", DEFAULT_EVENT_ID.toString()),
                        entry("ce_source", "/windlass/deployer-service"),
                        entry("ce_type", "dev.windlass.deployment.requested.v1"),
                        entry("ce_time", "2026-03-14T09:26:53Z"),
                        entry("ce_subject", "home-k3s/shop/storefront"),
                        entry("content-type", "application/json"));
        assertThat(envelope.key()).isEqualTo("home-k3s/shop/storefront");
        assertThat(envelope.topic()).isEqualTo("windlass.deploy.requests.v1");
        assertThat(envelope.payload()).isEqualTo(EventJson.toBytes(request));
    }

    @Test
    void statusEventsShareTheKeyOfTheirRequests() {
        var status = EventEnvelope.create(
                EventType.DEPLOYMENT_STATUS,
                CloudEventHeaders.SOURCE_DEPLOYER,
                TestEvents.status(DeploymentPhase.PROGRESSING));
        assertThat(status.key()).isEqualTo(EventKeys.deployment("home-k3s", "shop", "storefront"));
        assertThat(status.topic()).isEqualTo(Topics.DEPLOY_STATUS);
        assertThat(status.id())
                .isNotEqualTo(EventEnvelope.create(EventType.DEPLOYMENT_STATUS, "/x", status.data())
                        .id());
    }

    @Test
    void orchestratorEventsAreKeyedByIdNotName() {
        OrchestratorChanged change = TestEvents.connectionChanged(ConnectionStatus.UNREACHABLE);
        var envelope = EventEnvelope.create(EventType.ORCHESTRATOR_CHANGED, CloudEventHeaders.SOURCE_REGISTRY, change);
        assertThat(envelope.key()).isEqualTo(DEFAULT_ORCHESTRATOR_ID.toString());
        assertThat(envelope.topic()).isEqualTo(Topics.ORCHESTRATOR_EVENTS);
    }

    @Test
    void keyRuleRefusesPartsThatWouldMakeItAmbiguous() {
        assertThat(EventKeys.deployment("a", "b", "c")).isEqualTo("a/b/c");
        assertThatIllegalArgumentException().isThrownBy(() -> EventKeys.deployment("a/b", "c", "d"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventKeys.deployment("a", " ", "d"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventKeys.deployment("a", "b", null));
    }

    @Test
    void typesAreFoundByName() {
        assertThat(EventType.byName("dev.windlass.orchestrator.changed.v1")).contains(EventType.ORCHESTRATOR_CHANGED);
        assertThat(EventType.byName("dev.windlass.orchestrator.changed.v2")).isEmpty();
        assertThat(EventType.all())
                .extracting(EventType::name)
                .allMatch(name -> name.matches("dev\\.windlass\\.[a-z.]+\\.v[0-9]+"));
        assertThat(EventType.all())
                .extracting(EventType::topic)
                .allMatch(topic -> topic.matches("windlass\\.[a-z.]+\\.v[0-9]+"));
    }
}
