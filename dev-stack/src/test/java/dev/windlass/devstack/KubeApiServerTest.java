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

class KubeApiServerTest {

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
    void aServiceAccountWhoseRoleAllowsItCreatesAConfigMap() {
        String token = kube.serviceAccountToken(
                "team-a",
                "config-writer",
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("create", "get")
                        .build()));
        try (KubernetesClient client = clientWithToken(token)) {
            client.configMaps()
                    .inNamespace("team-a")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("settings")
                            .endMetadata()
                            .withData(Map.of("color", "blue"))
                            .build())
                    .create();
            assertThat(client.configMaps()
                            .inNamespace("team-a")
                            .withName("settings")
                            .get()
                            .getData())
                    .containsEntry("color", "blue");
        }
    }

    @Test
    void aServiceAccountWithoutTheRightIsForbidden() {
        String token = kube.serviceAccountToken(
                "team-b",
                "reader",
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list")
                        .build()));
        try (KubernetesClient client = clientWithToken(token)) {
            assertThatThrownBy(() -> client.configMaps()
                            .inNamespace("team-b")
                            .resource(new ConfigMapBuilder()
                                    .withNewMetadata()
                                    .withName("nope")
                                    .endMetadata()
                                    .build())
                            .create())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void aForgedTokenIsUnauthorized() {
        try (KubernetesClient client = clientWithToken("not-a-real-token")) {
            assertThatThrownBy(() -> client.configMaps().inNamespace("default").list())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(401));
        }
    }

    @Test
    void serverSideApplyIsIdempotentAndInvalidObjectsAreRejected() {
        var cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("applied")
                .withNamespace("default")
                .endMetadata()
                .withData(Map.of("k", "v"))
                .build();
        var first = kube.adminClient()
                .configMaps()
                .resource(cm)
                .fieldManager("windlass")
                .serverSideApply();
        var second = kube.adminClient()
                .configMaps()
                .resource(cm)
                .fieldManager("windlass")
                .serverSideApply();
        assertThat(second.getMetadata().getResourceVersion())
                .isEqualTo(first.getMetadata().getResourceVersion());

        var invalid = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("Not_A_DNS_Name")
                .withNamespace("default")
                .endMetadata()
                .build();
        assertThatThrownBy(
                        () -> kube.adminClient().configMaps().resource(invalid).create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
    }

    private static KubernetesClient clientWithToken(String token) {
        Config admin = kube.adminClient().getConfiguration();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(admin.getMasterUrl())
                .withCaCertData(admin.getCaCertData())
                .withCaCertFile(admin.getCaCertFile())
                .withOauthToken(token)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
