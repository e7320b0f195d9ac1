package dev.windlass.common.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrchestratorRefTest {

    @Test
    void aCanonicalUuidIsAnIdAnythingElseAName() {
        UUID id = UUID.randomUUID();
        assertThat(OrchestratorRef.id(id.toString())).hasValue(id);
        assertThat(OrchestratorRef.isId("home-k3s")).isFalse();
        assertThat(OrchestratorRef.isId(id.toString().toUpperCase())).isFalse();
        assertThat(OrchestratorRef.isId(id.toString().replace("-", ""))).isFalse();
        assertThat(OrchestratorRef.isId(null)).isFalse();
    }
}
