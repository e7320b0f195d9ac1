package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Windlass changes and deletes only the objects of the app it works on, on the dev-stack API server: an object of
 * another owner with the same kind and name stops the deploy and is left as it was (the attack: an app named
 * {@code vault} deployed into namespace {@code vault} took over the real Service's selector, and a later undeploy
 * deleted it).
 */
class ObjectOwnershipTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());
    private final ClusterConnection teamA = TestClusters.admin("ownership-team-a");
    private final ClusterConnection teamB = TestClusters.admin("ownership-team-b");

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void aServiceOfAHelmReleaseIsNeitherTakenOverNorDeleted() {
        String namespace = existingNamespace("vault");
        admin.services().inNamespace(namespace).resource(helmService(namespace)).create();

        assertThatThrownBy(() -> operations
                        .apply(teamA, namespace, app("vault"), 1)
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(409);
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage())
                            .contains(
                                    "Service " + namespace + "/vault already exists and belongs to Helm release vault")
                            .contains("Windlass changes only objects it created for app vault");
                });

        Service live = admin.services().inNamespace(namespace).withName("vault").get();
        assertThat(live.getSpec().getSelector()).containsExactly(Map.entry("app", "vault-server"));
        assertThat(live.getMetadata().getAnnotations()).doesNotContainKey(ObjectOwnership.ANNOTATION);
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("vault")
                        .get())
                .as("nothing after the refused object is applied")
                .isNull();
        operations.delete(teamA, namespace, "vault").await().atMost(WAIT);
        assertThat(admin.services().inNamespace(namespace).withName("vault").get())
                .isNotNull();
    }

    @Test
    void aForeignObjectLaterInTheRevisionStopsItBeforeAnyObjectIsApplied() {
        String namespace = existingNamespace("later");
        // a Helm release's Deployment of the same name; the app's Service comes before its Deployment
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(TestClusters.foreignDeployment(
                        "shop",
                        Map.of("app.kubernetes.io/managed-by", "Helm"),
                        Map.of("meta.helm.sh/release-name", "shop")))
                .create();

        assertThatThrownBy(() -> operations
                        .apply(teamA, namespace, app("shop"), 1)
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(
                        ClusterException.class,
                        e -> assertThat(e.getMessage())
                                .contains("Deployment " + namespace
                                        + "/shop already exists and belongs to Helm release shop"));

        assertThat(admin.services().inNamespace(namespace).withName("shop").get())
                .as("every owner is checked before any object is applied: the Service before it is not")
                .isNull();
    }

    @Test
    void anotherOrchestratorOfTheSameClusterNeitherChangesNorDeletesTheApp() {
        String namespace = TestClusters.namespace("shared");
        operations.apply(teamA, namespace, app("web"), 1).await().atMost(WAIT);

        assertThatThrownBy(() -> operations
                        .apply(teamB, namespace, app("web"), 1)
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(
                        ClusterException.class,
                        e -> assertThat(e.getMessage())
                                .contains("Service " + namespace
                                        + "/web already exists and belongs to Windlass app web in" + " namespace "
                                        + namespace + " of orchestrator " + teamA.id()));

        // an undeploy through the other record deletes nothing and says what is left, never "removed 0"
        assertThatThrownBy(
                        () -> operations.delete(teamB, namespace, "web").await().atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage())
                            .startsWith("removed 0 object(s) of web, but 2 labelled for it remain on the cluster: ")
                            .contains("Service " + namespace + "/web (belongs to Windlass app web in namespace "
                                    + namespace + " of orchestrator " + teamA.id() + ")")
                            .contains("Deployment " + namespace + "/web (belongs to");
                });
        assertThat(admin.services().inNamespace(namespace).withName("web").get())
                .isNotNull();
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("web")
                        .get())
                .isNotNull();

        assertThat(operations.delete(teamA, namespace, "web").await().atMost(WAIT))
                .extracting(ref -> ref.kind())
                .containsExactlyInAnyOrder("Service", "Deployment");
    }

    @Test
    void everyAppliedObjectCarriesItsOwner() {
        String namespace = TestClusters.namespace("owned");

        operations.apply(teamA, namespace, app("web"), 1).await().atMost(WAIT);

        String owner = teamA.id() + "/" + namespace + "/web";
        assertThat(admin.services()
                        .inNamespace(namespace)
                        .withName("web")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(ObjectOwnership.ANNOTATION, owner);
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("web")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(ObjectOwnership.ANNOTATION, owner);
    }

    @Test
    void aFieldAnotherManagerChangedIsTakenBackAndSaidSo() {
        String namespace = TestClusters.namespace("drifted");
        operations.apply(teamA, namespace, app("web"), 1).await().atMost(WAIT);
        admin.apps().deployments().inNamespace(namespace).withName("web").edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });

        ApplyResult result =
                operations.apply(teamA, namespace, app("web"), 2).await().atMost(WAIT);

        assertThat(result.takenOver())
                .singleElement()
                .asString()
                .startsWith("Deployment " + namespace + "/web: ")
                .contains(".spec.replicas");
        Deployment live = admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName("web")
                .get();
        assertThat(live.getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void objectsAppliedBeforeTheOwnerAnnotationExistedAreAdopted() {
        String namespace = TestClusters.namespace("legacy");
        ServerSideApplier applier =
                new ServerSideApplier(TestClusters.settings().fieldManager());
        RenderedApp before = ObjectRenderer.defaults().render(namespace, app("web"), 1);
        new NamespaceKeeper().ensure(admin, namespace);
        before.objects().forEach(object -> applier.apply(admin, object));

        ApplyResult result =
                operations.apply(teamA, namespace, app("web"), 2).await().atMost(WAIT);

        assertThat(result.takenOver()).isEmpty();
        assertThat(admin.services()
                        .inNamespace(namespace)
                        .withName("web")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(ObjectOwnership.ANNOTATION, teamA.id() + "/" + namespace + "/web");
    }

    private static AppSpec app(String name) {
        return AppSpecs.withPorts(name, PortSpec.cluster("http", 8080));
    }

    /** A namespace made beforehand, as by someone else. */
    private String existingNamespace(String prefix) {
        String namespace = TestClusters.namespace(prefix);
        admin.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        return namespace;
    }

    /** The Service {@code vault} of Helm release {@code vault}, an object Windlass does not own. */
    static Service helmService(String namespace) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("vault")
                .withNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "Helm"))
                .withAnnotations(Map.of("meta.helm.sh/release-name", "vault"))
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app", "vault-server"))
                .addNewPort()
                .withName("http")
                .withPort(8200)
                .endPort()
                .endSpec()
                .build();
    }
}
