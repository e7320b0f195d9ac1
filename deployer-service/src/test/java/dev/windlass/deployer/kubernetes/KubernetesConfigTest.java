package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesConfigTest {

    @Test
    void theMappingsDefaultsAreTheSettingsDefaults() {
        KubernetesConfig config = config(Map.of());

        assertThat(KubernetesSettings.from(config)).isEqualTo(KubernetesSettings.defaults());
    }

    @Test
    void everyKeyCanBeSet() {
        KubernetesConfig config = config(Map.ofEntries(
                Map.entry("windlass.deployer.kubernetes.field-manager", "windlass-test"),
                Map.entry("windlass.deployer.kubernetes.connect-timeout", "2s"),
                Map.entry("windlass.deployer.kubernetes.request-timeout", "4s"),
                Map.entry("windlass.deployer.kubernetes.retry.budget", "30s"),
                Map.entry("windlass.deployer.kubernetes.retry.initial-backoff", "100ms"),
                Map.entry("windlass.deployer.kubernetes.retry.max-backoff", "5s"),
                Map.entry("windlass.deployer.kubernetes.concurrency-per-orchestrator", "2"),
                Map.entry("windlass.deployer.kubernetes.rollout-deadline", "15m"),
                Map.entry("windlass.deployer.kubernetes.ingress-controller-namespace", "traefik"),
                Map.entry("windlass.deployer.kubernetes.metallb-namespace", "lb")));

        assertThat(KubernetesSettings.from(config))
                .isEqualTo(new KubernetesSettings(
                        "windlass-test",
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(5),
                        2,
                        Duration.ofMinutes(15),
                        "traefik",
                        "lb"));
    }

    private static KubernetesConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .withMapping(KubernetesConfig.class)
                .build();
        return config.getConfigMapping(KubernetesConfig.class);
    }
}
