package dev.windlass.deployer.kubernetes;

import java.time.Duration;

/** The values of {@link KubernetesConfig} as a plain record, so that tests can build them without CDI. */
public record KubernetesSettings(
        String fieldManager,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration retryBudget,
        Duration initialBackoff,
        Duration maxBackoff,
        int concurrencyPerOrchestrator,
        Duration rolloutDeadline,
        String ingressControllerNamespace,
        String metallbNamespace) {

    /** The defaults of {@link KubernetesConfig}. */
    public static KubernetesSettings defaults() {
        return new KubernetesSettings(
                "windlass",
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                Duration.ofMillis(500),
                Duration.ofSeconds(15),
                4,
                Duration.ofMinutes(10),
                ObjectRenderer.DEFAULT_INGRESS_CONTROLLER_NAMESPACE,
                MetalLbKeeper.DEFAULT_NAMESPACE);
    }

    /** The settings of a configuration mapping. */
    public static KubernetesSettings from(KubernetesConfig config) {
        return new KubernetesSettings(
                config.fieldManager(),
                config.connectTimeout(),
                config.requestTimeout(),
                config.retry().budget(),
                config.retry().initialBackoff(),
                config.retry().maxBackoff(),
                config.concurrencyPerOrchestrator(),
                config.rolloutDeadline(),
                config.ingressControllerNamespace(),
                config.metallbNamespace());
    }

    /** A copy with another retry budget and backoff. */
    public KubernetesSettings withRetry(Duration budget, Duration initial, Duration max) {
        return new KubernetesSettings(
                fieldManager,
                connectTimeout,
                requestTimeout,
                budget,
                initial,
                max,
                concurrencyPerOrchestrator,
                rolloutDeadline,
                ingressControllerNamespace,
                metallbNamespace);
    }
}
