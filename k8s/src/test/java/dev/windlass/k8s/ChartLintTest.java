package dev.windlass.k8s;

import static dev.windlass.k8s.ChartFixture.TEST_KUBE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `helm lint --strict` and the values schema, offline. */
class ChartLintTest {

    @Test
    void lintsCleanWithDefaultValues() {
        LintResult result = ChartFixture.lint();

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void lintsCleanWithProductionValues() {
        LintResult result = ChartFixture.lint(ChartFixture.prodValues(), Map.of());

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void lintRejectsAnImageFlavorTheSchemaDoesNotKnow() {
        LintResult result = ChartFixture.lint(null, Map.of("image", Map.of("flavor", "wasm")));

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages()))
                .contains("/image/flavor")
                .contains("'jvm', 'native'");
    }

    @Test
    void templateRejectsAnImageFlavorTheSchemaDoesNotKnow() {
        assertThatThrownBy(() ->
                        ChartFixture.template("windlass", TEST_KUBE_VERSION, List.of(), Map.of("image.flavor", "wasm")))
                .hasMessageContaining("/image/flavor")
                .hasMessageContaining("'jvm', 'native'");
    }

    @Test
    void templateRejectsOtherBadValues() {
        Map<String, String> bad = Map.of(
                "orchestrator.managedNamespaces[0]", "Not_A_Namespace",
                "registry.encryption.keys.k1", "too-short",
                "deployer.sealing.keys.k1", "too-short",
                "deployer.sealing.keys.Prod-1", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "groups.admins", "two words",
                "oidc.issuerUrl", "https://authentik.example.com/",
                "gateway.session.encryptionSecret", "short",
                "unknownTopLevelKey", "typo");
        bad.forEach((key, value) -> assertThatThrownBy(
                        () -> ChartFixture.template("windlass", TEST_KUBE_VERSION, List.of(), Map.of(key, value)))
                .as(key)
                .hasMessageContaining("values don't meet the specifications of the schema"));
    }

    @Test
    void templateRejectsAnActiveKeyWithoutItsKey() {
        assertThatThrownBy(() -> ChartFixture.template(
                        "windlass",
                        TEST_KUBE_VERSION,
                        List.of(),
                        Map.of(
                                "registry.encryption.activeKeyId", "k2",
                                "registry.encryption.keys.k1", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")))
                .hasMessageContaining("registry.encryption.activeKeyId \"k2\" must be one of the ids");
    }

    @Test
    void templateRejectsAnActiveSealingKeyWithoutItsKey() {
        assertThatThrownBy(() -> ChartFixture.template(
                        "windlass",
                        TEST_KUBE_VERSION,
                        List.of(),
                        Map.of(
                                "deployer.sealing.activeKeyId", "k2",
                                "deployer.sealing.keys.k1", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")))
                .hasMessageContaining("deployer.sealing.activeKeyId \"k2\" must be one of the ids");
    }
}
