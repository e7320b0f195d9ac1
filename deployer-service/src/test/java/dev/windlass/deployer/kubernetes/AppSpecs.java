package dev.windlass.deployer.kubernetes;

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
import java.util.List;
import java.util.Map;

/** Application specs for tests: a minimal one, and a full one using every feature. */
final class AppSpecs {

    static final String DEFAULT_IMAGE = "ghcr.io/windlass/web:1.0.0";
    static final String UPDATED_IMAGE = "ghcr.io/windlass/web:1.1.0";
    static final String SECRET_VALUE = "s3cr3t-database-password";
    static final String HOST = "web.example.com";

    private AppSpecs() {}

    static AppSpec minimal(String name) {
        return AppSpec.of(name, DEFAULT_IMAGE);
    }

    /**
     * Every built-in object kind: Secret, PVC, NetworkPolicy, three Services, Deployment, Ingress with TLS (without
     * forward-auth, whose Middleware only a cluster with Traefik's CRD serves: {@link #protectedByAuthentik}).
     */
    static AppSpec full(String name) {
        return new AppSpec(
                name,
                DEFAULT_IMAGE,
                2,
                List.of("/app/server"),
                List.of("--port", "8080"),
                Map.of("LOG_LEVEL", "info"),
                Map.of("DB_PASSWORD", SECRET_VALUE),
                List.of(
                        new PortSpec("http", 8080, PortProtocol.TCP, Exposure.INGRESS, null),
                        PortSpec.cluster("metrics", 9090),
                        new PortSpec("dns", 5353, PortProtocol.UDP, Exposure.LOAD_BALANCER, null),
                        new PortSpec("admin", 8443, PortProtocol.TCP, Exposure.NODE_PORT, null)),
                new IngressSpec(HOST, "/", "traefik", "letsencrypt", false),
                new ResourcesSpec(new ResourceAmounts("100m", "128Mi"), new ResourceAmounts("500m", "256Mi")),
                List.of(new VolumeSpec("data", "/var/lib/web", "1Gi", "local-path")),
                new ProbesSpec(ProbeSpec.http("/health/live", 8080), ProbeSpec.tcp(8080)),
                new NetworkPolicySpec(List.of("frontend", "worker")),
                Map.of("team", "payments"),
                Map.of("windlass.example/owner", "payments@example.com"));
    }

    /** {@code spec} with Authentik forward-auth in front of its ingress. */
    static AppSpec protectedByAuthentik(AppSpec spec) {
        IngressSpec ingress = spec.ingress();
        return new AppSpec(
                spec.name(),
                spec.image(),
                spec.replicas(),
                spec.command(),
                spec.args(),
                spec.env(),
                spec.secretEnv(),
                spec.ports(),
                new IngressSpec(ingress.host(), ingress.path(), ingress.className(), ingress.tlsIssuer(), true),
                spec.resources(),
                spec.volumes(),
                spec.probes(),
                spec.networkPolicy(),
                spec.labels(),
                spec.annotations());
    }

    /** {@link #full} without volumes and without an ingress (its INGRESS port becomes CLUSTER). */
    static AppSpec withoutVolumeAndIngress(AppSpec spec) {
        return new AppSpec(
                spec.name(),
                UPDATED_IMAGE,
                spec.replicas(),
                spec.command(),
                spec.args(),
                spec.env(),
                spec.secretEnv(),
                spec.ports().stream()
                        .map(p -> p.exposure() == Exposure.INGRESS
                                ? new PortSpec(p.name(), p.containerPort(), p.protocol(), Exposure.CLUSTER, null)
                                : p)
                        .toList(),
                null,
                spec.resources(),
                List.of(),
                spec.probes(),
                spec.networkPolicy(),
                spec.labels(),
                spec.annotations());
    }

    /** Only the given ports, nothing else. */
    static AppSpec withPorts(String name, PortSpec... ports) {
        return new AppSpec(
                name,
                DEFAULT_IMAGE,
                null,
                null,
                null,
                null,
                null,
                List.of(ports),
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** {@link #full} without the ingress (its INGRESS port becomes CLUSTER) and without the NodePort Service. */
    static AppSpec withoutIngressAndNodePort(AppSpec spec) {
        return new AppSpec(
                spec.name(),
                spec.image(),
                spec.replicas(),
                spec.command(),
                spec.args(),
                spec.env(),
                spec.secretEnv(),
                spec.ports().stream()
                        .filter(p -> p.exposure() != Exposure.NODE_PORT)
                        .map(p -> p.exposure() == Exposure.INGRESS
                                ? new PortSpec(p.name(), p.containerPort(), p.protocol(), Exposure.CLUSTER, null)
                                : p)
                        .toList(),
                null,
                spec.resources(),
                spec.volumes(),
                spec.probes(),
                spec.networkPolicy(),
                spec.labels(),
                spec.annotations());
    }
}
