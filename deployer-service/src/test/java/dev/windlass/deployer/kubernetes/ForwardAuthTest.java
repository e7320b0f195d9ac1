package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.devstack.Crds;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Authentik forward-auth on the real API server with Traefik's Middleware CRD installed: the app's Middleware is
 * applied with it, owned like its other objects, pruned when a revision drops forward-auth, deleted on undeploy, and
 * the deploy fails before anything is applied when the cluster cannot do forward-auth.
 */
class ForwardAuthTest {

    private static final String APP = "web";
    private static final String OUTPOST = "http://ak-outpost-authentik-embedded-outpost.authentik:9000";
    private static final ResourceDefinitionContext MIDDLEWARES = new ResourceDefinitionContext.Builder()
            .withGroup("traefik.io")
            .withVersion("v1alpha1")
            .withKind("Middleware")
            .withPlural("middlewares")
            .withNamespaced(true)
            .build();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());

    @AfterEach
    void close() {
        operations.close();
    }

    @AfterAll
    static void leaveTheClusterWithoutTraefik() {
        Crds.TRAEFIK.remove(TestClusters.kube().adminClient());
    }

    @Test
    void theMiddlewareComesAndGoesWithTheAppsForwardAuth() {
        Crds.TRAEFIK.install(admin);
        String namespace = TestClusters.namespace("fwd");
        ClusterConnection cluster = TestClusters.admin("traefik-1").withAuthentikOutpostUrl(OUTPOST);
        AppSpec guarded = AppSpecs.protectedByAuthentik(AppSpecs.full(APP));

        ApplyResult first =
                operations.apply(cluster, namespace, guarded, 1).await().atMost(WAIT);

        ObjectRef middlewareRef = new ObjectRef("Middleware", namespace, "web-authentik");
        assertThat(first.applied()).contains(middlewareRef);
        GenericKubernetesResource middleware = middleware(namespace);
        assertThat(middleware).isNotNull();
        assertThat(middleware.<Object>get("spec", "forwardAuth", "address"))
                .isEqualTo(OUTPOST + "/outpost.goauthentik.io/auth/traefik");
        assertThat(middleware.<Object>get("spec", "forwardAuth", "trustForwardHeader"))
                .isEqualTo(true);
        assertThat(middleware.getMetadata().getLabels()).containsEntry("windlass.dev/revision", "1");
        assertThat(ObjectOwnership.owns(middleware, ObjectOwnership.owner(cluster, namespace, APP), APP))
                .isTrue();
        assertThat(admin.network()
                        .v1()
                        .ingresses()
                        .inNamespace(namespace)
                        .withName(APP)
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(
                        "traefik.ingress.kubernetes.io/router.middlewares", namespace + "-web-authentik@kubernetescrd");
        assertThat(operations.drift(cluster, namespace, guarded, 1).await().atMost(WAIT))
                .isEmpty();

        // another hand points the Middleware elsewhere: drift names it
        admin.genericKubernetesResources(MIDDLEWARES)
                .inNamespace(namespace)
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("traefik.io/v1alpha1")
                        .withKind("Middleware")
                        .withNewMetadata()
                        .withName("web-authentik")
                        .withNamespace(namespace)
                        .endMetadata()
                        .withAdditionalProperties(
                                Map.of("spec", Map.of("forwardAuth", Map.of("address", "http://elsewhere:9000"))))
                        .build())
                .fieldManager("kubectl-edit")
                .forceConflicts()
                .serverSideApply();
        assertThat(operations.drift(cluster, namespace, guarded, 1).await().atMost(WAIT))
                .extracting(ObjectDrift::kind, ObjectDrift::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Middleware", "web-authentik"));

        // a revision without forward-auth prunes the Middleware and takes the annotation off the Ingress
        ApplyResult second = operations
                .apply(cluster, namespace, AppSpecs.full(APP), 2, PruneScope.of(first.applied()))
                .await()
                .atMost(WAIT);
        assertThat(second.pruned()).containsExactly(middlewareRef);
        assertThat(middleware(namespace)).isNull();

        // forward-auth again, then the undeploy deletes the Middleware with everything else
        ApplyResult third = operations
                .apply(cluster, namespace, guarded, 3, PruneScope.of(second.applied()))
                .await()
                .atMost(WAIT);
        assertThat(third.applied()).contains(middlewareRef);
        List<ObjectRef> deleted =
                operations.delete(cluster, namespace, APP).await().atMost(WAIT);
        assertThat(deleted).contains(middlewareRef);
        assertThat(middleware(namespace)).isNull();
    }

    @Test
    void objectsRenderedAtIntakeAreAppliedWithTheClustersOutpost() {
        Crds.TRAEFIK.install(admin);
        String namespace = TestClusters.namespace("fwdearly");
        ClusterConnection cluster = TestClusters.admin("traefik-3").withAuthentikOutpostUrl(OUTPOST);
        AppSpec guarded = AppSpecs.protectedByAuthentik(AppSpecs.full(APP));
        RenderedApp early = operations.render(namespace, guarded, 1);

        operations
                .apply(cluster, namespace, guarded, 1, PruneScope.everything(), RetryListener.NONE, early)
                .await()
                .atMost(WAIT);

        assertThat(middleware(namespace).<Object>get("spec", "forwardAuth", "address"))
                .isEqualTo(OUTPOST + "/outpost.goauthentik.io/auth/traefik");
    }

    @Test
    void anOrchestratorWithoutAnOutpostFailsTheDeployBeforeAnythingIsApplied() {
        Crds.TRAEFIK.install(admin);
        String namespace = TestClusters.namespace("nooutpost");
        ClusterConnection cluster = TestClusters.admin("traefik-2");

        failsBeforeAnythingIsApplied(
                cluster,
                namespace,
                "web asks for Authentik forward-auth, but orchestrator traefik-2 names no authentikOutpostUrl (where"
                        + " its Authentik outpost answers Traefik)");
    }

    @Test
    void aClusterWithoutTraefiksCrdFailsTheDeployClearlyButStillUndeploys() {
        Crds.TRAEFIK.remove(admin);
        String namespace = TestClusters.namespace("notraefik");
        ClusterConnection cluster = TestClusters.admin("traefik-3").withAuthentikOutpostUrl(OUTPOST);

        failsBeforeAnythingIsApplied(
                cluster,
                namespace,
                "web asks for Authentik forward-auth, but traefik-3 does not serve Traefik's Middleware (the CRD"
                        + " middlewares.traefik.io, Traefik 2.10 or later, is missing)");

        // without the CRD there is no Middleware to delete: API discovery says so, and the undeploy does not ask
        operations.apply(cluster, namespace, AppSpecs.full(APP), 1).await().atMost(WAIT);
        assertThat(operations.delete(cluster, namespace, APP).await().atMost(WAIT))
                .isNotEmpty()
                .noneMatch(ref -> ref.kind().equals("Middleware"));
    }

    /** A deploy of the protected app fails permanently with {@code message}, leaving even its namespace uncreated. */
    private void failsBeforeAnythingIsApplied(ClusterConnection cluster, String namespace, String message) {
        assertThatThrownBy(() -> operations
                        .apply(cluster, namespace, AppSpecs.protectedByAuthentik(AppSpecs.full(APP)), 1)
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.isTransientFailure()).isFalse();
                });
        assertThat(admin.namespaces().withName(namespace).get()).isNull();
    }

    private GenericKubernetesResource middleware(String namespace) {
        GenericKubernetesResource live = admin.genericKubernetesResources(MIDDLEWARES)
                .inNamespace(namespace)
                .withName("web-authentik")
                .get();
        return live == null || live.getMetadata().getDeletionTimestamp() != null ? null : live;
    }
}
