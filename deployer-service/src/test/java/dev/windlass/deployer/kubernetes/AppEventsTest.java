package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events about an app, read from the dev-stack API server after a real apply: those about its recorded objects, its
 * Pods and their ReplicaSets, newest first; another app's left out; secret values masked.
 */
class AppEventsTest {

    private static final String APP = "web";
    private static final List<String> SECRETS = List.of(AppSpecs.SECRET_VALUE);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final ObjectRenderer renderer = TestClusters.renderer();
    private final RevisionApplier revisions = TestClusters.revisions();
    private final ClusterConnection cluster = TestClusters.admin("local");

    @Test
    void theEventsAboutTheAppsObjectsPodsAndReplicaSetsNewestFirstWithSecretsMasked() {
        String namespace = TestClusters.namespace("events");
        RenderedApp app = renderer.render(namespace, AppSpecs.full(APP), 1);
        revisions.apply(admin, cluster, app, PruneScope.of(List.of()));
        pod(namespace, "web-7d9f-a", APP, "web-7d9f");
        pod(namespace, "other-1", "other", "other-5c5c");
        event(namespace, "Service", APP, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer", "05:00:00");
        event(namespace, "Deployment", APP, "Normal", "ScalingReplicaSet", "Scaled up to 1", "05:01:00");
        event(namespace, "ReplicaSet", "web-7d9f", "Normal", "SuccessfulCreate", "Created pod web-7d9f-a", "05:01:01");
        event(
                namespace,
                "Pod",
                "web-7d9f-a",
                "Warning",
                "BackOff",
                "Back-off restarting failed container; last words: " + AppSpecs.SECRET_VALUE,
                "05:03:00");
        event(namespace, "Pod", "other-1", "Warning", "BackOff", "not this app's", "05:04:00");

        List<ClusterEvent> events = AppEvents.read(admin, namespace, APP, app.refs(), 50, SECRETS);

        assertThat(events)
                .extracting(ClusterEvent::reason)
                .containsExactly("BackOff", "SuccessfulCreate", "ScalingReplicaSet", "EnsuringLoadBalancer");
        assertThat(events.get(0).type()).isEqualTo("Warning");
        assertThat(events.get(0).kind()).isEqualTo("Pod");
        assertThat(events.get(0).message()).isEqualTo("Back-off restarting failed container; last words: ****");
        assertThat(events.get(0).count()).isEqualTo(3);
        assertThat(AppEvents.read(admin, namespace, APP, app.refs(), 2, SECRETS))
                .extracting(ClusterEvent::reason)
                .containsExactly("BackOff", "SuccessfulCreate");
    }

    private void pod(String namespace, String name, String app, String replicaSet) {
        admin.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(WindlassLabels.of(app, 1))
                        .addNewOwnerReference()
                        .withApiVersion("apps/v1")
                        .withKind("ReplicaSet")
                        .withName(replicaSet)
                        .withUid(UUID.randomUUID().toString())
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(app)
                        .withImage(AppSpecs.DEFAULT_IMAGE)
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    /** An event as a controller or the kubelet records it, last seen today at {@code time} (UTC). */
    private void event(
            String namespace, String kind, String name, String type, String reason, String message, String time) {
        String at = java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "T" + time + "Z";
        admin.v1()
                .events()
                .inNamespace(namespace)
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withName(name + "." + UUID.randomUUID().toString().substring(0, 8))
                        .endMetadata()
                        .withNewInvolvedObject()
                        .withKind(kind)
                        .withName(name)
                        .withNamespace(namespace)
                        .endInvolvedObject()
                        .withType(type)
                        .withReason(reason)
                        .withMessage(message)
                        .withCount("BackOff".equals(reason) ? 3 : 1)
                        .withFirstTimestamp(at)
                        .withLastTimestamp(at)
                        .withNewSource()
                        .withComponent("kubelet")
                        .endSource()
                        .build())
                .create();
    }
}
