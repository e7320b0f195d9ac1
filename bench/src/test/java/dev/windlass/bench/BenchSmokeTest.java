package dev.windlass.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each benchmark at a tiny size on one shared suite, so that the harness cannot rot: the results must be complete
 * and sane (every deploy applied, positive rates, percentiles in order). No timing target is asserted here; the
 * figures are in docs/benchmarks.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BenchSmokeTest {

    private static BenchSuite bench;

    @BeforeAll
    static void startSuite() {
        bench = BenchSuite.start("smoke", System.out);
    }

    @AfterAll
    static void stopSuite() {
        if (bench != null) {
            bench.close();
        }
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void deployPipelineMeasuresEveryDeployAndBothBaselines() throws Exception {
        var config = new DeployPipelineBench.Config(List.of(6), 1, 2, 3, 5, 2);

        Map<String, Object> result;
        try (DeployPipelineBench pipeline = new DeployPipelineBench(bench, config, System.out)) {
            result = pipeline.run();
        }

        List<Map<String, Object>> bursts = (List<Map<String, Object>>) result.get("bursts");
        assertThat(bursts).hasSize(1);
        Map<String, Object> run = ((List<Map<String, Object>>) bursts.get(0).get("runs")).get(0);
        Map<String, Object> windlass = (Map<String, Object>) run.get("windlass");
        assertThat(windlass)
                .containsEntry("deploys", 6)
                .containsEntry("applied", 6L)
                .containsEntry("failed", 0)
                .containsEntry("missing", 0);
        assertThat((double) windlass.get("deploysPerSecond")).isPositive();
        assertThat((double) windlass.get("p99Millis")).isGreaterThanOrEqualTo((double) windlass.get("p50Millis"));
        assertThat((Map<String, Double>) windlass.get("cpuSeconds"))
                .containsKeys("deployer", "kube-apiserver", "etcd", "postgres", "harness");
        assertThat((double) ((Map<String, Object>) run.get("fabric8")).get("deploysPerSecond"))
                .isPositive();
        // the deployer's own count: at least one server-side apply per object, as many as the direct leg sends
        double direct = ((Map<String, Double>)
                        ((Map<String, Object>) run.get("fabric8")).get("apiServerRequestsPerDeploy"))
                .get("PATCH");
        Map<String, Double> requests = (Map<String, Double>) windlass.get("apiServerRequestsPerDeploy");
        assertThat(direct).isGreaterThanOrEqualTo(4.0);
        assertThat(requests.get("PATCH")).isGreaterThanOrEqualTo(direct);
        assertThat(requests.get("all")).isGreaterThanOrEqualTo(requests.get("PATCH"));
        assertThat((Map<String, Object>) run.get("kubectl"))
                .containsEntry("deploys", 3)
                .containsEntry("extrapolatedTo", 6);
        assertThat((double) run.get("ratioToFabric8")).isPositive();
        Map<String, Object> steady = (Map<String, Object>) result.get("steady");
        Map<String, Object> steadyRun = ((List<Map<String, Object>>) steady.get("runs")).get(0);
        assertThat(steadyRun).containsEntry("deploys", 10).containsEntry("applied", 10L);
        assertThat(bench.suite()
                        .kube()
                        .adminClient()
                        .apps()
                        .deployments()
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .extracting(d -> d.getMetadata().getName())
                .anyMatch(name -> name.startsWith("f"))
                .anyMatch(name -> name.startsWith("k"))
                .anyMatch(name -> name.startsWith("w"));
        assertThat(DeployPipelineBench.markdown(result)).anyMatch(line -> line.startsWith("| 6 |"));
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void apiBenchmarkMeasuresDirectAndThroughTheGateway() throws Exception {
        var config = new ApiGatewayBench.Config(1, 2, 1, 20, 1, 2);

        Map<String, Object> result = new ApiGatewayBench(bench, config, System.out).run();

        List<Map<String, Object>> operations = (List<Map<String, Object>>) result.get("operations");
        assertThat(operations).extracting(o -> o.get("operation")).containsExactly("list", "get");
        for (Map<String, Object> operation : operations) {
            Map<String, Object> run = ((List<Map<String, Object>>) operation.get("runs")).get(0);
            for (String cell : List.of("directClosed", "gatewayClosed", "directOpen", "gatewayOpen")) {
                Map<String, Object> measured = (Map<String, Object>) run.get(cell);
                assertThat(measured).as(cell).containsEntry("errors", 0L);
                assertThat((long) measured.get("requests")).as(cell).isPositive();
                assertThat((double) measured.get("p99Millis")).as(cell).isGreaterThanOrEqualTo((double)
                        measured.get("p50Millis"));
            }
            assertThat((long) ((Map<String, Object>) run.get("directOpen")).get("requests"))
                    .isEqualTo(20);
            // CPU per request at the fixed rate, of the registry and of the gateway (a tick is 10 ms: may be 0 here)
            for (String cell : List.of("directOpen", "gatewayOpen")) {
                Map<String, Object> measured = (Map<String, Object>) run.get(cell);
                assertThat((double) measured.get("registryCpuMsPerRequest"))
                        .as(cell)
                        .isNotNegative();
                assertThat((double) measured.get("gatewayCpuMsPerRequest"))
                        .as(cell)
                        .isNotNegative();
            }
        }
        assertThat(ApiGatewayBench.markdown(result)).anyMatch(line -> line.startsWith("| get |"));
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void scaleBenchmarkRunsEveryPointWithItsPartitionsAndReplicas() throws Exception {
        var config = new ScaleBench.Config(List.of(1, 2), List.of(1, 2), 5);

        Map<String, Object> result = new ScaleBench(bench, config, System.out).run();

        List<Map<String, Object>> points = (List<Map<String, Object>>) result.get("points");
        assertThat(points)
                .extracting(p -> p.get("partitions") + "x" + p.get("replicas"))
                .containsExactly("1x1", "1x2", "2x1", "2x2");
        for (Map<String, Object> point : points) {
            assertThat(point).containsEntry("applied", 5L).containsEntry("missing", 0);
            assertThat((String) point.get("busiest")).isNotBlank();
        }
        assertThat(bench.suite().service("deployer-service-2").isAlive()).isFalse();
        assertThat(bench.suite().service("deployer-service").isAlive()).isTrue();
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void footprintBenchmarkRestartsEachServiceAndReadsItsMemory() throws Exception {
        Map<String, Object> result = new FootprintBench(bench, new FootprintBench.Config(1, 5), System.out).run();

        List<Map<String, Object>> services = (List<Map<String, Object>>) result.get("services");
        assertThat(services)
                .extracting(s -> s.get("service"))
                .containsExactly("registry-service", "deployer-service", "identity-gateway");
        for (Map<String, Object> service : services) {
            Map<String, Object> run = ((List<Map<String, Object>>) service.get("runs")).get(0);
            assertThat(run).containsEntry("warmupRequestsOk", 5);
            assertThat((double) run.get("readySeconds")).isPositive();
            assertThat((double) run.get("rssMiB")).isPositive();
        }
    }
}
