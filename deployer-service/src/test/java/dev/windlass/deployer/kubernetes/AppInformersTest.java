package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.testing.Kubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared informers behind live app status, on the real API server: one per orchestrator and namespace however
 * many follow it, each follower hears only its own app's Pods and Deployments, the informer stops with its last
 * follower, a retired client completes every stream, and retiring a client never waits for informers that are still
 * starting elsewhere.
 */
class AppInformersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ClientCache clients =
            new ClientCache(new ClientFactory(Duration.ofSeconds(5), Duration.ofSeconds(10)));
    private final ObjectCache cache =
            new ObjectCache(clients, TestClusters.executor(), Duration.ofMinutes(15), Duration.ofSeconds(30));
    private final AppInformers informers = new AppInformers(clients, cache, TestClusters.executor());
    private final KubernetesClient admin = TestClusters.kube().adminClient();

    @AfterEach
    void close() {
        informers.close();
        cache.close();
        clients.close();
    }

    @Test
    void oneInformerPerNamespaceEachFollowerHearsItsOwnAppAndTheLastOneStopsIt() {
        ClusterConnection cluster = TestClusters.admin("informed");
        String namespace = namespace();
        AssertSubscriber<String> web = informers
                .changes(cluster, namespace, "web")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        AssertSubscriber<String> webAgain = informers
                .changes(cluster, namespace, "web")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        AssertSubscriber<String> api = informers
                .changes(cluster, namespace, "api")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Awaitility.await().atMost(WAIT).until(() -> informers.watched() == 1);
        assertThat(cache.started())
                .as("the namespace's informers started once for the three followers")
                .isEqualTo(1);

        pod(namespace, "web-1", WindlassLabels.of("web", 1));
        pod(namespace, "stranger", Map.of("app.kubernetes.io/name", "web"));
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(TestClusters.foreignDeployment(
                        "not-windlass", Map.of("app.kubernetes.io/name", "api"), Map.of()))
                .create();

        Awaitility.await()
                .atMost(WAIT)
                .until(() -> web.getItems().size() >= 1 && webAgain.getItems().size() >= 1);
        assertThat(web.getItems()).containsOnly("web");
        KubernetesClient client = clients.client(cluster);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> cache.view(client, cluster.name(), namespace)
                                .get(io.fabric8.kubernetes.api.model.apps.Deployment.class, "not-windlass")
                        != null);
        Awaitility.await()
                .during(Duration.ofSeconds(1))
                .atMost(WAIT)
                .until(() -> api.getItems().isEmpty());
        assertThat(api.getItems())
                .as("another app's follower hears nothing of web, nor of a Deployment Windlass does not manage")
                .isEmpty();

        int before = web.getItems().size();
        admin.pods().inNamespace(namespace).withName("web-1").delete();
        Awaitility.await().atMost(WAIT).until(() -> web.getItems().size() > before);

        web.cancel();
        webAgain.cancel();
        assertThat(informers.watched()).isEqualTo(1);
        api.cancel();
        Awaitility.await().atMost(WAIT).until(() -> informers.watched() == 0);
    }

    @Test
    void aRetiredClientCompletesEveryStreamAndTheNextFollowerGetsANewInformer() {
        ClusterConnection cluster = TestClusters.admin("retired");
        String namespace = namespace();
        AssertSubscriber<String> web = informers
                .changes(cluster, namespace, "web")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Awaitility.await().atMost(WAIT).until(() -> informers.watched() == 1);

        clients.forget(cluster.name());

        web.awaitCompletion(WAIT);
        assertThat(informers.watched()).isZero();
        AssertSubscriber<String> again = informers
                .changes(cluster, namespace, "web")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Awaitility.await().atMost(WAIT).until(() -> informers.watched() == 1);
        assertThat(cache.started()).as("new informers for the new client").isEqualTo(2);
        pod(namespace, "web-2", WindlassLabels.of("web", 2));
        Awaitility.await().atMost(WAIT).until(() -> !again.getItems().isEmpty());
        again.cancel();
    }

    @Test
    void aClientIsRetiredAtOnceWhileInformersOfAnotherClusterWaitForTheirFirstList() throws Exception {
        ClusterConnection live = TestClusters.admin("retired-at-once");
        AssertSubscriber<String> web = informers
                .changes(live, namespace(), "web")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Awaitility.await().atMost(WAIT).until(() -> informers.watched() == 1);

        try (SilentServer silent = new SilentServer()) {
            ClusterConnection away = TestClusters.token("silent", silent.url(), "a-token", null, true);
            AssertSubscriber<String> waiting = informers
                    .changes(away, "default", "web")
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            assertThat(silent.connected.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the second cluster's informers are starting")
                    .isTrue();

            CompletableFuture<Void> retiring = CompletableFuture.runAsync(() -> clients.forget(live.name()));

            // an orchestrator change is handled on the event loop, which must not wait for another cluster's list
            retiring.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            web.awaitCompletion(WAIT);
            assertThat(waiting.getFailure())
                    .as("the other cluster's informers are still waiting for their first list")
                    .isNull();
            waiting.cancel();
        }
    }

    /** Accepts connections and never answers them, until closed: an API server that does not answer. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final CountDownLatch connected = new CountDownLatch(1);

        SilentServer() throws IOException {
            Thread acceptor = new Thread(
                    () -> {
                        try {
                            while (true) {
                                accepted.add(socket.accept());
                                connected.countDown();
                            }
                        } catch (IOException closed) {
                            // the server was closed
                        }
                    },
                    "silent-api-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "https://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static String namespace() {
        String namespace = TestClusters.namespace("informed");
        TestClusters.kube().ensureNamespace(namespace);
        return namespace;
    }

    private void pod(String namespace, String name, Map<String, String> labels) {
        Kubelet.pod(admin, namespace, name, labels, "app", null, b -> b);
    }
}
