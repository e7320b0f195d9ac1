package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.deployer.testing.MetalLbCrds;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetalLbKeeperTest {

    private static final String RANGE = "192.168.1.240-192.168.1.250";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void aK3sOrchestratorWithARangeFailsClearlyWhenMetalLbIsNotInstalled() {
        removeCrds();
        String namespace = TestClusters.namespace("nolb");
        ClusterConnection k3s = TestClusters.k3s("edge-1", RANGE);

        assertThatThrownBy(() -> operations
                        .apply(k3s, namespace, loadBalanced(), 1)
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo(
                                    "MetalLB is not installed on edge-1: the CRD ipaddresspools.metallb.io is missing");
                    assertThat(e.isTransientFailure()).isFalse();
                });
        assertThat(admin.services().inNamespace(namespace).list().getItems()).isEmpty();
    }

    @Test
    void installedCrdsAreDetected() {
        installCrds();

        MetalLbKeeper.requireInstalled(admin, "edge-2");

        removeCrds();
        assertThatThrownBy(() -> MetalLbKeeper.requireInstalled(admin, "edge-2"))
                .isInstanceOf(ClusterException.class)
                .hasMessage("MetalLB is not installed on edge-2: the CRD ipaddresspools.metallb.io is missing");
    }

    @Test
    void aK3sOrchestratorWithARangeKeepsAPoolAndAnAdvertisement() {
        installCrds();
        try {
            String namespace = TestClusters.namespace("lb");
            ClusterConnection k3s = TestClusters.k3s("edge-2", " " + RANGE + " ");

            ApplyResult result =
                    operations.apply(k3s, namespace, loadBalanced(), 1).await().atMost(WAIT);

            assertThat(result.applied())
                    .contains(
                            new ObjectRef("IPAddressPool", "metallb-system", "windlass-edge-2"),
                            new ObjectRef("L2Advertisement", "metallb-system", "windlass-edge-2"));
            GenericKubernetesResource pool = metalLb(MetalLbKeeper.POOL, "windlass-edge-2");
            assertThat(pool.<Object>get("spec", "addresses")).isEqualTo(List.of(RANGE));
            // the server filled in the CRD's defaults: what MetalLB itself would read
            assertThat(pool.<Object>get("spec", "autoAssign")).isEqualTo(true);
            assertThat(pool.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "windlass");
            assertThat(pool.getMetadata().getManagedFields())
                    .extracting(f -> f.getManager())
                    .contains("windlass");
            GenericKubernetesResource advertisement = metalLb(MetalLbKeeper.ADVERTISEMENT, "windlass-edge-2");
            assertThat(advertisement.<Object>get("spec", "ipAddressPools")).isEqualTo(List.of("windlass-edge-2"));
            assertThat(advertisement.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "windlass");
            assertThat(admin.services().inNamespace(namespace).list().getItems())
                    .extracting(s -> s.getSpec().getType())
                    .containsExactly("LoadBalancer");

            // applying again changes nothing; a new range replaces the old one
            operations.apply(k3s, namespace, loadBalanced(), 2).await().atMost(WAIT);
            assertThat(metalLb(MetalLbKeeper.POOL, "windlass-edge-2")
                            .getMetadata()
                            .getResourceVersion())
                    .isEqualTo(pool.getMetadata().getResourceVersion());
            operations
                    .apply(TestClusters.k3s("edge-2", "10.10.0.0/28"), namespace, loadBalanced(), 3)
                    .await()
                    .atMost(WAIT);
            assertThat(metalLb(MetalLbKeeper.POOL, "windlass-edge-2").<Object>get("spec", "addresses"))
                    .isEqualTo(List.of("10.10.0.0/28"));
        } finally {
            removeCrds();
        }
    }

    @Test
    void noPoolIsNeededWithoutK3sARangeOrALoadBalancer() {
        removeCrds();
        ClusterConnection k8s = TestClusters.admin("plain");
        ClusterConnection k3sWithoutRange = TestClusters.k3s("edge-3", null);
        ClusterConnection k3s = TestClusters.k3s("edge-4", RANGE);

        operations
                .apply(k8s, TestClusters.namespace("k8s"), loadBalanced(), 1)
                .await()
                .atMost(WAIT);
        operations
                .apply(k3sWithoutRange, TestClusters.namespace("norange"), loadBalanced(), 1)
                .await()
                .atMost(WAIT);
        ApplyResult result = operations
                .apply(
                        k3s,
                        TestClusters.namespace("cluster"),
                        AppSpecs.withPorts("web", PortSpec.cluster("http", 80)),
                        1)
                .await()
                .atMost(WAIT);

        assertThat(result.applied()).extracting(ObjectRef::kind).doesNotContain("IPAddressPool");
    }

    private static AppSpec loadBalanced() {
        return AppSpecs.withPorts("web", new PortSpec("dns", 53, PortProtocol.UDP, Exposure.LOAD_BALANCER, null));
    }

    private GenericKubernetesResource metalLb(ResourceDefinitionContext type, String name) {
        return admin.genericKubernetesResources(type)
                .inNamespace("metallb-system")
                .withName(name)
                .get();
    }

    private void installCrds() {
        MetalLbCrds.install(admin);
    }

    private void removeCrds() {
        MetalLbCrds.remove(admin);
    }
}
