package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterFailuresTest {

    @ParameterizedTest(name = "HTTP {0} is transient: {1}")
    @CsvSource({
        "400, false",
        "401, false",
        "403, false",
        "404, false",
        "422, false",
        "408, true",
        "409, true",
        "429, true",
        "500, true",
        "503, true",
        "504, true"
    })
    void classifiesHttpStatuses(int code, boolean transientFailure) {
        ClusterException e = ClusterFailures.translate(
                "apply Service a/b",
                new KubernetesClientException(new StatusBuilder()
                        .withCode(code)
                        .withMessage("the server says " + code)
                        .build()));

        assertThat(e.getStatus()).isEqualTo(code);
        assertThat(e.isTransientFailure()).isEqualTo(transientFailure);
        assertThat(e.getMessage()).isEqualTo("apply Service a/b: the server says " + code);
    }

    @Test
    void aStatusWithoutMessageIsNamedByItsCode() {
        ClusterException e =
                ClusterFailures.translate("read namespace a", new KubernetesClientException("", 502, null));

        assertThat(e.getMessage()).isEqualTo("read namespace a: HTTP 502");
        assertThat(e.isTransientFailure()).isTrue();
    }

    @Test
    void connectionFailuresAreTransient() {
        ClusterException e = ClusterFailures.translate(
                "apply Deployment a/b",
                new KubernetesClientException(
                        "Operation failed", new IOException("wrapped", new ConnectException("Connection refused"))));

        assertThat(e.getStatus()).isZero();
        assertThat(e.isTransientFailure()).isTrue();
        assertThat(e.getMessage()).isEqualTo("apply Deployment a/b: cannot reach the API server: Connection refused");
    }

    @Test
    void tlsFailuresArePermanent() {
        ClusterException e = ClusterFailures.translate(
                "apply Deployment a/b",
                new KubernetesClientException(
                        "Operation failed", new SSLHandshakeException("PKIX path building failed")));

        assertThat(e.isTransientFailure()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("apply Deployment a/b: TLS failure: PKIX path building failed"
                        + " (check the CA certificate or skipTlsVerify)");
    }

    @Test
    void aClusterExceptionPassesThrough() {
        ClusterException original = ClusterException.permanent("MetalLB is not installed on x");

        assertThat(ClusterFailures.translate("apply", original)).isSameAs(original);
    }

    @Test
    void anythingElseIsPermanent() {
        ClusterException e = ClusterFailures.translate("apply", new IllegalStateException("broken"));

        assertThat(e.isTransientFailure()).isFalse();
        assertThat(e.getMessage()).isEqualTo("apply: broken");
    }

    /** An orchestrator event retires the cached client while applies still use it: they must retry, not fail. */
    @Test
    void aCallOnAClientClosedMeanwhileIsTransient() {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl("https://127.0.0.1:1")
                        .build())
                .build();
        client.close();

        assertThatThrownBy(() -> new ServerSideApplier("windlass")
                        .apply(
                                client,
                                new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName("web")
                                        .withNamespace("team-a")
                                        .endMetadata()
                                        .build()))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.isTransientFailure()).isTrue();
                    assertThat(e.getMessage()).startsWith("apply ConfigMap team-a/web: the client was replaced");
                });
    }
}
