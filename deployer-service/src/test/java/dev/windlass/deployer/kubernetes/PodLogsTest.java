package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.devstack.KubeletStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Container logs read through the dev-stack API server's {@code pods/log}, which proxies to the kubelet stand-in the
 * Pods are scheduled on: the tail asked for, the previous run, secret values masked, a size cap, and only the app's
 * own Pods.
 */
class PodLogsTest {

    private static final String APP = "web";
    private static final List<String> SECRETS = List.of(AppSpecs.SECRET_VALUE);

    private static KubeletStandIn kubelet;
    private final KubernetesClient admin = TestClusters.kube().adminClient();

    @BeforeAll
    static void startKubelet() {
        kubelet = KubeletStandIn.start(TestClusters.kube().adminClient(), TestClusters.namespace("kubelet"));
    }

    @AfterAll
    static void stopKubelet() {
        kubelet.close();
    }

    @Test
    void theLastLinesOfTheAppsContainerWithItsSecretValuesMasked() {
        String namespace = namespace();
        pod(namespace, "web-1", WindlassLabels.of(APP, 1));
        kubelet.logs(
                namespace,
                "web-1",
                APP,
                false,
                List.of("starting", "connecting with password " + AppSpecs.SECRET_VALUE, "listening on 8080"));
        kubelet.logs(namespace, "web-1", APP, true, List.of("fatal: out of memory"));

        assertThat(PodLogs.read(admin, new LogRequest(namespace, APP, "web-1", null, 200, false, SECRETS)))
                .isEqualTo("starting\nconnecting with password ****\nlistening on 8080\n");
        assertThat(PodLogs.read(admin, new LogRequest(namespace, APP, "web-1", APP, 1, false, SECRETS)))
                .isEqualTo("listening on 8080\n");
        assertThat(PodLogs.read(admin, new LogRequest(namespace, APP, "web-1", APP, 200, true, SECRETS)))
                .isEqualTo("fatal: out of memory\n");
    }

    @Test
    void aLogIsCutAtOneMebibyte() {
        String namespace = namespace();
        pod(namespace, "web-big", WindlassLabels.of(APP, 1));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(i + " " + "x".repeat(1000));
        }
        kubelet.logs(namespace, "web-big", APP, false, lines);

        assertThat(PodLogs.read(admin, new LogRequest(namespace, APP, "web-big", APP, 5000, false, SECRETS)))
                .hasSize(PodLogs.MAX_BYTES);
    }

    @Test
    void anotherAppsPodOrAContainerThePodLacksIsNotFound() {
        String namespace = namespace();
        pod(namespace, "other-1", WindlassLabels.of("other", 1));
        pod(namespace, "web-2", WindlassLabels.of(APP, 1));
        kubelet.logs(namespace, "other-1", APP, false, List.of("not yours"));

        assertThatThrownBy(
                        () -> PodLogs.read(admin, new LogRequest(namespace, APP, "other-1", null, 10, false, SECRETS)))
                .isInstanceOfSatisfying(
                        ClusterException.class, e -> assertThat(e.getStatus()).isEqualTo(404))
                .hasMessage("app web has no pod other-1 in " + namespace);
        assertThatThrownBy(() ->
                        PodLogs.read(admin, new LogRequest(namespace, APP, "web-2", "sidecar", 10, false, SECRETS)))
                .isInstanceOfSatisfying(
                        ClusterException.class, e -> assertThat(e.getStatus()).isEqualTo(404))
                .hasMessage("pod web-2 has no container sidecar (it has web)");
        assertThatThrownBy(() -> PodLogs.read(admin, new LogRequest(namespace, APP, "web-2", null, 10, true, SECRETS)))
                .as("no previous run: the kubelet's answer, through the API server")
                .isInstanceOf(ClusterException.class);
    }

    @Test
    void aFollowedLogSendsEachNewLineMaskedAsItIsWrittenUntilTheFollowerLeaves() {
        String namespace = namespace();
        pod(namespace, "web-f", WindlassLabels.of(APP, 1));
        kubelet.logs(namespace, "web-f", APP, false, List.of("started", "listening on 8080"));
        FabricClusterOperations cluster = new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());
        try {
            AssertSubscriber<String> lines = cluster.followLog(
                            TestClusters.admin("follow"),
                            new LogRequest(namespace, APP, "web-f", null, 1, false, SECRETS))
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            lines.awaitItems(1, Duration.ofSeconds(20));
            assertThat(lines.getItems()).containsExactly("listening on 8080");

            kubelet.append(namespace, "web-f", APP, "GET / 200");
            kubelet.append(namespace, "web-f", APP, "connecting with password " + AppSpecs.SECRET_VALUE);
            lines.awaitItems(3, Duration.ofSeconds(20));
            assertThat(lines.getItems())
                    .containsExactly("listening on 8080", "GET / 200", "connecting with password ****");
            assertThat(lines.isCancelled()).isFalse();

            lines.cancel();

            // another app's Pod cannot be followed
            AssertSubscriber<String> other = cluster.followLog(
                            TestClusters.admin("follow"),
                            new LogRequest(namespace, "other", "web-f", null, 0, false, SECRETS))
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(1));
            other.awaitFailure(Duration.ofSeconds(20));
            assertThat(other.getFailure())
                    .isInstanceOfSatisfying(
                            ClusterException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(404));
        } finally {
            cluster.close();
        }
    }

    @Test
    void theLongestSecretIsMaskedFirst() {
        assertThat(PodLogs.redact("token abc and abcdef", List.of("abc", "abcdef", "")))
                .isEqualTo("token **** and ****");
    }

    private String namespace() {
        String namespace = TestClusters.namespace("logs");
        TestClusters.kube().ensureNamespace(namespace);
        return namespace;
    }

    private void pod(String namespace, String name, Map<String, String> labels) {
        Kubelet.pod(admin, namespace, name, labels, APP, kubelet.nodeName(), b -> b);
    }
}
