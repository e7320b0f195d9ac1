package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The namespaces' object cache on the dev-stack API server: a deploy's owner check and an app's live objects read no
 * object from the API server once the namespace is watched, a foreign object the watch has seen still stops a deploy,
 * Secrets are kept without their values, a kind the credentials may not watch is read one by one as before, and an
 * unused namespace's informers stop.
 */
class ObjectCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor(), new RequestMetrics(meters));

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void aRedeployAndTheAppsLiveObjectsReadNothingFromTheApiServerOnceTheNamespaceIsWatched() {
        ClusterConnection cluster = TestClusters.admin("cached");
        String namespace = existingNamespace("cached");
        ApplyResult first = operations
                .apply(cluster, namespace, AppSpecs.full("web"), 1, PruneScope.of(List.of()))
                .await()
                .atMost(WAIT);
        List<ObjectRef> refs = first.applied().stream()
                .filter(ref -> namespace.equals(ref.namespace()))
                .toList();
        double reads = requests("GET");

        operations
                .apply(cluster, namespace, AppSpecs.full("web"), 2, PruneScope.of(refs))
                .await()
                .atMost(WAIT);
        List<LiveObject> live =
                operations.liveObjects(cluster, namespace, "web", refs).await().atMost(WAIT);

        assertThat(requests("GET") - reads)
                .as("no object read for the owner check of eight objects nor for their live state")
                .isZero();
        assertThat(requests("PATCH")).as("the objects were applied").isGreaterThanOrEqualTo(16);
        assertThat(live).hasSize(refs.size());
        assertThat(live)
                .as("every object found, and its own")
                .allSatisfy(object -> assertThat(
                                object.health() == null
                                        ? null
                                        : object.health().status().name())
                        .isNotIn("Missing", "Unknown"));
    }

    @Test
    void aForeignObjectTheWatchHasSeenStopsTheDeployWithoutARead() {
        ClusterConnection cluster = TestClusters.admin("cached-foreign");
        String namespace = existingNamespace("cached-foreign");
        operations
                .apply(cluster, namespace, AppSpecs.minimal("web"), 1, PruneScope.of(List.of()))
                .await()
                .atMost(WAIT);
        admin.services()
                .inNamespace(namespace)
                .resource(ObjectOwnershipTest.helmService(namespace))
                .create();
        ObjectCache.View view = operations.objects().view(operations.client(cluster), cluster.name(), namespace);
        Awaitility.await().atMost(WAIT).until(() -> view.get(Service.class, "vault") != null);
        double reads = requests("GET");

        assertThatThrownBy(() -> operations
                        .apply(
                                cluster,
                                namespace,
                                AppSpecs.withPorts("vault", PortSpec.cluster("http", 8080)),
                                1,
                                PruneScope.of(List.of()))
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(409);
                    assertThat(e.getMessage())
                            .contains(
                                    "Service " + namespace + "/vault already exists and belongs to Helm release vault");
                });
        assertThat(requests("GET") - reads).as("known from the watch").isZero();
        assertThat(admin.services()
                        .inNamespace(namespace)
                        .withName("vault")
                        .get()
                        .getSpec()
                        .getSelector())
                .containsExactly(Map.entry("app", "vault-server"));
    }

    @Test
    void secretsAreKeptWithoutTheirValuesAndAKindThatMayNotBeWatchedIsReadOneByOne() {
        String namespace = existingNamespace("cached-secrets");
        admin.secrets()
                .inNamespace(namespace)
                .resource(foreignSecret(namespace))
                .create();
        ClusterConnection full = TestClusters.admin("cached-secrets");
        ClusterConnection noWatch = TestClusters.serviceAccount(
                "cached-no-watch",
                namespace,
                List.of(
                        rule("", List.of("secrets"), "get", "list"),
                        rule("", List.of("services", "persistentvolumeclaims", "pods"), "get", "list", "watch"),
                        rule("apps", List.of("deployments"), "get", "list", "watch"),
                        rule("networking.k8s.io", List.of("ingresses", "networkpolicies"), "get", "list", "watch")));
        ObjectCache cache = operations.objects();

        Secret cached =
                cache.view(operations.client(full), full.name(), namespace).get(Secret.class, "web-env");
        Secret read = cache.view(operations.client(noWatch), noWatch.name(), namespace)
                .get(Secret.class, "web-env");

        assertThat(cached.getMetadata().getAnnotations()).containsEntry("meta.helm.sh/release-name", "web");
        assertThat(cached.getData()).as("the cache keeps no Secret value").isNullOrEmpty();
        assertThat(read.getData())
                .as("without the right to watch Secrets, the Secret is read from the API server")
                .containsKey("password");
        assertThat(cache.view(operations.client(noWatch), noWatch.name(), namespace)
                        .get(Service.class, "none"))
                .isNull();
    }

    @Test
    void theCacheKeepsNoSecretValueNoKubectlCopyAndOnlyTheManagersNames() {
        Secret secret = new SecretBuilder(foreignSecret("lean"))
                .editMetadata()
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"password\":\"x\"}}")
                .addNewManagedField()
                .withManager("kubectl-client-side-apply")
                .withOperation("Update")
                .withNewFieldsV1()
                .addToAdditionalProperties("f:data", Map.of())
                .endFieldsV1()
                .endManagedField()
                .endMetadata()
                .withData(Map.of("password", "bm90LWZvci13aW5kbGFzcw=="))
                .build();

        Secret kept = ObjectCache.LeanStore.lean(secret);

        assertThat(kept.getData()).isNull();
        assertThat(kept.getStringData()).isNull();
        assertThat(kept.getMetadata().getAnnotations()).containsOnlyKeys("meta.helm.sh/release-name");
        assertThat(kept.getMetadata().getManagedFields()).singleElement().satisfies(entry -> {
            assertThat(entry.getManager()).isEqualTo("kubectl-client-side-apply");
            assertThat(entry.getFieldsV1()).isNull();
        });
        assertThat(ObjectOwnership.describeOwner(kept)).isEqualTo("Helm release web");
    }

    @Test
    void anUnusedNamespaceStopsWhileAFollowedOneStays() {
        ClientCache clients = new ClientCache(new ClientFactory(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        ObjectCache cache =
                new ObjectCache(clients, TestClusters.executor(), Duration.ofMillis(300), Duration.ofSeconds(30));
        try {
            ClusterConnection cluster = TestClusters.admin("cached-idle");
            KubernetesClient client = clients.client(cluster);
            cache.view(client, cluster.name(), existingNamespace("cached-idle"));
            AutoCloseable followed =
                    cache.listen(client, cluster.name(), existingNamespace("cached-followed"), new NoHandler());
            assertThat(cache.started()).isEqualTo(2);

            Awaitility.await().atMost(WAIT).until(() -> cache.cached() == 1);
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> cache.cached() == 1);
            followed.close();
            Awaitility.await().atMost(WAIT).until(() -> cache.cached() == 0);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            cache.close();
            clients.close();
        }
    }

    private double requests(String method) {
        return TestClusters.requests(meters, method);
    }

    private static PolicyRule rule(String group, List<String> resources, String... verbs) {
        return new PolicyRuleBuilder()
                .withApiGroups(group)
                .withResources(resources)
                .withVerbs(verbs)
                .build();
    }

    private static String existingNamespace(String prefix) {
        String namespace = TestClusters.namespace(prefix);
        TestClusters.kube().ensureNamespace(namespace);
        return namespace;
    }

    private static Secret foreignSecret(String namespace) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName("web-env")
                .withNamespace(namespace)
                .withAnnotations(Map.of("meta.helm.sh/release-name", "web"))
                .endMetadata()
                .withStringData(Map.of("password", "not-for-windlass"))
                .build();
    }

    private static final class NoHandler
            implements io.fabric8.kubernetes.client.informers.ResourceEventHandler<
                    io.fabric8.kubernetes.api.model.HasMetadata> {
        @Override
        public void onAdd(io.fabric8.kubernetes.api.model.HasMetadata object) {}

        @Override
        public void onUpdate(
                io.fabric8.kubernetes.api.model.HasMetadata before,
                io.fabric8.kubernetes.api.model.HasMetadata after) {}

        @Override
        public void onDelete(io.fabric8.kubernetes.api.model.HasMetadata object, boolean unknownFinalState) {}
    }
}
