package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The requests a revision's apply and prune make, counted on the wire by an interceptor of the Fabric8 client that
 * talks to the dev-stack API server: the prune lists only the kinds an earlier revision left and this one dropped.
 */
class PruneRequestsTest {

    private static final String APP = "web";

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Runs before each request is sent, on the thread that makes it: another actor's change at that moment. */
    private volatile Consumer<String> beforeSending = request -> {};

    private final KubernetesClient counted = new KubernetesClientBuilder()
            .withConfig(admin.getConfiguration())
            .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("count", new Interceptor() {
                @Override
                public void before(BasicBuilder request, HttpRequest sent, RequestTags tags) {
                    String query = sent.uri().getRawQuery();
                    String line = sent.method() + " " + sent.uri().getRawPath() + (query == null ? "" : "?" + query);
                    requests.add(line);
                    beforeSending.accept(line);
                }
            }))
            .build();
    private final KubernetesSettings settings = TestClusters.settings();
    private final ObjectRenderer renderer = new ObjectRenderer(settings.ingressControllerNamespace());
    private final ServerSideApplier applier = new ServerSideApplier(settings.fieldManager());
    private final RevisionApplier revisions = new RevisionApplier(
            new NamespaceKeeper(), new MetalLbKeeper(applier, settings.metallbNamespace()), applier, new Pruner());
    private final ClusterConnection cluster = TestClusters.admin("local");

    @AfterEach
    void close() {
        counted.close();
    }

    @Test
    void anAppsFirstRevisionMakesNoListAndNoDeleteRequest() {
        String namespace = TestClusters.namespace("first");
        RenderedApp app = renderer.render(namespace, AppSpecs.full(APP), 1);

        ApplyResult result = revisions.apply(counted, cluster, app, PruneScope.of(List.of()));

        assertThat(result.pruned()).isEmpty();
        assertThat(lists()).isEmpty();
        assertThat(requests).noneMatch(r -> r.startsWith("DELETE "));
        // the counter does see the requests: one server-side apply (PATCH) per object
        assertThat(requests)
                .filteredOn(r -> r.startsWith("PATCH "))
                .hasSize(app.objects().size());
    }

    @Test
    void theSameObjectsAgainMakeNoListRequest() {
        String namespace = TestClusters.namespace("same");
        RenderedApp first = renderer.render(namespace, AppSpecs.full(APP), 1);
        revisions.apply(counted, cluster, first, PruneScope.of(List.of()));
        requests.clear();

        RenderedApp second = renderer.render(namespace, AppSpecs.full(APP), 2);
        ApplyResult result = revisions.apply(counted, cluster, second, PruneScope.of(first.refs()));

        assertThat(result.pruned()).isEmpty();
        assertThat(lists()).isEmpty();
    }

    @Test
    void aRevisionDroppingTheIngressAndAServiceListsThoseKindsAndDeletesExactlyThose() {
        String namespace = TestClusters.namespace("drop");
        AppSpec full = AppSpecs.full(APP);
        RenderedApp first = renderer.render(namespace, full, 1);
        revisions.apply(counted, cluster, first, PruneScope.of(List.of()));
        requests.clear();

        RenderedApp second = renderer.render(namespace, AppSpecs.withoutIngressAndNodePort(full), 2);
        ApplyResult result = revisions.apply(counted, cluster, second, PruneScope.of(first.refs()));

        assertThat(result.pruned())
                .containsExactly(
                        new ObjectRef("Ingress", namespace, APP), new ObjectRef("Service", namespace, "web-np"));
        // the kinds that held something to delete, then those kinds again to verify that it is gone
        assertThat(lists())
                .extracting(PruneRequestsTest::resource)
                .containsExactly("ingresses", "services", "ingresses", "services");
        assertThat(requests)
                .filteredOn(r -> r.startsWith("DELETE "))
                .extracting(PruneRequestsTest::resource)
                .containsExactlyInAnyOrder("ingresses/" + APP, "services/web-np");
        assertThat(liveObjects(namespace))
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "Secret/web-env",
                        "PersistentVolumeClaim/web-data",
                        "NetworkPolicy/web",
                        "Service/web",
                        "Service/web-lb",
                        "Deployment/web");
    }

    @Test
    void anObjectOnlyAnEarlierRevisionHadIsFoundEvenWhenTheLastRevisionDroppedItAlready() {
        String namespace = TestClusters.namespace("older");
        AppSpec full = AppSpecs.full(APP);
        RenderedApp first = renderer.render(namespace, full, 1);
        revisions.apply(counted, cluster, first, PruneScope.of(List.of()));
        // revision 2 failed before its prune: the Ingress of revision 1 is still there
        RenderedApp second = renderer.render(namespace, AppSpecs.withoutIngressAndNodePort(full), 2);
        List<ObjectRef> earlier = new ArrayList<>(first.refs());
        earlier.addAll(second.refs());
        requests.clear();

        RenderedApp third = renderer.render(namespace, AppSpecs.withoutIngressAndNodePort(full), 3);
        ApplyResult result = revisions.apply(counted, cluster, third, PruneScope.of(earlier));

        assertThat(result.pruned())
                .containsExactly(
                        new ObjectRef("Ingress", namespace, APP), new ObjectRef("Service", namespace, "web-np"));
    }

    @Test
    void withUnknownEarlierObjectsEveryKindIsListed() {
        String namespace = TestClusters.namespace("legacy");
        AppSpec full = AppSpecs.full(APP);
        revisions.apply(counted, cluster, renderer.render(namespace, full, 1), PruneScope.of(List.of()));
        requests.clear();

        ApplyResult result = revisions.apply(
                counted,
                cluster,
                renderer.render(namespace, AppSpecs.withoutIngressAndNodePort(full), 2),
                PruneScope.everything());

        assertThat(result.pruned()).hasSize(2);
        assertThat(lists())
                .extracting(PruneRequestsTest::resource)
                .containsExactly(
                        // no middlewares: the test API server does not serve Traefik's, so they are not asked for
                        "ingresses",
                        "services",
                        "deployments",
                        "secrets",
                        "persistentvolumeclaims",
                        "networkpolicies",
                        "ingresses",
                        "services");
    }

    @Test
    void aPrunedObjectCreatedAgainBeforeTheCheckFailsTheApplyNamingIt() {
        String namespace = TestClusters.namespace("again");
        AppSpec full = AppSpecs.full(APP);
        RenderedApp first = renderer.render(namespace, full, 1);
        revisions.apply(counted, cluster, first, PruneScope.of(List.of()));
        Ingress old = admin.network()
                .v1()
                .ingresses()
                .inNamespace(namespace)
                .withName(APP)
                .get();
        // someone applies revision 1's Ingress again between the prune's DELETE and its check
        AtomicBoolean deleted = new AtomicBoolean();
        beforeSending = request -> {
            if (request.startsWith("DELETE ") && resource(request).equals("ingresses/" + APP)) {
                deleted.set(true);
            } else if (request.startsWith("GET ")
                    && resource(request).equals("ingresses")
                    && deleted.getAndSet(false)) {
                admin.resource(new IngressBuilder(old)
                                .editMetadata()
                                .withResourceVersion(null)
                                .withUid(null)
                                .withCreationTimestamp(null)
                                .withManagedFields(List.of())
                                .endMetadata()
                                .withStatus(null)
                                .build())
                        .create();
            }
        };

        RenderedApp second = renderer.render(namespace, AppSpecs.withoutIngressAndNodePort(full), 2);
        assertThatThrownBy(() -> revisions.apply(counted, cluster, second, PruneScope.of(first.refs())))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage())
                            .isEqualTo("revision 2 was applied, but 1 object(s) it no longer has are still on the"
                                    + " cluster after the prune deleted them (created again meanwhile): Ingress "
                                    + namespace + "/" + APP);
                });
        assertThat(admin.network()
                        .v1()
                        .ingresses()
                        .inNamespace(namespace)
                        .withName(APP)
                        .get())
                .isNotNull();
    }

    @Test
    void undeployListsEveryKindThenVerifiesThatNothingIsLeft() {
        String namespace = TestClusters.namespace("undeploy");
        revisions.apply(counted, cluster, renderer.render(namespace, AppSpecs.full(APP), 1), PruneScope.of(List.of()));
        requests.clear();

        List<ObjectRef> deleted =
                new Pruner().deleteAll(counted, ObjectOwnership.owner(cluster, namespace, APP), namespace, APP);

        assertThat(deleted).hasSize(8);
        // one LIST per kind the cluster serves to find the app's objects, one more per kind to verify that none is left
        long served = java.util.Arrays.stream(ManagedKind.values())
                .filter(kind -> !kind.custom() || admin.supports(kind.type()))
                .count();
        assertThat(lists()).hasSize((int) (2 * served));
        assertThat(liveObjects(namespace)).isEmpty();
    }

    /** The label-selected LIST requests. */
    private List<String> lists() {
        return requests.stream()
                .filter(r -> r.startsWith("GET ") && r.contains("labelSelector="))
                .toList();
    }

    /** The path after the namespace: {@code services} or {@code services/web-np}. */
    private static String resource(String request) {
        String path = request.substring(request.indexOf(' ') + 1).replaceFirst("\\?.*", "");
        return path.replaceFirst(".*/namespaces/[^/]+/", "");
    }

    private List<HasMetadata> liveObjects(String namespace) {
        List<HasMetadata> live = new ArrayList<>();
        for (ManagedKind kind : ManagedKind.values()) {
            if (kind.custom() && !admin.supports(kind.type())) {
                continue;
            }
            admin
                    .resources(kind.type())
                    .inNamespace(namespace)
                    .withLabels(WindlassLabels.selector(APP))
                    .list()
                    .getItems()
                    .stream()
                    .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
                    .forEach(live::add);
        }
        return live;
    }
}
