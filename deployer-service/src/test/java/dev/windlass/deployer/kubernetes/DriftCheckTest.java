package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drift on the dev-stack API server: right after an apply nothing differs; changes made the way people make them
 * ({@code kubectl scale}, {@code kubectl edit} — an update under another field manager — and a deletion) are found
 * with the field paths they touched and never a Secret's value; applying the revision again brings it back in
 * sync. The check itself changes nothing.
 */
class DriftCheckTest {

    private static final String APP = "web";

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    /** Another actor, as kubectl: updates (not applies) under its own field manager. */
    private final KubernetesClient kubectl =
            new KubernetesClientBuilder().withConfig(admin.getConfiguration()).build();

    private final KubernetesSettings settings = TestClusters.settings();
    private final ObjectRenderer renderer = TestClusters.renderer();
    private final RevisionApplier revisions = TestClusters.revisions();
    private final ClusterConnection cluster = TestClusters.admin("local");
    private final DriftCheck drift = new DriftCheck(settings.fieldManager());

    @AfterEach
    void close() {
        kubectl.close();
    }

    @Test
    void nothingDiffersRightAfterAnApplyAndTheCheckChangesNothing() {
        String namespace = TestClusters.namespace("insync");
        revisions.apply(admin, cluster, render(namespace), PruneScope.of(List.of()));
        String before = deploymentVersion(namespace);

        assertThat(check(namespace)).isEmpty();
        assertThat(check(namespace)).isEmpty();
        assertThat(deploymentVersion(namespace)).as("a dry run writes nothing").isEqualTo(before);
    }

    @Test
    void aScaleAnEditedSecretAndADeletedPolicyAreFoundByFieldAndAnApplyHealsThem() {
        String namespace = TestClusters.namespace("drifted");
        revisions.apply(admin, cluster, render(namespace), PruneScope.of(List.of()));

        kubectl.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(APP)
                .edit(d -> new DeploymentBuilder(d)
                        .editSpec()
                        .withReplicas(5)
                        .endSpec()
                        .build());
        kubectl.secrets()
                .inNamespace(namespace)
                .withName("web-env")
                .edit(s -> new SecretBuilder(s)
                        .addToData("DB_PASSWORD", Base64.getEncoder().encodeToString("changed-by-hand".getBytes()))
                        .build());
        kubectl.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(APP)
                .delete();

        List<ObjectDrift> drifts = check(namespace);

        assertThat(drifts)
                .extracting(ObjectDrift::kind, ObjectDrift::name)
                .containsExactlyInAnyOrder(
                        tuple("Deployment", APP), tuple("Secret", "web-env"), tuple("NetworkPolicy", APP));
        ObjectDrift scaled = only(drifts, "Deployment");
        assertThat(scaled.fields()).containsExactly(".spec.replicas");
        assertThat(scaled.reason()).startsWith("changed by ");
        ObjectDrift secret = only(drifts, "Secret");
        assertThat(secret.fields()).containsExactly(".data.DB_PASSWORD");
        assertThat(drifts.toString())
                .doesNotContain("changed-by-hand")
                .doesNotContain(AppSpecs.SECRET_VALUE)
                .doesNotContain(Base64.getEncoder().encodeToString(AppSpecs.SECRET_VALUE.getBytes()));
        assertThat(only(drifts, "NetworkPolicy").reason()).isEqualTo("not on the cluster");
        assertThat(drifts).allMatch(ObjectDrift::checked);

        revisions.apply(admin, cluster, render(namespace), PruneScope.of(List.of()));
        assertThat(check(namespace))
                .as("in sync again once the revision is applied")
                .isEmpty();
    }

    @Test
    void aFieldRemovedByHandIsADifference() {
        String namespace = TestClusters.namespace("removed");
        revisions.apply(admin, cluster, render(namespace), PruneScope.of(List.of()));
        kubectl.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(APP)
                .edit(d -> new DeploymentBuilder(d)
                        .editMetadata()
                        .removeFromLabels(WindlassLabels.REVISION)
                        .endMetadata()
                        .build());

        assertThat(check(namespace)).singleElement().satisfies(d -> {
            assertThat(d.fields()).containsExactly(".metadata.labels." + WindlassLabels.REVISION);
            assertThat(d.reason()).isEqualTo("differs from what Windlass applies");
        });
    }

    private RenderedApp render(String namespace) {
        return renderer.render(namespace, AppSpecs.full(APP), 1);
    }

    private List<ObjectDrift> check(String namespace) {
        return drift.check(admin, render(namespace), ObjectOwnership.owner(cluster, namespace, APP));
    }

    private String deploymentVersion(String namespace) {
        return admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(APP)
                .get()
                .getMetadata()
                .getResourceVersion();
    }

    private static ObjectDrift only(List<ObjectDrift> drifts, String kind) {
        return drifts.stream().filter(d -> d.kind().equals(kind)).findFirst().orElseThrow();
    }
}
