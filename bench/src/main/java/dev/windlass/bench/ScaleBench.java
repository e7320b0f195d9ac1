package dev.windlass.bench;

import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.devstack.local.ServiceProcess;
import dev.windlass.events.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;

/**
 * Benchmark 4, the scale path: deploy throughput with 1, 2 and 4 partitions of the requests topic and 1, 2 and 4
 * deployer processes, with the CPU time of every component during each run, so that one can see where the
 * bottleneck moves. Partitions only grow, so the partition counts run in increasing order; the deployers are
 * stopped while the topic grows and the measurement waits until the consumer group has every partition assigned.
 */
public final class ScaleBench {

    /** The deployer's consumer group of deploy requests. */
    public static final String GROUP = "windlass-deployer";

    /**
     * What to run.
     *
     * @param partitions partition counts of the requests topic, increasing
     * @param replicas deployer process counts
     * @param deploys deploys per point
     */
    public record Config(List<Integer> partitions, List<Integer> replicas, int deploys) {}

    private final BenchSuite bench;
    private final Config config;
    private final PrintStream out;
    private final List<ServiceProcess> deployers = new ArrayList<>();

    public ScaleBench(BenchSuite bench, Config config, PrintStream out) {
        this.bench = bench;
        this.config = config;
        this.out = out;
        deployers.add(bench.suite().service(LocalSuite.DEPLOYER));
    }

    public static void main(String[] args) throws Exception {
        int deploys = 500;
        for (String arg : args) {
            if (arg.startsWith("--deploys=")) {
                deploys = Integer.parseInt(arg.substring(10));
            }
        }
        Config config = new Config(List.of(1, 2, 4), List.of(1, 2, 4), deploys);
        try (BenchSuite bench = BenchSuite.start("scale", System.out)) {
            Map<String, Object> result = new ScaleBench(bench, config, System.out).run();
            System.out.println("results: " + Results.write("scale", result, markdown(result)));
        }
        System.exit(0);
    }

    /** Measures every (partitions, replicas) point once; the results as a JSON-ready tree. */
    public Map<String, Object> run() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "scale");
        result.put("startedAt", Instant.now().toString());
        result.put("machine", Results.machine());
        result.put("config", config);
        List<Map<String, Object>> points = new ArrayList<>();
        try (DeployPipelineBench pipeline = new DeployPipelineBench(
                        bench,
                        new DeployPipelineBench.Config(List.of(), 1, DeployPipelineBench.DEPLOYER_CONCURRENCY, 0, 0, 0),
                        out);
                Admin admin = Admin.create(new java.util.HashMap<String, Object>(
                        bench.suite().kafka().clientProperties(dev.windlass.devstack.KafkaAccess.ADMIN)))) {
            for (int partitions : config.partitions()) {
                deployers.forEach(ServiceProcess::stop);
                growTo(admin, partitions);
                for (int replicas : config.replicas()) {
                    runDeployers(replicas);
                    awaitAssigned(admin, replicas, partitions);
                    pipeline.windlass("p" + partitions + "r" + replicas + "warm", Math.min(40, config.deploys()));
                    Map<String, Object> run = pipeline.windlass("p" + partitions + "r" + replicas, config.deploys());
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("partitions", partitions);
                    point.put("replicas", replicas);
                    point.putAll(run);
                    @SuppressWarnings("unchecked")
                    Map<String, Double> cpu = (Map<String, Double>) run.get("cpuSeconds");
                    double seconds = (double) run.get("secondsUntilAllApplied");
                    point.put("busiest", ProcessCpu.busiest(cpu));
                    point.put(
                            "machineBusy",
                            Summary.round(
                                    cpu.values().stream().mapToDouble(d -> d).sum()
                                            / (seconds * Runtime.getRuntime().availableProcessors())));
                    out.printf(
                            "scale: %d partition(s), %d deployer(s): %.1f deploys/s, busiest %s, cpu %s%n",
                            partitions, replicas, run.get("deploysPerSecond"), point.get("busiest"), cpu);
                    points.add(point);
                }
            }
        }
        runDeployers(1);
        result.put("points", points);
        result.put("finishedAt", Instant.now().toString());
        return result;
    }

    private void growTo(Admin admin, int partitions) throws Exception {
        int now = admin.describeTopics(List.of(Topics.DEPLOY_REQUESTS))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(Topics.DEPLOY_REQUESTS)
                .partitions()
                .size();
        if (now < partitions) {
            admin.createPartitions(Map.of(Topics.DEPLOY_REQUESTS, NewPartitions.increaseTo(partitions)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private void runDeployers(int count) throws Exception {
        while (deployers.size() < count) {
            deployers.add(bench.suite().startDeployerReplica());
        }
        for (int i = 0; i < deployers.size(); i++) {
            ServiceProcess deployer = deployers.get(i);
            if (i < count && !deployer.isAlive()) {
                deployer.start();
            } else if (i >= count) {
                deployer.stop();
            }
        }
        for (int i = 0; i < count; i++) {
            deployers.get(i).awaitReady(Duration.ofMinutes(2));
        }
    }

    /** Waits until the group has {@code members} members and every partition of the requests topic is assigned. */
    private void awaitAssigned(Admin admin, int members, int partitions) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(GROUP);
            long assigned = group.members().stream()
                    .map(MemberDescription::assignment)
                    .flatMap(a -> a.topicPartitions().stream())
                    .filter(tp -> tp.topic().equals(Topics.DEPLOY_REQUESTS))
                    .count();
            if (group.members().size() == members && assigned == partitions) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "the deployers' group did not settle on " + members + " members and " + partitions + " partitions");
    }

    @SuppressWarnings("unchecked")
    static List<String> markdown(Map<String, Object> result) {
        List<String> md = new ArrayList<>();
        md.add("# Scale path, " + result.get("startedAt"));
        md.add("");
        md.add("Machine: " + result.get("machine"));
        md.add("");
        md.add(
                "| partitions | deployers | deploys/s | p50 ms | p99 ms | busiest | machine busy | CPU s by component |");
        md.add("|---|---|---|---|---|---|---|---|");
        for (Map<String, Object> p : (List<Map<String, Object>>) result.get("points")) {
            md.add("| " + p.get("partitions") + " | " + p.get("replicas") + " | " + p.get("deploysPerSecond") + " | "
                    + p.get("p50Millis") + " | " + p.get("p99Millis") + " | " + p.get("busiest") + " | "
                    + p.get("machineBusy") + " | " + p.get("cpuSeconds") + " |");
        }
        md.add("");
        md.add(
                "One burst per point, after a warm-up burst of 40; machine busy = CPU seconds of all components ÷ (seconds × CPUs).");
        return md;
    }
}
