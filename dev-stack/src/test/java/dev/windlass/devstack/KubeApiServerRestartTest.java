package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restarting only the API server keeps etcd, its data, the port, the certificates and the tokens. */
class KubeApiServerRestartTest {

    static KubeApiServer kube;

    @BeforeAll
    static void start() {
        kube = KubeApiServer.create();
        kube.start();
    }

    @AfterAll
    static void stop() {
        kube.close();
    }

    @Test
    void objectsClientsAndTokensSurviveAnApiServerRestart() {
        String token = kube.serviceAccountToken(
                "restart",
                "reader",
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("get")
                        .build()));
        kube.adminClient()
                .configMaps()
                .inNamespace("restart")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("kept")
                        .endMetadata()
                        .withData(Map.of("color", "green"))
                        .build())
                .create();
        String url = kube.url();
        String kubeconfig = kube.kubeconfigYaml();

        try (KubernetesClient reader = clientWithToken(token);
                KubernetesClient impatientAdmin = impatient(kube.adminClient().getConfiguration())) {
            assertThat(color(reader)).isEqualTo("green");

            kube.stopApiServer();
            assertThat(kube.isApiServerRunning()).isFalse();
            assertThatThrownBy(() -> color(impatientAdmin)).isInstanceOf(KubernetesClientException.class);
            kube.stopApiServer(); // stopping twice is harmless

            kube.startApiServer();
            assertThat(kube.isApiServerRunning()).isTrue();
            assertThat(kube.url()).isEqualTo(url);
            assertThat(kube.kubeconfigYaml()).isEqualTo(kubeconfig);

            // The same client objects reconnect; the data came back from etcd.
            assertThat(color(kube.adminClient())).isEqualTo("green");
            assertThat(color(impatientAdmin)).isEqualTo("green");
            // A token issued before the restart still authenticates and is still authorized.
            assertThat(color(reader)).isEqualTo("green");
            assertThatThrownBy(() -> reader.configMaps()
                            .inNamespace("restart")
                            .withName("kept")
                            .delete())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
            // Writes work again.
            kube.adminClient()
                    .configMaps()
                    .inNamespace("restart")
                    .withName("kept")
                    .edit(cm ->
                            new ConfigMapBuilder(cm).addToData("color", "blue").build());
            assertThat(color(reader)).isEqualTo("blue");
        }
        kube.startApiServer(); // starting a running server is a no-op
        assertThat(color(kube.adminClient())).isEqualTo("blue");
    }

    private static String color(KubernetesClient client) {
        return client.configMaps()
                .inNamespace("restart")
                .withName("kept")
                .get()
                .getData()
                .get("color");
    }

    private static KubernetesClient impatient(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(config)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    }

    private static KubernetesClient clientWithToken(String token) {
        Config admin = kube.adminClient().getConfiguration();
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(admin.getMasterUrl())
                        .withCaCertData(admin.getCaCertData())
                        .withCaCertFile(admin.getCaCertFile())
                        .withOauthToken(token)
                        .build())
                .build();
    }
}
