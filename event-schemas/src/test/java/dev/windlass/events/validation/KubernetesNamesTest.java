package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesNamesTest {

    private static final String LABEL_63 = "a".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "web-1", "9lives", "a-b-c"})
    void dnsLabels(String name) {
        assertThat(KubernetesNames.isDnsLabel(name)).isTrue();
        assertThat(KubernetesNames.isDnsLabel(LABEL_63)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "A", "a_b", "a.b", "a b", "web\n"})
    void notDnsLabels(String name) {
        assertThat(KubernetesNames.isDnsLabel(name)).isFalse();
        assertThat(KubernetesNames.isDnsLabel(LABEL_63 + "a")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9lives", "-a", "0"})
    void dns1035LabelsStartWithALetter(String name) {
        assertThat(KubernetesNames.isDns1035Label(name)).isFalse();
        assertThat(KubernetesNames.isDns1035Label("lives9")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-path", "letsencrypt-prod", "a.b.c", "ebs.csi.aws.com"})
    void subdomains(String name) {
        assertThat(KubernetesNames.isDnsSubdomain(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".a", "a.", "A.b", "a_b.c"})
    void notSubdomains(String name) {
        assertThat(KubernetesNames.isDnsSubdomain(name)).isFalse();
        assertThat(KubernetesNames.isDnsSubdomain((LABEL_63 + ".").repeat(4) + "a"))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "10.0.0.1", "*.example.com", "Example.com", "example.com."})
    void notIngressHosts(String host) {
        assertThat(KubernetesNames.isHost(host)).isFalse();
        assertThat(KubernetesNames.isHost("1password.example.com")).isTrue();
        assertThat(KubernetesNames.isHost("localhost")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc-web", "h2c", "a1", "metrics-9090abc"})
    void portNames(String name) {
        assertThat(KubernetesNames.isPortName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", "a--b", "-http", "http-", "HTTP", "metrics-9090abcd"})
    void notPortNames(String name) {
        assertThat(KubernetesNames.isPortName(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.kubernetes.io/part-of", "tier", "example.com/Owner_1", "a"})
    void labelKeys(String key) {
        assertThat(KubernetesNames.isLabelKey(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a/b/c", "Example.com/a", "-a", "a b"})
    void notLabelKeys(String key) {
        assertThat(KubernetesNames.isLabelKey(key)).isFalse();
        assertThat(KubernetesNames.isLabelKey("a".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1.2.3", "Front_End", "x"})
    void labelValues(String value) {
        assertThat(KubernetesNames.isLabelValue(value)).isTrue();
        assertThat(KubernetesNames.isLabelValue("-x")).isFalse();
        assertThat(KubernetesNames.isLabelValue("x".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/data", "/var/lib/app/", "/a.b/c-d_e"})
    void mountPaths(String path) {
        assertThat(KubernetesNames.isMountPath(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "data", "/a/../b", "/a/./b", "/a:b", "/a b", "//"})
    void notMountPaths(String path) {
        assertThat(KubernetesNames.isMountPath(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"_JAVA_OPTIONS", "LOG_LEVEL", "a1"})
    void envNames(String name) {
        assertThat(KubernetesNames.isEnvName(name)).isTrue();
        assertThat(KubernetesNames.isEnvName("1A")).isFalse();
        assertThat(KubernetesNames.isEnvName("A-B")).isFalse();
        assertThat(KubernetesNames.isEnvName("A".repeat(129))).isFalse();
    }
}
