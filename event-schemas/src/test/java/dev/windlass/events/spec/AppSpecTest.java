package dev.windlass.events.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.events.TestEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppSpecTest {

    @Test
    void toStringNeverPrintsSecretValues() {
        AppSpec spec = TestEvents.fullSpec();
        assertThat(spec.toString())
                .contains("secretEnv={DB_PASSWORD=" + AppSpec.MASK + "}")
                .contains("LOG_LEVEL=info")
                .doesNotContain(TestEvents.DEFAULT_SECRET);
        assertThat(TestEvents.applyRequest(spec).toString()).doesNotContain(TestEvents.DEFAULT_SECRET);
    }

    @Test
    void appliesDefaults() {
        AppSpec spec = AppSpec.of("web", "nginx");
        assertThat(spec.replicas()).isEqualTo(AppSpec.DEFAULT_REPLICAS);
        assertThat(spec.command()).isEmpty();
        assertThat(spec.secretEnv()).isEmpty();
        PortSpec port = new PortSpec("http", 80, null, null, null);
        assertThat(port.protocol()).isEqualTo(PortProtocol.TCP);
        assertThat(port.exposure()).isEqualTo(Exposure.CLUSTER);
        assertThat(IngressSpec.host("a.example.com").path()).isEqualTo("/");
        ProbeSpec probe = ProbeSpec.tcp(80);
        assertThat(probe.initialDelaySeconds()).isZero();
        assertThat(probe.periodSeconds()).isEqualTo(10);
    }

    @Test
    void isImmutableAndDetachedFromItsInputs() {
        List<String> args = new ArrayList<>(List.of("--port", "80"));
        Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1"));
        AppSpec spec = new AppSpec(
                "web", "nginx", null, null, args, env, null, null, null, null, null, null, null, null, null);
        args.add("--debug");
        env.put("B", "2");

        assertThat(spec.args()).containsExactly("--port", "80");
        assertThat(spec.env()).containsOnlyKeys("A");
        assertThatThrownBy(() -> spec.args().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.env().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsEnvironmentOrderForDependentVariables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOST", "db");
        env.put("URL", "jdbc:postgresql://$(HOST)/app");
        env.put("A_LAST", "x");
        AppSpec spec = new AppSpec(
                "web", "nginx", null, null, null, env, null, null, null, null, null, null, null, null, null);
        assertThat(spec.env().keySet()).containsExactly("HOST", "URL", "A_LAST");
    }
}
