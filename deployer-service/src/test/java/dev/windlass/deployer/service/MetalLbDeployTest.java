package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.MetalLbCrds;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deployments with a LoadBalancer port to a K3S orchestrator with a MetalLB range, on the real API server. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class MetalLbDeployTest {

    private static final String RANGE = "192.168.50.10-192.168.50.20";
    private static final String NS = "metallb-e2e";

    private final KubernetesClient admin = DevStack.kube().adminClient();
    private String orchestrator;

    @BeforeEach
    void registerAK3sOrchestrator() {
        KubeApiServer kube = DevStack.kube();
        kube.ensureNamespace(NS);
        orchestrator = uniqueApp("edge");
        RegistryStandIn.current()
                .put(RegistryStandIn.admin(kube, orchestrator, "K3S", RANGE, NS, List.of("windlass-deployers")));
    }

    @AfterEach
    void cleanUp() {
        RegistryStandIn.current().remove(orchestrator);
        MetalLbCrds.remove(admin);
    }

    @Test
    void withoutMetalLbTheDeploymentFailsAndSaysWhy() {
        MetalLbCrds.remove(admin);
        String app = uniqueApp("lb");

        UUID id = Api.deploy(orchestrator, null, loadBalanced(app));

        Api.awaitPhase(id, "FAILED");
        Api.get(id)
                .then()
                .body(
                        "message",
                        equalTo("MetalLB is not installed on " + orchestrator
                                + ": the CRD ipaddresspools.metallb.io is missing"));
        // a permanent failure: not retried, and nothing of the app was written
        assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "FAILED");
        assertThat(admin.apps().deployments().inNamespace(NS).withName(app).get())
                .isNull();
        assertThat(admin.services()
                        .inNamespace(NS)
                        .withLabel("app.kubernetes.io/name", app)
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void withMetalLbThePoolAndTheAdvertisementOfTheRangeAreKept() {
        MetalLbCrds.install(admin);
        String app = uniqueApp("lb");

        UUID id = Api.deploy(orchestrator, null, loadBalanced(app));

        Api.awaitPhase(id, "PROGRESSING");
        String name = "windlass-" + orchestrator;
        GenericKubernetesResource pool = metalLb("IPAddressPool", "ipaddresspools", name);
        assertThat(pool.<Object>get("spec", "addresses")).isEqualTo(List.of(RANGE));
        assertThat(pool.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "windlass");
        GenericKubernetesResource advertisement = metalLb("L2Advertisement", "l2advertisements", name);
        assertThat(advertisement.<Object>get("spec", "ipAddressPools")).isEqualTo(List.of(name));
        assertThat(admin.services()
                        .inNamespace(NS)
                        .withLabel("app.kubernetes.io/name", app)
                        .list()
                        .getItems())
                .extracting(s -> s.getSpec().getType())
                .contains("LoadBalancer");
        Api.get(id)
                .then()
                .body(
                        "phases.objects.kind.flatten()",
                        org.hamcrest.Matchers.hasItems("IPAddressPool", "L2Advertisement"));
    }

    private GenericKubernetesResource metalLb(String kind, String plural, String name) {
        var type = new ResourceDefinitionContext.Builder()
                .withGroup("metallb.io")
                .withVersion("v1beta1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
        GenericKubernetesResource resource = admin.genericKubernetesResources(type)
                .inNamespace(MetalLbCrds.NAMESPACE)
                .withName(name)
                .get();
        assertThat(resource).as(kind + " " + name).isNotNull();
        return resource;
    }

    private static dev.windlass.events.spec.AppSpec loadBalanced(String app) {
        return spec(app, List.of(new PortSpec("dns", 53, PortProtocol.UDP, Exposure.LOAD_BALANCER, null)));
    }
}
