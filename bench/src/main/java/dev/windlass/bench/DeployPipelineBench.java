package dev.windlass.bench;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.devstack.local.ServiceProcess;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.deployment.DeploymentRequested;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Benchmark 1, the deploy pipeline: N deploy requests published to Kafka and carried out by the deployer against
 * the suite's API server, side by side in the same run with (a) the same objects applied directly with the Fabric8
 * client at the deployer's concurrency and (b) {@code kubectl apply} once per app. Then a steady rate, for the
 * event-to-applied latency. "Applied" is the deployer's {@code PROGRESSING} status event, read from the status
 * topic: published after every object was applied and the phase committed.
 */
public final class DeployPipelineBench implements AutoCloseable {

    /** The deployer's default {@code windlass.deployer.kubernetes.concurrency-per-orchestrator}. */
    public static final int DEPLOYER_CONCURRENCY = 4;

    /**
     * What to run.
     *
     * @param sizes numbers of deploys per burst
     * @param repeats runs of each size (Windlass, Fabric8 and kubectl side by side in each)
     * @param concurrency concurrent applies of the Fabric8 baseline (the deployer's limit per orchestrator)
     * @param kubectlSample most apps applied with kubectl per run; the rate is extrapolated to N
     * @param steadyRate deploys per second of the steady-rate phase (0: none)
     * @param steadySeconds how long the steady rate runs
     * @param split kube-apiserver and etcd on CPU 0, everything else on CPU 1 ({@link CpuSplit}); shared otherwise
     */
    public record Config(
            List<Integer> sizes,
            int repeats,
            int concurrency,
            int kubectlSample,
            double steadyRate,
            int steadySeconds,
            boolean split) {

        /** Shared mode: every process may run on every CPU. */
        public Config(
                List<Integer> sizes,
                int repeats,
                int concurrency,
                int kubectlSample,
                double steadyRate,
                int steadySeconds) {
            this(sizes, repeats, concurrency, kubectlSample, steadyRate, steadySeconds, false);
        }
    }

    private final BenchSuite bench;
    private final Config config;
    private final PrintStream out;
    private final String session = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private final KafkaProducer<byte[], byte[]> producer;
    private final BenchSealing sealing;

    public DeployPipelineBench(BenchSuite bench, Config config, PrintStream out) {
        this.bench = bench;
        this.config = config;
        this.out = out;
        Properties props = new Properties();
        // an outside producer of deploy requests, signed in to Kafka as one
        props.putAll(bench.suite().kafka().clientProperties(dev.windlass.devstack.KafkaAccess.CI_PIPELINE));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props);
        sealing = new BenchSealing(bench);
        for (int i = 0; i < BenchApps.NAMESPACES; i++) {
            bench.suite().kube().ensureNamespace(BenchApps.namespace(i));
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        int repeats = 3;
        int sample = 100;
        double rate = 20;
        int steady = 30;
        boolean split = false;
        for (String arg : args) {
            if (arg.equals("--split")) {
                split = true;
            } else if (arg.startsWith("--repeats=")) {
                repeats = Integer.parseInt(arg.substring(10));
            } else if (arg.startsWith("--kubectl-sample=")) {
                sample = Integer.parseInt(arg.substring(17));
            } else if (arg.startsWith("--steady-rate=")) {
                rate = Double.parseDouble(arg.substring(14));
            } else if (arg.startsWith("--steady-seconds=")) {
                steady = Integer.parseInt(arg.substring(17));
            } else {
                sizes.add(Integer.parseInt(arg));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1000);
        }
        Config config = new Config(sizes, repeats, DEPLOYER_CONCURRENCY, sample, rate, steady, split);
        try (BenchSuite bench = BenchSuite.start("deploy-pipeline", System.out)) {
            try (DeployPipelineBench pipeline = new DeployPipelineBench(bench, config, System.out)) {
                Map<String, Object> result = pipeline.run();
                System.out.println("results: " + Results.write("deploy-pipeline", result, markdown(result)));
            }
        }
        System.exit(0);
    }

