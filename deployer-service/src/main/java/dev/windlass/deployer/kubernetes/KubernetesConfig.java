package dev.windlass.deployer.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the deployer talks to orchestrators' API servers. */
@ConfigMapping(prefix = "windlass.deployer.kubernetes")
public interface KubernetesConfig {

    /** Field manager of every server-side apply; objects are owned by it. */
    @WithDefault("windlass")
    String fieldManager();

    /** Longest wait for a TCP/TLS connection to an API server. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Longest wait for one API request. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** Retries of transient failures (connection errors, 409, 429, 5xx). */
    RetryConfig retry();

    /** Most requests of applies and deletes in flight at once to one orchestrator ({@link OrchestratorPermits}). */
    @WithDefault("4")
    int concurrencyPerOrchestrator();

    /** Rollout deadline when the caller gives none. */
    @WithDefault("10m")
    Duration rolloutDeadline();

    /** Namespace of the ingress controller, admitted to INGRESS ports by an app's NetworkPolicy. */
    @WithDefault(ObjectRenderer.DEFAULT_INGRESS_CONTROLLER_NAMESPACE)
    String ingressControllerNamespace();

    /** Namespace where MetalLB runs and where its IPAddressPool and L2Advertisement are kept. */
    @WithDefault(MetalLbKeeper.DEFAULT_NAMESPACE)
    String metallbNamespace();

    /** Retry of transient failures. */
    interface RetryConfig {

        /** Total time one operation may spend retrying before it fails as transient. */
        @WithDefault("2m")
        Duration budget();

        /** Backoff before the first retry; doubles each time, with jitter. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** Longest backoff between two attempts. */
        @WithDefault("15s")
        Duration maxBackoff();
    }
}
