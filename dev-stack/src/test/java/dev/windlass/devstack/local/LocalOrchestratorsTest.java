package dev.windlass.devstack.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's kubeconfig handling where it registers nothing (so no registry is asked: the registry URL here
 * answers nothing), and the names it gives. Registration itself runs in suite-tests' LauncherTest.
 */
class LocalOrchestratorsTest {

    private final LocalOrchestrators orchestrators = new LocalOrchestrators("http://127.0.0.1:9", "unused");
    private final List<String> told = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void contextNamesBecomeDnsLabels() {
        assertThat(LocalOrchestrators.orchestratorName("Lab.Cluster")).isEqualTo("kubeconfig-lab-cluster");
        assertThat(LocalOrchestrators.orchestratorName("arn:aws:eks:eu-west-1:123:cluster/prod"))
                .isEqualTo("kubeconfig-arn-aws-eks-eu-west-1-123-cluster-prod");
        assertThat(LocalOrchestrators.orchestratorName("x".repeat(80)))
                .hasSize(63)
                .matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
        assertThat(LocalOrchestrators.orchestratorName("a" + "-".repeat(60) + "b"))
                .isEqualTo("kubeconfig-a-b");
    }

    @Test
    void anExecPluginContextIsSkippedWithAReason() throws Exception {
        Path kubeconfig = write("""
                apiVersion: v1
                kind: Config
                current-context: eks
                contexts:
                - name: eks
                  context: {cluster: prod, user: aws}
                clusters:
                - name: prod
                  cluster: {server: "https://prod.example.com"}
                users:
                - name: aws
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token]}
                """);

        assertThat(orchestrators.registerKubeconfig(kubeconfig.toFile(), told::add))
                .isNull();
        assertThat(told).singleElement().asString().contains("context eks").contains("exec plugin");
    }

    @Test
    void basicAuthIsSkippedWithAReason() throws Exception {
        Path kubeconfig = write("""
                apiVersion: v1
                kind: Config
                current-context: old
                contexts:
                - name: old
                  context: {cluster: c, user: u}
                clusters:
                - name: c
                  cluster: {server: "https://old.example.com"}
                users:
                - name: u
                  user: {username: admin, password: secret}
                """);

        assertThat(orchestrators.registerKubeconfig(kubeconfig.toFile(), told::add))
                .isNull();
        assertThat(told).singleElement().asString().contains("neither a token nor a client certificate");
        assertThat(String.join(" ", told)).doesNotContain("secret");
    }

    @Test
    void aMissingFileOrContextIsSkippedWithAReason() throws Exception {
        assertThat(orchestrators.registerKubeconfig(dir.resolve("none").toFile(), told::add))
                .isNull();
        Path noContext = write("""
                apiVersion: v1
                kind: Config
                current-context: gone
                contexts: []
                clusters: []
                users: []
                """);
        assertThat(orchestrators.registerKubeconfig(noContext.toFile(), told::add))
                .isNull();

        assertThat(told).hasSize(2);
        assertThat(told.get(0)).contains("no kubeconfig at");
        assertThat(told.get(1)).contains("no current context");
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("config-" + System.nanoTime());
        Files.writeString(file, yaml);
        return file;
    }
}
