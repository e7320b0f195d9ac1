package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceKeeperTest {

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void aNamespaceSeenOnceIsNotReadAgainAndOneDeletedSinceIsCreatedAgainByTheRetry() {
        List<String> requests = new CopyOnWriteArrayList<>();
        KubernetesClient counted = new KubernetesClientBuilder()
                .withConfig(admin.getConfiguration())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("count", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest sent, RequestTags tags) {
                        requests.add(sent.method() + " " + sent.uri().getRawPath());
                    }
                }))
                .build();
        KubernetesSettings settings = TestClusters.settings();
        ServerSideApplier applier = new ServerSideApplier(settings.fieldManager());
        RevisionApplier revisions = new RevisionApplier(
                new NamespaceKeeper(), new MetalLbKeeper(applier, settings.metallbNamespace()), applier, new Pruner());
        ObjectRenderer renderer = new ObjectRenderer(settings.ingressControllerNamespace());
        ClusterConnection cluster = TestClusters.admin("local");
        String namespace = TestClusters.namespace("seen");
        String read = "GET /api/v1/namespaces/" + namespace;
        try (counted) {
            ApplyResult first = revisions.apply(
                    counted, cluster, renderer.render(namespace, AppSpecs.minimal("web"), 1), PruneScope.of(List.of()));
            assertThat(first.applied()).contains(new ObjectRef("Namespace", null, namespace));
            assertThat(requests).contains(read);
            requests.clear();

            revisions.apply(
                    counted, cluster, renderer.render(namespace, AppSpecs.minimal("web"), 2), PruneScope.of(List.of()));
            assertThat(requests).doesNotContain(read).isNotEmpty();

            // the namespace is deleted (this API server runs no namespace controller: its finalizer is removed here)
            admin.namespaces().withName(namespace).delete();
            admin.raw(
                    admin.getMasterUrl() + "api/v1/namespaces/" + namespace + "/finalize",
                    "PUT",
                    Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "Namespace",
                            "metadata",
                            Map.of("name", namespace),
                            "spec",
                            Map.of("finalizers", List.of())));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.namespaces().withName(namespace).get() == null);

            RenderedApp third = renderer.render(namespace, AppSpecs.minimal("web"), 3);
            assertThatThrownBy(() -> revisions.apply(counted, cluster, third, PruneScope.of(List.of())))
                    .isInstanceOfSatisfying(ClusterException.class, e -> {
                        assertThat(e.isTransientFailure()).isTrue();
                        assertThat(e.getMessage())
                                .startsWith("namespace " + namespace + " was deleted since it was last seen: ");
                    });
            // the retry reads the namespace again and creates it
            ApplyResult retried = revisions.apply(counted, cluster, third, PruneScope.of(List.of()));
            assertThat(retried.applied()).contains(new ObjectRef("Namespace", null, namespace));
            assertThat(admin.apps()
                            .deployments()
                            .inNamespace(namespace)
                            .withName("web")
                            .get())
                    .isNotNull();
        }
    }

    @Test
    void aMissingNamespaceTheCredentialsMayNotCreateFailsPermanently() {
        String home = TestClusters.namespace("home");
        ClusterConnection reader = TestClusters.serviceAccount("ns-reader", home, List.of());
        String clusterRole = "read-namespaces-" + home;
        admin.rbac()
                .clusterRoles()
                .resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName(clusterRole)
                        .endMetadata()
                        .withRules(new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("namespaces")
                                .withVerbs("get")
                                .build())
                        .build())
                .create();
        admin.rbac()
                .clusterRoleBindings()
                .resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(clusterRole)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("ns-reader")
                        .withNamespace(home)
                        .endSubject()
                        .build())
                .create();
        String missing = TestClusters.namespace("missing");

        assertThatThrownBy(() -> operations
                        .apply(reader, missing, AppSpecs.minimal("web"), 1)
                        .await()
                        .atMost(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(403);
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getMessage())
                            .startsWith(
                                    "namespace " + missing + " does not exist and these credentials may not create it")
                            .contains("cannot create resource \"namespaces\"");
                });
        assertThat(admin.namespaces().withName(missing).get()).isNull();
    }

    @Test
    void credentialsThatMayNotReadNamespacesWorkInAnExistingOne() {
        String namespace = TestClusters.namespace("scoped");
        ClusterConnection deployer = TestClusters.serviceAccount(
                "deployer",
                namespace,
                List.of(
                        new PolicyRuleBuilder()
                                .withApiGroups("apps")
                                .withResources("deployments")
                                .withVerbs("get", "list", "create", "patch", "update", "delete")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("", "networking.k8s.io")
                                .withResources(
                                        "services", "secrets", "persistentvolumeclaims", "ingresses", "networkpolicies")
                                .withVerbs("list")
                                .build()));

        ApplyResult result = operations
                .apply(deployer, namespace, AppSpecs.minimal("web"), 1)
                .await()
                .atMost(Duration.ofSeconds(30));

        assertThat(result.applied()).extracting(r -> r.kind() + "/" + r.name()).containsExactly("Deployment/web");
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("web")
                        .get())
                .isNotNull();
    }

    @Test
    void theChartsNamespaceRightsGetAndCreateAreEnoughToCreateAMissingNamespace() {
        String home = TestClusters.namespace("home");
        ClusterConnection creator = TestClusters.serviceAccount("ns-creator", home, List.of());
        String clusterRole = "create-namespaces-" + home;
        admin.rbac()
                .clusterRoles()
                .resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName(clusterRole)
                        .endMetadata()
                        .withRules(
                                new PolicyRuleBuilder()
                                        .withApiGroups("")
                                        .withResources("namespaces")
                                        .withVerbs("get", "create")
                                        .build(),
                                new PolicyRuleBuilder()
                                        .withApiGroups("apps")
                                        .withResources("deployments")
                                        .withVerbs("get", "list", "create", "patch", "update", "delete")
                                        .build(),
                                new PolicyRuleBuilder()
                                        .withApiGroups("", "networking.k8s.io")
                                        .withResources(
                                                "services",
                                                "secrets",
                                                "persistentvolumeclaims",
                                                "ingresses",
                                                "networkpolicies")
                                        .withVerbs("list")
                                        .build())
                        .build())
                .create();
        admin.rbac()
                .clusterRoleBindings()
                .resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(clusterRole)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("ns-creator")
                        .withNamespace(home)
                        .endSubject()
                        .build())
                .create();
        String missing = TestClusters.namespace("fresh");

        ApplyResult result = operations
                .apply(creator, missing, AppSpecs.minimal("web"), 1)
                .await()
                .atMost(Duration.ofSeconds(30));

        assertThat(result.applied()).extracting(r -> r.kind() + "/" + r.name()).contains("Namespace/" + missing);
        assertThat(admin.namespaces().withName(missing).get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", NamespaceKeeper.ENFORCE_LEVEL);
    }
}
