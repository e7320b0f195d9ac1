package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.spec.AppSpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private final ObjectMapper mapper = EventJson.mapper();

    @Test
    void writesInstantsAsIsoStringsAndOmitsNulls() throws Exception {
        DeploymentStatusChanged status = TestEvents.status(DeploymentPhase.ACCEPTED);
        JsonNode json = mapper.readTree(EventJson.toBytes(status));

        assertThat(json.get("occurredAt").asText()).isEqualTo("2026-03-14T09:26:53Z");
        assertThat(json.get("objects").get(1).has("namespace")).isFalse();
        assertThat(json.toString()).doesNotContain("null");
    }

    @Test
    void omitsEmptyCollectionsOfASpecAndRestoresThemAsEmpty() throws Exception {
        String json = new String(EventJson.toBytes(AppSpec.of("web", "nginx")), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"name\":\"web\",\"image\":\"nginx\",\"replicas\":1}");
        AppSpec read = mapper.readValue(json, AppSpec.class);
        assertThat(read.env()).isEmpty();
        assertThat(read.ports()).isEmpty();
        assertThat(read).isEqualTo(AppSpec.of("web", "nginx"));
    }

    @Test
    void ignoresUnknownPropertiesForAdditiveEvolution() throws Exception {
        AppSpec read = mapper.readValue("{\"name\":\"web\",\"image\":\"nginx\",\"gpu\":{\"count\":1}}", AppSpec.class);
        assertThat(read).isEqualTo(AppSpec.of("web", "nginx"));
    }

    @Test
    void readsInstantsWithOffsets() throws Exception {
        DeploymentStatusChanged status = TestEvents.status(DeploymentPhase.ACCEPTED);
        var tree = JsonEdits.tree(status).put("occurredAt", "2026-03-14T10:26:53+01:00");
        assertThat(mapper.treeToValue(tree, DeploymentStatusChanged.class)).isEqualTo(status);
    }

    @Test
    void mapperIsANewInstanceEachTime() {
        assertThat(EventJson.mapper()).isNotSameAs(EventJson.mapper());
    }
}
