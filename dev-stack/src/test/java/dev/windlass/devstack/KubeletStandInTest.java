package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Container logs read through the real API server's {@code pods/log}, which proxies to the stand-in. */
class KubeletStandInTest {

    @Test
    void theApiServerProxiesPodLogsToTheStandInWithTailAndPrevious() {
        KubernetesClient admin = DevStack.kube().adminClient();
        String namespace = "kubelet-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        DevStack.kube().ensureNamespace(namespace);
        try (KubeletStandIn kubelet = KubeletStandIn.start(admin, "stand-in-" + namespace)) {
            admin.pods()
                    .inNamespace(namespace)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("web")
                            .endMetadata()
                            .withNewSpec()
                            .withNodeName(kubelet.nodeName())
                            .addNewContainer()
                            .withName("app")
                            .withImage("registry.example.com/app:1")
                            .endContainer()
                            .endSpec()
                            .build())
                    .create();
            kubelet.logs(namespace, "web", "app", false, List.of("starting", "listening on 8080", "GET / 200"));
            kubelet.logs(namespace, "web", "app", true, List.of("panic: out of memory"));

            var pod = admin.pods().inNamespace(namespace).withName("web").inContainer("app");
            assertThat(pod.getLog()).isEqualTo("starting\nlistening on 8080\nGET / 200\n");
            assertThat(pod.tailingLines(2).getLog()).isEqualTo("listening on 8080\nGET / 200\n");
            assertThat(admin.pods()
                            .inNamespace(namespace)
                            .withName("web")
                            .inContainer("app")
                            .terminated()
                            .getLog())
                    .isEqualTo("panic: out of memory\n");
            assertThatThrownBy(() -> admin.pods()
                            .inNamespace(namespace)
                            .withName("web")
                            .inContainer("sidecar")
                            .getLog())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("sidecar");
        }
        assertThat(admin.nodes().withName("stand-in-" + namespace).get()).isNull();
    }
}
