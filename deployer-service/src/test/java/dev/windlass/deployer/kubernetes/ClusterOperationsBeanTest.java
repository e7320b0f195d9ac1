package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The production bean, wired by CDI from configuration, deploys from the event loop without blocking it. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ClusterOperationsBeanTest {

    @Inject
    ClusterOperations operations;

    @Inject
    KubernetesConfig config;

    @Inject
    Vertx vertx;

    @Test
    void theBeanIsConfiguredFromTheMapping() {
        assertThat(operations).isInstanceOf(FabricClusterOperations.class);
        assertThat(config.fieldManager()).isEqualTo("windlass");
        assertThat(config.retry().budget()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void anApplySubscribedOnTheEventLoopRunsItsClusterCallsOnAWorker() throws Exception {
        String namespace = TestClusters.namespace("bean");
        // outside the event loop: the first use starts the dev-stack API server, which must not run on it
        ClusterConnection cluster = TestClusters.admin("bean");
        CompletableFuture<String> subscribedOn = new CompletableFuture<>();
        CompletableFuture<String> completedOn = new CompletableFuture<>();

        vertx.runOnContext(ignored -> {
            subscribedOn.complete(Context.isOnEventLoopThread() ? "event loop" : "elsewhere");
            operations
                    .apply(cluster, namespace, AppSpecs.minimal("web"), 1)
                    .subscribe()
                    .with(
                            result -> completedOn.complete(Context.isOnEventLoopThread() ? "event loop" : "worker"),
                            completedOn::completeExceptionally);
        });

        assertThat(subscribedOn.get(10, TimeUnit.SECONDS)).isEqualTo("event loop");
        assertThat(completedOn.get(60, TimeUnit.SECONDS)).isEqualTo("worker");
        assertThat(TestClusters.kube()
                        .adminClient()
                        .apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("web")
                        .get())
                .isNotNull();
    }
}
