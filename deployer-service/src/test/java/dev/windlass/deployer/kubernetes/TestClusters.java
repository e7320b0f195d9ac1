package dev.windlass.deployer.kubernetes;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** Connections to the dev-stack API server, unique namespaces, and settings with a small retry budget. */
final class TestClusters {

    static final Duration TEST_RETRY_BUDGET = Duration.ofSeconds(2);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ScheduledExecutorService EXECUTOR = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "kube-test-worker");
        thread.setDaemon(true);
        return thread;
    });

    private TestClusters() {}

    static KubeApiServer kube() {
        return DevStack.kube();
    }

    /** A namespace name nobody else uses in this JVM's cluster. */
    static String namespace(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + SEQUENCE.incrementAndGet();
    }

    /**
     * The admin of the dev-stack cluster as a K8S orchestrator authenticating with a client certificate; the same name
     * gives the same orchestrator id, so that connections made for one orchestrator own the same objects.
     */
    static ClusterConnection admin(String name) {
        return admin(kube(), name);
    }

    /** The admin of {@code kube} as {@link #admin(String)} gives that of the dev-stack cluster. */
    static ClusterConnection admin(KubeApiServer kube, String name) {
        return new ClusterConnection(
                id(name),
                name,
                "K8S",
                "dev",
                kube.url(),
                ClientFactory.CERTIFICATE,
                null,
                kube.adminClientCertPem(),
                kube.adminClientKeyPem(),
                kube.caCertPem(),
                false,
                null,
                "default",
                List.of("windlass-deployers"),
                1);
    }

    /** The admin as a K3S orchestrator with a MetalLB range. */
    static ClusterConnection k3s(String name, String range) {
        ClusterConnection admin = admin(name);
        return new ClusterConnection(
                admin.id(),
                name,
                ClusterConnection.K3S,
                "dev",
                admin.apiServerUrl(),
                admin.authType(),
                null,
                admin.clientCertificatePem(),
                admin.clientKeyPem(),
                admin.caCertificatePem(),
                false,
                range,
                "default",
                List.of(),
                1);
    }

    /** A ServiceAccount of {@code namespace} with exactly {@code rules} there, as a TOKEN orchestrator. */
    static ClusterConnection serviceAccount(String name, String namespace, List<PolicyRule> rules) {
        KubeApiServer kube = kube();
        String token = kube.serviceAccountToken(namespace, name, rules);
        return token(name, kube.url(), token, kube.caCertPem(), false);
    }

    static ClusterConnection token(String name, String url, String token, String caPem, boolean skipTlsVerify) {
        return new ClusterConnection(
                id(name),
                name,
                "K8S",
                "dev",
                url,
                ClientFactory.TOKEN,
                token,
                null,
                null,
                caPem,
                skipTlsVerify,
                null,
                null,
                List.of(),
                1);
    }

    /** The id of the test orchestrator named {@code name}. */
    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Defaults with a retry budget small enough for tests. */
    static KubernetesSettings settings() {
        return KubernetesSettings.defaults()
                .withRetry(TEST_RETRY_BUDGET, Duration.ofMillis(50), Duration.ofMillis(400));
    }

    /** The renderer the cluster layer builds from {@link #settings()}. */
    static ObjectRenderer renderer() {
        KubernetesSettings settings = settings();
        return new ObjectRenderer(settings.ingressControllerNamespace());
    }

    /** A revision applier as the cluster layer builds it from {@link #settings()}, applying on the calling thread. */
    static RevisionApplier revisions() {
        KubernetesSettings settings = settings();
        ServerSideApplier applier = new ServerSideApplier(settings.fieldManager());
        return new RevisionApplier(
                new NamespaceKeeper(), new MetalLbKeeper(applier, settings.metallbNamespace()), applier, new Pruner());
    }

    static ScheduledExecutorService executor() {
        return EXECUTOR;
    }

    /**
     * A one-container Deployment someone other than Windlass made, named {@code name}, with {@code labels} and {@code
     * annotations} on it and a selector of its own ({@code app: <name>}).
     */
    static io.fabric8.kubernetes.api.model.apps.Deployment foreignDeployment(
            String name, Map<String, String> labels, Map<String, String> annotations) {
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage("registry.example.com/" + name + ":1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * How many requests the clients counting into {@code meters} ({@link RequestMetrics}) have sent so far; with {@code
     * method} null, of every method.
     */
    static double requests(MeterRegistry meters, String method) {
        Search search = meters.find("windlass.kubernetes.requests");
        if (method != null) {
            search = search.tag("method", method);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }
}
