package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    @Test
    @SuppressWarnings("unchecked")
    void aCustomResourceIsStoredAndReadBack() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("gadgets.test.windlass.dev")
                .endMetadata()
                .withNewSpec()
                .withGroup("test.windlass.dev")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Gadget")
                .withPlural("gadgets")
                .withSingular("gadget")
                .withListKind("GadgetList")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withOpenAPIV3Schema(new JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties(
                                "spec",
                                new JSONSchemaPropsBuilder()
                                        .withType("object")
                                        .addToProperties(
                                                "size",
                                                new JSONSchemaPropsBuilder()
                                                        .withType("integer")
                                                        .build())
                                        .addToProperties(
                                                "addresses",
                                                new JSONSchemaPropsBuilder()
                                                        .withType("array")
                                                        .withNewItems()
                                                        .withSchema(new JSONSchemaPropsBuilder()
                                                                .withType("string")
                                                                .build())
                                                        .endItems()
                                                        .build())
                                        .build())
                        .build())
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
        kube.adminClient()
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(crd)
                .serverSideApply();
        kube.adminClient()
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("gadgets.test.windlass.dev")
                .waitUntilCondition(
                        c -> c.getStatus() != null
                                && c.getStatus().getConditions().stream()
                                        .anyMatch(cond -> "Established".equals(cond.getType())
                                                && "True".equals(cond.getStatus())),
                        60,
                        TimeUnit.SECONDS);

        var context = new ResourceDefinitionContext.Builder()
                .withGroup("test.windlass.dev")
                .withVersion("v1")
                .withKind("Gadget")
                .withPlural("gadgets")
                .withNamespaced(true)
                .build();
        GenericKubernetesResource gadget = new GenericKubernetesResourceBuilder()
                .withApiVersion("test.windlass.dev/v1")
                .withKind("Gadget")
                .withNewMetadata()
                .withName("first")
                .withNamespace("default")
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("size", 3, "addresses", List.of("10.0.0.1-10.0.0.9")))
                .build();
        kube.adminClient().genericKubernetesResources(context).resource(gadget).create();

        GenericKubernetesResource read = kube.adminClient()
                .genericKubernetesResources(context)
                .inNamespace("default")
                .withName("first")
                .get();
        assertThat(read.get("spec", "size").toString()).isEqualTo("3");
        assertThat((List<Object>) read.get("spec", "addresses")).containsExactly("10.0.0.1-10.0.0.9");
        assertThat(kube.adminClient()
                        .genericKubernetesResources(context)
                        .inNamespace("default")
                        .list()
                        .getItems())
                .extracting(r -> r.getMetadata().getName())
                .containsExactly("first");
        // The server is still alive after storing it (Go >= 1.18 builds with the old reflect2 crashed here).
        assertThat(kube.isApiServerRunning()).isTrue();
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
