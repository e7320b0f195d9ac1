package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetalLbKeeperTest {

    private static final String RANGE = "192.168.1.240-192.168.1.250";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String APPLY_QUERY = "?fieldManager=windlass&force=true";
    private static final List<String> CRDS = List.of("ipaddresspools.metallb.io", "l2advertisements.metallb.io");

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

    /**
     * The dev-stack API server cannot store custom resources (its build crashes on them, see
     * docs/kubernetes-objects.md), so the server-side applies of the pool and the advertisement are checked against
     * the Fabric8 mock server: the requests a real server would get.
     */
    @Test
    void aK3sOrchestratorWithARangeKeepsAPoolAndAnAdvertisement() throws InterruptedException {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            server.expect()
                    .get()
                    .withPath("/apis/metallb.io/v1beta1")
                    .andReturn(
                            200,
                            new APIResourceListBuilder()
                                    .withGroupVersion("metallb.io/v1beta1")
                                    .addNewResource()
                                    .withKind("IPAddressPool")
                                    .withName("ipaddresspools")
                                    .withNamespaced(true)
                                    .endResource()
                                    .build())
                    .once();
            String pools = "/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/windlass-edge-2";
            String advertisements =
                    "/apis/metallb.io/v1beta1/namespaces/metallb-system/l2advertisements/windlass-edge-2";
            server.expect()
                    .patch()
                    .withPath(pools + APPLY_QUERY)
                    .andReturn(200, "{}")
                    .once();
            server.expect()
                    .patch()
                    .withPath(advertisements + APPLY_QUERY)
                    .andReturn(200, "{}")
                    .once();
            MetalLbKeeper keeper = new MetalLbKeeper(new ServerSideApplier("windlass"), "metallb-system");

            List<ObjectRef> kept = keeper.ensure(client, TestClusters.k3s("edge-2", " " + RANGE + " "));

            assertThat(kept)
                    .containsExactly(
                            new ObjectRef("IPAddressPool", "metallb-system", "windlass-edge-2"),
                            new ObjectRef("L2Advertisement", "metallb-system", "windlass-edge-2"));
            assertThat(server.takeRequest().getPath()).isEqualTo("/apis/metallb.io/v1beta1");
            GenericKubernetesResource pool = applied(server.takeRequest(), pools);
            assertThat(pool.getKind()).isEqualTo("IPAddressPool");
            assertThat(pool.getApiVersion()).isEqualTo("metallb.io/v1beta1");
            assertThat(pool.<Object>get("spec", "addresses")).isEqualTo(List.of(RANGE));
            assertThat(pool.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "windlass");
            GenericKubernetesResource advertisement = applied(server.takeRequest(), advertisements);
            assertThat(advertisement.getKind()).isEqualTo("L2Advertisement");
            assertThat(advertisement.<Object>get("spec", "ipAddressPools")).isEqualTo(List.of("windlass-edge-2"));
        } finally {
            server.destroy();
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

    private static GenericKubernetesResource applied(RecordedRequest request, String path) {
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo(path + APPLY_QUERY);
        assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        return Serialization.unmarshal(request.getUtf8Body(), GenericKubernetesResource.class);
    }

    private static AppSpec loadBalanced() {
        return AppSpecs.withPorts("web", new PortSpec("dns", 53, PortProtocol.UDP, Exposure.LOAD_BALANCER, null));
    }

    private void installCrds() {
        admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(crd("IPAddressPool", "ipaddresspools"))
                .serverSideApply();
        admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(crd("L2Advertisement", "l2advertisements"))
                .serverSideApply();
        await().atMost(WAIT)
                .until(() -> CRDS.stream().allMatch(this::established)
                        && admin.supports(MetalLbKeeper.API_VERSION, "IPAddressPool")
                        && admin.supports(MetalLbKeeper.API_VERSION, "L2Advertisement"));
    }

    private void removeCrds() {
        CRDS.forEach(name -> admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .delete());
        await().atMost(WAIT)
                .until(() -> CRDS.stream()
                                .allMatch(name -> admin.apiextensions()
                                                .v1()
                                                .customResourceDefinitions()
                                                .withName(name)
                                                .get()
                                        == null)
                        && !admin.supports(MetalLbKeeper.API_VERSION, "IPAddressPool"));
    }

    private boolean established(String name) {
        CustomResourceDefinition crd = admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .get();
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The least of MetalLB's CRD: the group, the kind, a namespaced v1beta1 with any spec. */
    private static CustomResourceDefinition crd(String kind, String plural) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(plural + ".metallb.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("metallb.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind(kind)
                .withListKind(kind + "List")
                .withPlural(plural)
                .withSingular(kind.toLowerCase(Locale.ROOT))
                .endNames()
                .addNewVersion()
                .withName("v1beta1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .addToProperties(
                        "spec",
                        new JSONSchemaPropsBuilder()
                                .withType("object")
                                .withXKubernetesPreserveUnknownFields(true)
                                .build())
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }
}
