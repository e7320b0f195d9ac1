package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.windlass.devstack.FreePorts;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FabricClusterOperationsTest {

    private static final String APP = "web";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());
    private final ClusterConnection cluster = TestClusters.admin("local");

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void aDeployCreatesExactlyTheExpectedObjectsWithTheirLabels() {
        String namespace = TestClusters.namespace("deploy");

        ApplyResult result = result(operations.apply(cluster, namespace, AppSpecs.full(APP), 1));

        List<ObjectRef> expected = List.of(
                new ObjectRef("Secret", namespace, "web-env"),
                new ObjectRef("PersistentVolumeClaim", namespace, "web-data"),
                new ObjectRef("NetworkPolicy", namespace, "web"),
                new ObjectRef("Service", namespace, "web"),
                new ObjectRef("Service", namespace, "web-lb"),
                new ObjectRef("Service", namespace, "web-np"),
                new ObjectRef("Deployment", namespace, "web"),
                new ObjectRef("Ingress", namespace, "web"));
        assertThat(result.applied())
                .containsExactlyElementsOf(concat(new ObjectRef("Namespace", null, namespace), expected));
        assertThat(result.pruned()).isEmpty();
        assertThat(liveObjects(namespace, APP))
                .extracting(ObjectRefs::of)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(liveObjects(namespace, APP))
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/name", APP)
                        .containsEntry("app.kubernetes.io/managed-by", "windlass")
                        .containsEntry("windlass.dev/revision", "1"));
        assertThat(liveObjects(namespace, APP))
                .allSatisfy(o -> assertThat(o.getMetadata().getManagedFields())
                        .extracting(f -> f.getManager(), f -> f.getOperation())
                        .contains(tuple("windlass", "Apply")));
    }

    @Test
    void aNamespaceWindlassCreatesCarriesPodSecurityAndManagedByLabels() {
        String namespace = TestClusters.namespace("psa");

        result(operations.apply(cluster, namespace, AppSpecs.minimal(APP), 1));

        assertThat(admin.namespaces().withName(namespace).get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("app.kubernetes.io/managed-by", "windlass");
    }

    @Test
    void anExistingNamespaceIsLeftAsItIs() {
        String namespace = TestClusters.namespace("existing");
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .addToLabels("owner", "platform")
                        .endMetadata()
                        .build())
                .create();

        ApplyResult result = result(operations.apply(cluster, namespace, AppSpecs.minimal(APP), 1));

        assertThat(result.applied()).extracting(ObjectRef::kind).containsExactly("Deployment");
        assertThat(admin.namespaces().withName(namespace).get().getMetadata().getLabels())
                .containsEntry("owner", "platform")
                .doesNotContainKey("pod-security.kubernetes.io/enforce");
    }

    @Test
    void applyingTheSameRevisionTwiceChangesNothing() {
        String namespace = TestClusters.namespace("twice");
        AppSpec spec = AppSpecs.full(APP);
        result(operations.apply(cluster, namespace, spec, 1));
        Map<ObjectRef, String> first = resourceVersions(namespace, APP);

        ApplyResult again = result(operations.apply(cluster, namespace, spec, 1));
        Map<ObjectRef, String> second = resourceVersions(namespace, APP);
        result(operations.apply(cluster, namespace, spec, 1));
        Map<ObjectRef, String> third = resourceVersions(namespace, APP);

        assertThat(again.pruned()).isEmpty();
        // The API server stores a new claim's defaulted status.phase on the claim's first update, whoever makes it:
        // only that first re-apply moves the claim's resourceVersion.
        ObjectRef claim = new ObjectRef("PersistentVolumeClaim", namespace, "web-data");
        assertThat(second).hasSize(8).isEqualTo(withVersion(first, claim, second.get(claim)));
        assertThat(third).isEqualTo(second);
    }

    @Test
    void aSecondRevisionUpdatesTheObjectsAndPrunesWhatItDropped() {
        String namespace = TestClusters.namespace("prune");
        AppSpec first = AppSpecs.full(APP);
        result(operations.apply(cluster, namespace, first, 1));

        ApplyResult second = result(operations.apply(cluster, namespace, AppSpecs.withoutVolumeAndIngress(first), 2));

        assertThat(second.pruned())
                .containsExactly(
                        new ObjectRef("Ingress", namespace, APP),
                        new ObjectRef("PersistentVolumeClaim", namespace, "web-data"));
        assertThat(admin.network()
                        .v1()
                        .ingresses()
                        .inNamespace(namespace)
                        .withName(APP)
                        .get())
                .isNull();
        // the claim is gone, or only waits for the pvc-protection finalizer a controller would remove
        PersistentVolumeClaim claim = admin.persistentVolumeClaims()
                .inNamespace(namespace)
                .withName("web-data")
                .get();
        assertThat(claim == null || claim.getMetadata().getDeletionTimestamp() != null)
                .as("claim deleted")
                .isTrue();
        assertThat(liveObjects(namespace, APP))
                .filteredOn(o -> o.getMetadata().getDeletionTimestamp() == null)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "Secret/web-env",
                        "NetworkPolicy/web",
                        "Service/web",
                        "Service/web-lb",
                        "Service/web-np",
                        "Deployment/web");
        assertThat(liveObjects(namespace, APP))
                .filteredOn(o -> o.getMetadata().getDeletionTimestamp() == null)
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsEntry("windlass.dev/revision", "2"));
        var deployment =
                admin.apps().deployments().inNamespace(namespace).withName(APP).get();
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(AppSpecs.UPDATED_IMAGE);
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).isNullOrEmpty();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("windlass.dev/revision", "2");
    }

    @Test
    void deleteRemovesEveryObjectWindlassCreatedForTheAppAndNothingElse() {
        String namespace = TestClusters.namespace("undeploy");
        result(operations.apply(cluster, namespace, AppSpecs.full(APP), 3));
        result(operations.apply(cluster, namespace, AppSpecs.minimal("api"), 1));
        admin.configMaps()
                .inNamespace(namespace)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("unrelated")
                        .addToLabels("app.kubernetes.io/name", APP)
                        .endMetadata()
                        .addToData("keep", "me")
                        .build())
                .create();

        List<ObjectRef> deleted = result(operations.delete(cluster, namespace, APP));

        assertThat(deleted)
                .containsExactlyInAnyOrder(
                        new ObjectRef("Ingress", namespace, "web"),
                        new ObjectRef("Service", namespace, "web"),
                        new ObjectRef("Service", namespace, "web-lb"),
                        new ObjectRef("Service", namespace, "web-np"),
                        new ObjectRef("Deployment", namespace, "web"),
                        new ObjectRef("Secret", namespace, "web-env"),
                        new ObjectRef("PersistentVolumeClaim", namespace, "web-data"),
                        new ObjectRef("NetworkPolicy", namespace, "web"));
        assertThat(liveObjects(namespace, APP))
                .allSatisfy(
                        o -> assertThat(o.getMetadata().getDeletionTimestamp()).isNotNull());
        assertThat(admin.configMaps()
                        .inNamespace(namespace)
                        .withName("unrelated")
                        .get())
                .isNotNull();
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("api")
                        .get())
                .isNotNull();
        assertThat(result(operations.delete(cluster, namespace, APP))).isEmpty();
    }

    @Test
    void aServiceAccountWithoutRightsOnDeploymentsIsForbiddenPermanently() {
        String namespace = TestClusters.namespace("forbidden");
        ClusterConnection limited = TestClusters.serviceAccount(
                "limited",
                namespace,
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("services", "secrets", "configmaps")
                        .withVerbs("get", "list", "create", "patch", "update", "delete")
                        .build()));
        AppSpec spec = AppSpecs.withPorts(APP, PortSpec.cluster("http", 8080));

        assertThatThrownBy(() -> result(operations.apply(limited, namespace, spec, 1)))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(403);
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getMessage())
                            // the first call on a Deployment is the read that checks who owns one of that name
                            .startsWith("read Deployment " + namespace + "/web to check its owner: ")
                            .contains("deployments.apps \"web\" is forbidden")
                            .contains("system:serviceaccount:" + namespace + ":limited")
                            .doesNotContain("gave up");
                });
    }

    @Test
    void anObjectTheServerRejectsFailsPermanentlyWith422() {
        ServerSideApplier applier = new ServerSideApplier("windlass");
        String namespace = TestClusters.namespace("invalid");
        TestClusters.kube().ensureNamespace(namespace);
        var bad = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("bad")
                .withNamespace(namespace)
                .addToLabels("tier", "not a valid label value!")
                .endMetadata()
                .build();

        // the typed apply, and the deploy path's apply judged by its status alone: the same failure
        for (Runnable apply :
                List.<Runnable>of(() -> applier.apply(admin, bad), () -> applier.applyOwned(admin, bad))) {
            assertThatThrownBy(apply::run).isInstanceOfSatisfying(ClusterException.class, e -> {
                assertThat(e.getStatus()).isEqualTo(422);
                assertThat(e.isTransientFailure()).isFalse();
                assertThat(e.getMessage())
                        .startsWith("apply ConfigMap " + namespace + "/bad: ")
                        .contains("ConfigMap \"bad\" is invalid")
                        .contains("metadata.labels");
            });
        }
    }

    @Test
    void aNodePortAnotherAppHoldsFailsTheApplyPermanentlyWith422() {
        String namespace = TestClusters.namespace("nodeport");
        int nodePort = 30000 + (int) (System.nanoTime() % 2700);
        PortSpec port = new PortSpec("admin", 8443, PortProtocol.TCP, Exposure.NODE_PORT, nodePort);
        result(operations.apply(cluster, namespace, AppSpecs.withPorts("first", port), 1));

        long started = System.nanoTime();
        assertThatThrownBy(() -> result(operations.apply(cluster, namespace, AppSpecs.withPorts("second", port), 1)))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(422);
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getMessage())
                            .startsWith("apply Service " + namespace + "/second-np: ")
                            .contains("provided port is already allocated");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TestClusters.TEST_RETRY_BUDGET);
    }

    @Test
    void secretValuesNeverAppearInAFailure() {
        String encoded = java.util.Base64.getEncoder().encodeToString(AppSpecs.SECRET_VALUE.getBytes());
        String message = "Secret \"web-env\" is invalid: data[DB_PASSWORD]: " + AppSpecs.SECRET_VALUE + " / " + encoded;

        assertThat(ServerSideApplier.redact(message, Map.of("DB_PASSWORD", encoded)))
                .isEqualTo("Secret \"web-env\" is invalid: data[DB_PASSWORD]: **** / ****");
    }

    @Test
    void anUnreachableApiServerFailsTransientlyOnceTheRetryBudgetIsSpent() {
        ClusterConnection unreachable = TestClusters.token(
                "gone",
                "https://127.0.0.1:" + FreePorts.pick(),
                "a-token",
                TestClusters.kube().caCertPem(),
                false);

        long started = System.nanoTime();
        assertThatThrownBy(() -> result(operations.apply(unreachable, "team-a", AppSpecs.minimal(APP), 1)))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.isTransientFailure()).isTrue();
                    assertThat(e.getStatus()).isZero();
                    assertThat(e.getMessage())
                            .contains("cannot reach the API server")
                            .containsPattern("gave up after ([2-9]|[1-9]\\d+) attempts")
                            .doesNotContain("a-token");
                });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anInvalidSpecFailsPermanentlyBeforeAnyClusterCall() {
        ClusterConnection unreachable =
                TestClusters.token("gone", "https://127.0.0.1:" + FreePorts.pick(), "a-token", null, false);
        AppSpec invalid = AppSpec.of("Not_A_Name", AppSpecs.DEFAULT_IMAGE);

        assertThatThrownBy(() -> result(operations.apply(unreachable, "team-a", invalid, 1)))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getStatus()).isZero();
                    assertThat(e.getMessage()).startsWith("invalid application spec: spec.name");
                });
    }

    @Test
    void applyRunsOffTheCallingThread() {
        String namespace = TestClusters.namespace("threads");
        List<String> threads = new ArrayList<>();

        operations
                .apply(cluster, namespace, AppSpecs.minimal(APP), 1)
                .invoke(result -> threads.add(Thread.currentThread().getName()))
                .await()
                .atMost(WAIT);

        assertThat(threads).singleElement().isEqualTo("kube-test-worker");
    }

    private List<HasMetadata> liveObjects(String namespace, String app) {
        List<HasMetadata> objects = new ArrayList<>();
        for (ManagedKind kind : ManagedKind.values()) {
            if (kind.custom() && !admin.supports(kind.type())) {
                continue;
            }
            objects.addAll(admin.resources(kind.type())
                    .inNamespace(namespace)
                    .withLabels(WindlassLabels.selector(app))
                    .list()
                    .getItems());
        }
        return objects;
    }

    private Map<ObjectRef, String> resourceVersions(String namespace, String app) {
        Map<ObjectRef, String> versions = new LinkedHashMap<>();
        liveObjects(namespace, app)
                .forEach(o -> versions.put(ObjectRefs.of(o), o.getMetadata().getResourceVersion()));
        return versions;
    }

    private static Map<ObjectRef, String> withVersion(Map<ObjectRef, String> versions, ObjectRef ref, String version) {
        Map<ObjectRef, String> copy = new LinkedHashMap<>(versions);
        copy.put(ref, version);
        return copy;
    }

    private static <T> List<T> concat(T first, List<T> rest) {
        List<T> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static <T> T result(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
