package dev.windlass.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everything the chart renders (hooks included), applied to the real test API server with
 * server-side apply in dry-run mode: the server validates each object against its schema and its
 * admission chain without storing it.
 */
class ChartDryRunTest {

    private static final String FIELD_MANAGER = "windlass-chart-test";

    static KubeApiServer kube;
    static KubernetesClient admin;

    @BeforeAll
    static void startApiServer() {
        kube = DevStack.kube();
        admin = kube.adminClient();
    }

    @Test
    void defaultValuesAreAcceptedByTheApiServer() {
        assertThat(dryRunAll("dry-default", List.of())).isEmpty();
    }

    @Test
    void productionValuesAreAcceptedByTheApiServer() {
        kube.ensureNamespace("apps");
        kube.ensureNamespace("shop");

        assertThat(dryRunAll("dry-prod", List.of(ChartFixture.prodValues()))).isEmpty();
    }

    @Test
    void theDryRunReallyValidates() {
        String namespace = "dry-negative";
        kube.ensureNamespace(namespace);
        Deployment deployment = ChartFixture.ofKind(
                        ChartFixture.objects(
                                ChartFixture.template(namespace, ChartFixture.TEST_KUBE_VERSION, List.of(), Map.of())),
                        Deployment.class)
                .get(0);
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setName("Not_A_Name");

        assertThatThrownBy(() -> admin.resource(deployment)
                        .dryRun()
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(admin.apps().deployments().inNamespace(namespace).list().getItems())
                .as("a dry run stores nothing")
                .isEmpty();
    }

    /** Applies every rendered object as a dry run; returns the refusals. */
    private static List<String> dryRunAll(String namespace, List<Path> values) {
        kube.ensureNamespace(namespace);
        List<HasMetadata> objects = ChartFixture.objects(
                ChartFixture.templateWithHooks(namespace, ChartFixture.TEST_KUBE_VERSION, values, Map.of()));
        assertThat(objects).hasSizeGreaterThan(15);
        // Pod admission looks the pod's ServiceAccount up, so the accounts must exist for real
        // (the controller manager that would create "default" does not run here).
        ChartFixture.ofKind(objects, ServiceAccount.class)
                .forEach(sa -> admin.resource(sa)
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply());

        List<String> refused = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Namespaced) {
                assertThat(object.getMetadata().getNamespace())
                        .as(
                                "%s %s names its namespace",
                                object.getKind(), object.getMetadata().getName())
                        .isNotBlank();
            }
            try {
                HasMetadata answer = admin.resource(object)
                        .dryRun()
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply();
                assertThat(answer.getMetadata().getUid()).isNotBlank();
            } catch (KubernetesClientException e) {
                refused.add(object.getKind() + " " + object.getMetadata().getName() + ": " + e.getMessage());
            }
        }
        return refused;
    }
}