    /** Runs every size {@code repeats} times, then the steady rate; the results as a JSON-ready tree. */
    public Map<String, Object> run() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "deploy-pipeline");
        result.put("startedAt", Instant.now().toString());
        result.put("machine", Results.machine());
        result.put("config", config);
        if (config.split()) {
            Map<String, Integer> pinned = CpuSplit.apply();
            out.println("deploy-pipeline: split mode, processes pinned: " + pinned);
            result.put("pinned", pinned);
        }
        // warm-up: the first deploys of a fresh deployer JVM pay for class loading and JIT
        windlass("warm", Math.min(50, config.sizes().get(0)));
        List<Map<String, Object>> bySize = new ArrayList<>();
        for (int n : config.sizes()) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (int r = 1; r <= config.repeats(); r++) {
                out.printf("deploy-pipeline: N=%d run %d/%d%n", n, r, config.repeats());
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("windlass", windlass("n" + n + "r" + r, n));
                run.put("fabric8", fabric8("n" + n + "r" + r, n));
                run.put("kubectl", kubectl("n" + n + "r" + r, n));
                double w = (double) ((Map<?, ?>) run.get("windlass")).get("deploysPerSecond");
                double f = (double) ((Map<?, ?>) run.get("fabric8")).get("deploysPerSecond");
                double k = (double) ((Map<?, ?>) run.get("kubectl")).get("deploysPerSecond");
                run.put("ratioToFabric8", Summary.round(w / f));
                run.put("ratioToKubectl", Summary.round(w / k));
                out.printf(
                        "  windlass %.1f/s, fabric8 %.1f/s, kubectl %.2f/s: %.2fx and %.1fx%n", w, f, k, w / f, w / k);
                runs.add(run);
            }
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("n", n);
            size.put("windlassDeploysPerSecond", Summary.of(values(runs, "windlass", "deploysPerSecond")));
            size.put("fabric8DeploysPerSecond", Summary.of(values(runs, "fabric8", "deploysPerSecond")));
            size.put("kubectlDeploysPerSecond", Summary.of(values(runs, "kubectl", "deploysPerSecond")));
            size.put("ratioToFabric8", Summary.of(values(runs, null, "ratioToFabric8")));
            size.put("ratioToKubectl", Summary.of(values(runs, null, "ratioToKubectl")));
            size.put("windlassSecondsUntilAllApplied", Summary.of(values(runs, "windlass", "secondsUntilAllApplied")));
            size.put("windlassP50Millis", Summary.of(values(runs, "windlass", "p50Millis")));
            size.put("windlassP99Millis", Summary.of(values(runs, "windlass", "p99Millis")));
            size.put("runs", runs);
            bySize.add(size);
        }
        result.put("bursts", bySize);
        if (config.steadyRate() > 0 && config.steadySeconds() > 0) {
            List<Map<String, Object>> steady = new ArrayList<>();
            for (int r = 1; r <= config.repeats(); r++) {
                out.printf("deploy-pipeline: steady %.0f/s run %d/%d%n", config.steadyRate(), r, config.repeats());
                steady.add(steady("s" + r));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("rate", config.steadyRate());
            summary.put("seconds", config.steadySeconds());
            summary.put("p50Millis", Summary.of(values(steady, null, "p50Millis")));
            summary.put("p99Millis", Summary.of(values(steady, null, "p99Millis")));
            summary.put("runs", steady);
            result.put("steady", summary);
        }
        result.put("finishedAt", Instant.now().toString());
        return result;
    }

    /** Publishes {@code n} requests at once and waits until the deployer reports each applied. */
    Map<String, Object> windlass(String tag, int n) throws Exception {
        List<BenchApps.App> apps = BenchApps.apps("w" + session + tag, n);
        Map<String, Double> requestsBefore =
                DeployerMetrics.requests(bench.suite().deployerUrl());
        Map<String, Double> cpuBefore = cpu();
        try (StatusWatcher watcher =
                new StatusWatcher(bench.suite().kafka().clientProperties(dev.windlass.devstack.KafkaAccess.ADMIN))) {
            List<UUID> ids = new ArrayList<>();
            Map<UUID, Long> sent = new LinkedHashMap<>();
            long start = System.nanoTime();
            for (BenchApps.App app : apps) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                sent.put(id, System.nanoTime());
                publish(id, app);
            }
            producer.flush();
            int missing = watcher.awaitApplied(ids, Duration.ofSeconds(120 + n / 5));
            Map<String, Object> run = outcome(watcher, ids, sent, start, missing, cpuBefore);
            // after every rollout was followed to its end: the whole deploy's requests, the tracking's included
            run.put(
                    "apiServerRequestsPerDeploy",
                    DeployerMetrics.perDeploy(
                            requestsBefore,
                            DeployerMetrics.requests(bench.suite().deployerUrl()),
                            n));
            return run;
        }
    }

    /** Publishes requests at a steady rate and measures event-to-applied latency. */
    Map<String, Object> steady(String tag) throws Exception {
        int n = (int) Math.round(config.steadyRate() * config.steadySeconds());
        List<BenchApps.App> apps = BenchApps.apps("w" + session + tag, n);
        Map<String, Double> cpuBefore = cpu();
        try (StatusWatcher watcher =
                new StatusWatcher(bench.suite().kafka().clientProperties(dev.windlass.devstack.KafkaAccess.ADMIN))) {
            List<UUID> ids = new ArrayList<>();
            Map<UUID, Long> sent = new LinkedHashMap<>();
            long start = System.nanoTime();
            long interval = (long) (1e9 / config.steadyRate());
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                UUID id = UUID.randomUUID();
                ids.add(id);
                sent.put(id, System.nanoTime());
                publish(id, apps.get(i));
                producer.flush();
            }
            int missing = watcher.awaitApplied(ids, Duration.ofSeconds(120));
            return outcome(watcher, ids, sent, start, missing, cpuBefore);
        }
    }

    private Map<String, Object> outcome(
            StatusWatcher watcher,
            List<UUID> ids,
            Map<UUID, Long> sent,
            long start,
            int missing,
            Map<String, Double> cpuBefore)
            throws InterruptedException {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        long last = start;
        for (UUID id : ids) {
            Long applied = watcher.applied(id);
            if (applied != null) {
                latency.recordValue(Math.max(0, (applied - sent.get(id)) / 1000));
                last = Math.max(last, applied);
            }
        }
        double seconds = (last - start) / 1e9;
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("deploys", ids.size());
        run.put("applied", latency.getTotalCount());
        run.put("failed", watcher.failures(ids).size());
        run.put("missing", missing);
        run.put("secondsUntilAllApplied", Summary.round(seconds));
        run.put("deploysPerSecond", Summary.round(latency.getTotalCount() / Math.max(seconds, 1e-3)));
        run.put("p50Millis", Summary.round(latency.getValueAtPercentile(50) / 1000.0));
        run.put("p99Millis", Summary.round(latency.getValueAtPercentile(99) / 1000.0));
        run.put("maxMillis", Summary.round(latency.getMaxValue() / 1000.0));
        run.put("cpuSeconds", ProcessCpu.delta(cpuBefore, cpu()));
        watcher.failures(ids).values().stream().distinct().limit(3).forEach(m -> out.println("  FAILED: " + m));
        // let the rollouts finish (node simulator) so that the next measurement starts from a quiet suite
        run.put("notSucceededAfterWait", watcher.awaitSucceeded(ids, Duration.ofSeconds(60)));
        return run;
    }

    private void publish(UUID id, BenchApps.App app) {
        DeploymentRequested request = DeploymentRequested.apply(
                id,
                BenchSuite.ORCHESTRATOR,
                app.namespace(),
                sealing.sealed(app.spec()),
                new dev.windlass.events.Actor("bench", "bench"),
                Instant.now());
        EventEnvelope<DeploymentRequested> event =
                EventEnvelope.of(EventType.DEPLOYMENT_REQUESTED, UUID.randomUUID(), "/windlass/bench", request);
        RecordHeaders headers = new RecordHeaders();
        event.headers().forEach(headers::add);
        // as a CI pipeline sends it: the orchestrator is open to admins only
        headers.add(
                dev.windlass.events.RequestTrust.AUTHORIZATION_HEADER,
                ("Bearer " + bench.token(DevUser.ADMIN)).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(
                event.topic(), null, event.key().getBytes(StandardCharsets.UTF_8), event.payload(), headers));
    }

    /** The same objects, server-side applied with Fabric8 under the same field manager, at the same concurrency. */
    Map<String, Object> fabric8(String tag, int n) throws Exception {
        List<BenchApps.App> apps = BenchApps.apps("f" + session + tag, n);
        KubernetesClient client = bench.suite().kube().adminClient();
        ExecutorService pool = Executors.newFixedThreadPool(config.concurrency());
        Map<String, Double> cpuBefore = cpu();
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (BenchApps.App app : apps) {
                done.add(pool.submit(() -> {
                    for (HasMetadata object : app.rendered().objects()) {
                        client.resource(object)
                                .fieldManager("windlass")
                                .forceConflicts()
                                .serverSideApply();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("deploys", n);
        run.put("concurrency", config.concurrency());
        run.put("seconds", Summary.round(seconds));
        run.put("deploysPerSecond", Summary.round(n / seconds));
        run.put("cpuSeconds", ProcessCpu.delta(cpuBefore, cpu()));
        run.put(
                "apiServerRequestsPerDeploy",
                Map.of(
                        "PATCH",
                        Summary.round(apps.stream()
                                        .mapToInt(a -> a.rendered().objects().size())
                                        .sum()
                                / (double) n)));
        return run;
    }

    /** {@code kubectl apply --server-side} once per app, one after the other, on a sample of at most the config's. */
    Map<String, Object> kubectl(String tag, int n) throws Exception {
        int sample = Math.min(n, config.kubectlSample());
        List<BenchApps.App> apps = BenchApps.apps("k" + session + tag, sample);
        Path dir = Files.createTempDirectory("bench-kubectl");
        try {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, bench.suite().kube().kubeconfigYaml());
            List<Path> files = new ArrayList<>();
            for (BenchApps.App app : apps) {
                Path file = dir.resolve(app.name() + ".yaml");
                Files.writeString(
                        file,
                        Serialization.asYaml(new KubernetesListBuilder()
                                .withItems(app.rendered().objects())
                                .build()));
                files.add(file);
            }
            long start = System.nanoTime();
            for (Path file : files) {
                Process process = new ProcessBuilder(
                                kubectlBinary(),
                                "--kubeconfig",
                                kubeconfig.toString(),
                                "--cache-dir",
                                dir.resolve("cache").toString(),
                                "apply",
                                "--server-side",
                                "--force-conflicts",
                                "--field-manager=windlass",
                                "-f",
                                file.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("kubectl.log").toFile())
                        .start();
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("kubectl failed: " + Files.readString(dir.resolve("kubectl.log")));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("deploys", sample);
            run.put("extrapolatedTo", n);
            run.put("seconds", Summary.round(seconds));
            run.put("deploysPerSecond", Summary.round(sample / seconds));
            return run;
        } finally {
            dev.windlass.devstack.Files2.deleteRecursively(dir);
        }
    }

    /** kubectl from kube-api-test's binary cache (where scripts/provision-kube-binaries.sh puts it), else PATH. */
    static String kubectlBinary() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path cached = Path.of(
                System.getProperty("user.home"),
                ".kubeapitest",
                "k8s",
                dev.windlass.devstack.KubeApiServer.DEFAULT_VERSION + "-linux-amd64",
                "kubectl");
        return Files.isExecutable(cached) ? cached.toString() : "kubectl";
    }

    /** Closes the Kafka producer. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private Map<String, Double> cpu() {
        LocalSuite suite = bench.suite();
        List<ServiceProcess> deployers = new ArrayList<>();
        deployers.add(suite.service(LocalSuite.DEPLOYER));
        for (int i = 2; i <= 16; i++) {
            try {
                deployers.add(suite.service(LocalSuite.DEPLOYER + "-" + i));
            } catch (IllegalArgumentException none) {
                break;
            }
        }
        return ProcessCpu.snapshot(suite, deployers);
    }

    @SuppressWarnings("unchecked")
    static List<Double> values(List<Map<String, Object>> runs, String part, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            Map<String, Object> source = part == null ? run : (Map<String, Object>) run.get(part);
            values.add(((Number) source.get(key)).doubleValue());
        }
        return values;
    }

    /** A Markdown table's header row and separator. */
    private static void header(List<String> md, String... columns) {
        md.add("| " + String.join(" | ", columns) + " |");
        md.add("|" + "---|".repeat(columns.length));
    }

    /** Median over {@code runs} of each component's CPU milliseconds per deploy in leg {@code leg}. */
    @SuppressWarnings("unchecked")
    static Map<String, Double> cpuPerDeploy(List<Map<String, Object>> runs, String leg) {
        Map<String, List<Double>> byComponent = new LinkedHashMap<>();
        for (Map<String, Object> run : runs) {
            Map<String, Object> part = (Map<String, Object>) run.get(leg);
            double n = ((Number) part.get("deploys")).doubleValue();
            ((Map<String, Number>) part.get("cpuSeconds"))
                    .forEach((component, seconds) -> byComponent
                            .computeIfAbsent(component, c -> new ArrayList<>())
                            .add(seconds.doubleValue() * 1000 / n));
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        byComponent.forEach((component, values) -> medians.put(component, Summary.median(values)));
        return medians;
    }

    @SuppressWarnings("unchecked")
    static List<String> markdown(Map<String, Object> result) {
        List<String> md = new ArrayList<>();
        md.add("# Deploy pipeline, " + result.get("startedAt"));
        md.add("");
        md.add("Machine: " + result.get("machine"));
        md.add("");
        md.add(
                result.get("config") instanceof Config c && c.split()
                        ? "Mode: split — kube-apiserver and etcd on CPU 0, everything else on CPU 1."
                        : "Mode: shared — every process on both CPUs.");
        md.add("");
        header(
                md,
                "N",
                "Windlass deploys/s",
                "Fabric8 direct deploys/s",
                "kubectl deploys/s",
                "Windlass ÷ Fabric8",
                "Windlass ÷ kubectl",
                "all applied after s",
                "p50 ms",
                "p99 ms");
        for (Map<String, Object> size : (List<Map<String, Object>>) result.get("bursts")) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) size.get("runs");
            md.add("| " + size.get("n") + " | " + Summary.text(values(runs, "windlass", "deploysPerSecond"), 1) + " | "
                    + Summary.text(values(runs, "fabric8", "deploysPerSecond"), 1) + " | "
                    + Summary.text(values(runs, "kubectl", "deploysPerSecond"), 2) + " | "
                    + Summary.text(values(runs, null, "ratioToFabric8"), 2) + " | "
                    + Summary.text(values(runs, null, "ratioToKubectl"), 1) + " | "
                    + Summary.text(values(runs, "windlass", "secondsUntilAllApplied"), 1) + " | "
                    + Summary.text(values(runs, "windlass", "p50Millis"), 0) + " | "
                    + Summary.text(values(runs, "windlass", "p99Millis"), 0) + " |");
        }
        md.add("");
        md.add("CPU milliseconds per deploy, by component (each run's CPU time over its N; median of the runs):");
        md.add("");
        header(
                md,
                "N",
                "leg",
                "deployer",
                "PostgreSQL",
                "kube-apiserver",
                "etcd",
                "registry",
                "gateway",
                "harness (Kafka, client)",
                "total");
        for (Map<String, Object> size : (List<Map<String, Object>>) result.get("bursts")) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) size.get("runs");
            for (String leg : List.of("windlass", "fabric8")) {
                Map<String, Double> perDeploy = cpuPerDeploy(runs, leg);
                StringBuilder row = new StringBuilder("| " + size.get("n") + " | " + leg + " |");
                for (String component :
                        List.of("deployer", "postgres", "kube-apiserver", "etcd", "registry", "gateway", "harness")) {
                    row.append(' ')
                            .append(Math.round(perDeploy.getOrDefault(component, 0.0)))
                            .append(" |");
                }
                row.append(' ')
                        .append(Math.round(perDeploy.values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum()))
                        .append(" |");
                md.add(row.toString());
            }
        }
        md.add("");
        md.add("API-server requests per deploy (the deployer's `windlass_kubernetes_requests_total`, rollout tracking"
                + " included; the direct leg sends one server-side apply per object), by run:");
        md.add("");
        for (Map<String, Object> size : (List<Map<String, Object>>) result.get("bursts")) {
            for (Map<String, Object> run : (List<Map<String, Object>>) size.get("runs")) {
                md.add("- N = " + size.get("n") + ": Windlass "
                        + ((Map<String, Object>) run.get("windlass")).get("apiServerRequestsPerDeploy") + ", direct "
                        + ((Map<String, Object>) run.get("fabric8")).get("apiServerRequestsPerDeploy"));
            }
        }
        Map<String, Object> steady = (Map<String, Object>) result.get("steady");
        if (steady != null) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) steady.get("runs");
            md.add("");
            md.add("Steady " + steady.get("rate") + " deploys/s for " + steady.get("seconds")
                    + " s: event-to-applied p50 "
                    + Summary.text(values(runs, null, "p50Millis"), 0) + " ms, p99 "
                    + Summary.text(values(runs, null, "p99Millis"), 0) + " ms (median (min–max) of runs).");
        }
        md.add("");
        md.add("Values: median (min–max) of the runs; the full data is in the JSON file of the same name.");
        return md;
    }
}
