package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientCacheTest {

    private final ClientCache cache = new ClientCache(new ClientFactory(Duration.ofSeconds(5), Duration.ofSeconds(10)));

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void oneClientPerOrchestratorWhileItsVersionStays() {
        KubernetesClient first = cache.client(TestClusters.admin("edge"));
        KubernetesClient again = cache.client(TestClusters.admin("edge"));
        KubernetesClient other = cache.client(TestClusters.admin("core"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(first.namespaces().withName("default").get()).isNotNull();
    }

    @Test
    void aNewVersionReplacesAndClosesTheOldClient() {
        KubernetesClient first = cache.client(TestClusters.admin("edge"));

        KubernetesClient second = cache.client(withVersion(TestClusters.admin("edge"), 2));

        assertThat(second).isNotSameAs(first);
        assertThat(first.getHttpClient().isClosed()).isTrue();
        assertThat(second.namespaces().withName("default").get()).isNotNull();
    }

    @Test
    void olderMaterialOfTheSameOrchestratorGetsTheNewerClientAndNeverReplacesIt() {
        KubernetesClient newer = cache.client(withVersion(TestClusters.admin("edge"), 3));
        List<String> heard = new ArrayList<>();
        cache.onRetired("edge", () -> heard.add("retired"));

        KubernetesClient older = cache.client(withVersion(TestClusters.admin("edge"), 2));

        assertThat(older).isSameAs(newer);
        assertThat(newer.getHttpClient().isClosed()).isFalse();
        assertThat(heard).isEmpty();
    }

    @Test
    void forgettingClosesAndDropsTheClient() {
        KubernetesClient first = cache.client(TestClusters.admin("edge"));

        cache.forget("edge");

        assertThat(cache.holds("edge")).isFalse();
        assertThat(first.getHttpClient().isClosed()).isTrue();
        assertThat(cache.client(TestClusters.admin("edge"))).isNotSameAs(first);
    }

    @Test
    void listenersHearWhenTheClientIsRetiredUntilTheyStop() throws Exception {
        List<String> heard = new ArrayList<>();
        cache.client(TestClusters.admin("edge"));
        AutoCloseable listening = cache.onRetired("edge", () -> heard.add("edge"));
        cache.onRetired("core", () -> heard.add("core"));

        cache.client(withVersion(TestClusters.admin("edge"), 2));
        cache.forget("edge");
        listening.close();
        cache.client(TestClusters.admin("edge"));
        cache.forget("edge");

        assertThat(heard).containsExactly("edge", "edge");
    }

    private static ClusterConnection withVersion(ClusterConnection c, long version) {
        return new ClusterConnection(
                c.id(),
                c.name(),
                c.type(),
                c.environment(),
                c.apiServerUrl(),
                c.authType(),
                c.token(),
                c.clientCertificatePem(),
                c.clientKeyPem(),
                c.caCertificatePem(),
                c.skipTlsVerify(),
                c.metalLbIpRange(),
                c.defaultNamespace(),
                List.copyOf(c.allowedGroups()),
                version);
    }
}
