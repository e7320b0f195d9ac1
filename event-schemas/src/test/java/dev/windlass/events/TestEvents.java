package dev.windlass.events;

import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.orchestrator.ConnectionState;
import dev.windlass.events.orchestrator.ConnectionStatus;
import dev.windlass.events.orchestrator.OrchestratorChange;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import dev.windlass.events.orchestrator.OrchestratorEnvironment;
import dev.windlass.events.orchestrator.OrchestratorType;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.IngressSpec;
import dev.windlass.events.spec.NetworkPolicySpec;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.spec.ProbeSpec;
import dev.windlass.events.spec.ProbesSpec;
import dev.windlass.events.spec.ResourceAmounts;
import dev.windlass.events.spec.ResourcesSpec;
import dev.windlass.events.spec.VolumeSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test data: default values and small factories for events, specs and headers. */
public final class TestEvents {

    public static final UUID DEFAULT_DEPLOYMENT_ID = UUID.fromString("6f1c2b9e-8a4d-4f0e-9b7a-2d3c4e5f6a7b");
    public static final UUID DEFAULT_EVENT_ID = UUID.fromString("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
    public static final UUID DEFAULT_ORCHESTRATOR_ID = UUID.fromString("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f");
    public static final String DEFAULT_ORCHESTRATOR = "home-k3s";
    public static final String DEFAULT_NAMESPACE = "shop";
    public static final String DEFAULT_APP = "storefront";
    public static final String DEFAULT_IMAGE = "ghcr.io/example/storefront:1.4.2";
    public static final String DEFAULT_SECRET = "correct-horse-battery-staple";
    public static final Instant DEFAULT_TIME = Instant.parse("2026-03-14T09:26:53Z");
    public static final Actor DEFAULT_ACTOR = new Actor("8b1f0e3c-5d2a-4c7e-9f10-3a2b1c0d9e8f", "alice");

    private TestEvents() {}

    /** A spec that uses every feature once. */
    public static AppSpec fullSpec() {
        return new AppSpec(
                DEFAULT_APP,
                DEFAULT_IMAGE,
                2,
                List.of("java"),
                List.of("-jar", "/app/app.jar"),
                Map.of("LOG_LEVEL", "info"),
                Map.of("DB_PASSWORD", DEFAULT_SECRET),
                List.of(
                        new PortSpec("http", 8080, PortProtocol.TCP, Exposure.INGRESS, null),
                        PortSpec.cluster("metrics", 9090),
                        new PortSpec("dns", 5353, PortProtocol.UDP, Exposure.LOAD_BALANCER, null),
                        new PortSpec("debug", 5005, PortProtocol.TCP, Exposure.NODE_PORT, 30505)),
                new IngressSpec("shop.example.com", "/", "traefik", "letsencrypt-prod", true),
                new ResourcesSpec(new ResourceAmounts("250m", "256Mi"), new ResourceAmounts("1", "512Mi")),
                List.of(new VolumeSpec("uploads", "/var/lib/uploads", "10Gi", "local-path")),
                new ProbesSpec(ProbeSpec.http("/q/health/live", 8080), ProbeSpec.tcp(8080)),
                new NetworkPolicySpec(List.of("checkout")),
                Map.of("tier", "frontend"),
                Map.of("example.com/owner", "team-shop"));
    }

    public static DeploymentRequested applyRequest(AppSpec spec) {
        return DeploymentRequested.apply(
                DEFAULT_DEPLOYMENT_ID, DEFAULT_ORCHESTRATOR, DEFAULT_NAMESPACE, spec, DEFAULT_ACTOR, DEFAULT_TIME);
    }

    public static DeploymentStatusChanged status(DeploymentPhase phase) {
        return new DeploymentStatusChanged(
                DEFAULT_DEPLOYMENT_ID,
                DEFAULT_ORCHESTRATOR,
                DEFAULT_NAMESPACE,
                DEFAULT_APP,
                phase,
                "phase " + phase,
                4,
                List.of(
                        new ObjectRef("Deployment", DEFAULT_NAMESPACE, DEFAULT_APP),
                        new ObjectRef("Namespace", null, DEFAULT_NAMESPACE)),
                DEFAULT_TIME);
    }

    public static OrchestratorChanged connectionChanged(ConnectionStatus status) {
        return new OrchestratorChanged(
                OrchestratorChange.CONNECTION_CHANGED,
                DEFAULT_ORCHESTRATOR_ID,
                DEFAULT_ORCHESTRATOR,
                OrchestratorType.K3S,
                OrchestratorEnvironment.DEV,
                new ConnectionState(status, "checked", "v1.31.2+k3s1", 42L, DEFAULT_TIME),
                DEFAULT_TIME,
                Actor.system("registry-service"));
    }

    /** The headers a producer would send with this payload. */
    public static <T> Map<String, byte[]> headersFor(EventType<T> type, T payload) {
        return EventEnvelope.of(type, DEFAULT_EVENT_ID, CloudEventHeaders.SOURCE_DEPLOYER, payload)
                .headers();
    }

    /** A copy of the headers with one header set (or removed, for null). */
    public static Map<String, byte[]> withHeader(Map<String, byte[]> headers, String name, String value) {
        Map<String, byte[]> copy = new LinkedHashMap<>(headers);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value.getBytes(StandardCharsets.UTF_8));
        }
        return copy;
    }
}
