package dev.windlass.bench;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Benchmark 2, the API through the gateway: listing and getting orchestrators with a valid bearer token, through the
 * gateway and directly at the registry, side by side in each run. Closed model (fixed concurrency, as fast as
 * possible) for requests per second; open model (a fixed rate, latency counted from when each request was due, so
 * that a slow answer cannot hide the queue behind it) for p99. The load generator is this JVM, on loopback.
 */
public final class ApiGatewayBench {

    /**
     * What to run.
     *
     * @param repeats runs of every cell
     * @param concurrency virtual users of the closed model
     * @param closedSeconds length of one closed-model cell
     * @param rate requests per second of the open model
     * @param openSeconds length of one open-model cell
     * @param orchestrators orchestrators in the registry while measuring
     */
    public record Config(
            int repeats, int concurrency, int closedSeconds, double rate, int openSeconds, int orchestrators) {}

    private final BenchSuite bench;
    private final Config config;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private String token;
    private String id;

    public ApiGatewayBench(BenchSuite bench, Config config, PrintStream out) {
        this.bench = bench;
        this.config = config;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int repeats = 3;
        int seconds = 10;
        for (String arg : args) {
            if (arg.startsWith("--repeats=")) {
                repeats = Integer.parseInt(arg.substring(10));
            } else if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(arg.substring(10));
            }
        }
        Config config = new Config(repeats, 16, seconds, 200, seconds, 20);
        try (BenchSuite bench = BenchSuite.start("api-gateway", System.out)) {
            Map<String, Object> result = new ApiGatewayBench(bench, config, System.out).run();
            System.out.println("results: " + Results.write("api-gateway", result, markdown(result)));
        }
        System.exit(0);
    }

    /** Runs every cell {@code repeats} times; the results as a JSON-ready tree. */
    public Map<String, Object> run() throws Exception {
        for (int i = 0; i < config.orchestrators(); i++) {
            String orchestratorId = bench.ensureOrchestrator(String.format("api-%02d", i));
            if (id == null) {
                id = orchestratorId;
            }
        }
        token = bench.token(DevUser.VIEWER);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "api-gateway");
        result.put("startedAt", Instant.now().toString());
        result.put("machine", Results.machine());
        result.put("config", config);
        for (String target : List.of("direct", "gateway")) {
            for (String op : List.of("list", "get")) {
                closed(target, op, Math.max(1, config.closedSeconds() / 3)); // warm-up, discarded
            }
        }
        List<Map<String, Object>> cells = new ArrayList<>();
        for (String op : List.of("list", "get")) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (int r = 1; r <= config.repeats(); r++) {
                Map<String, Object> run = new LinkedHashMap<>();
                for (String target : List.of("direct", "gateway")) {
                    run.put(target + "Closed", closed(target, op, config.closedSeconds()));
                    run.put(target + "Open", open(target, op));
                }
                double direct = (double) ((Map<?, ?>) run.get("directClosed")).get("requestsPerSecond");
                double gateway = (double) ((Map<?, ?>) run.get("gatewayClosed")).get("requestsPerSecond");
                run.put("gatewayOverhead", Summary.round(1 - gateway / direct));
                out.printf(
                        "api-gateway: %s run %d: direct %.0f/s, gateway %.0f/s (overhead %.0f %%), p99 at %.0f/s:"
                                + " direct %s ms, gateway %s ms%n",
                        op,
                        r,
                        direct,
                        gateway,
                        100 * (1 - gateway / direct),
                        config.rate(),
                        ((Map<?, ?>) run.get("directOpen")).get("p99Millis"),
                        ((Map<?, ?>) run.get("gatewayOpen")).get("p99Millis"));
                runs.add(run);
            }
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("operation", op);
            cell.put(
                    "directRequestsPerSecond",
                    Summary.of(DeployPipelineBench.values(runs, "directClosed", "requestsPerSecond")));
            cell.put(
                    "gatewayRequestsPerSecond",
                    Summary.of(DeployPipelineBench.values(runs, "gatewayClosed", "requestsPerSecond")));
            cell.put("gatewayOverhead", Summary.of(DeployPipelineBench.values(runs, null, "gatewayOverhead")));
            cell.put("directP99MillisAtRate", Summary.of(DeployPipelineBench.values(runs, "directOpen", "p99Millis")));
            cell.put(
                    "gatewayP99MillisAtRate", Summary.of(DeployPipelineBench.values(runs, "gatewayOpen", "p99Millis")));
            cell.put("runs", runs);
            cells.add(cell);
        }
        result.put("operations", cells);
        result.put("finishedAt", Instant.now().toString());
        return result;
    }

    private HttpRequest request(String target, String op) {
        String base = target.equals("gateway")
                ? bench.suite().gatewayUrl()
                : bench.suite().registryUrl();
        String path = op.equals("list") ? "/api/orchestrators?size=20" : "/api/orchestrators/" + id;
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    /** {@code concurrency} users sending one request after the other for {@code seconds}. */
    Map<String, Object> closed(String target, String op, int seconds) throws Exception {
        HttpRequest request = request(target, op);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong errors = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> users = new ArrayList<>();
        long start = System.nanoTime();
        for (int u = 0; u < config.concurrency(); u++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            histograms.add(histogram);
            Thread user = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long t = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    histogram.recordValue(Math.max(0, (System.nanoTime() - t) / 1000));
                }
            });
            users.add(user);
            user.start();
        }
        for (Thread user : users) {
            user.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        histograms.forEach(all::add);
        return cell(all, errors.get(), elapsed);
    }

    /** Requests at a fixed rate; latency counted from when each was due. */
    Map<String, Object> open(String target, String op) throws Exception {
        HttpRequest request = request(target, op);
        int n = (int) Math.round(config.rate() * config.openSeconds());
        long interval = (long) (1e9 / config.rate());
        ConcurrentHistogram histogram = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>(n);
        long registry = bench.suite().service(LocalSuite.REGISTRY).pid();
        long gateway = bench.suite().service(LocalSuite.GATEWAY).pid();
        double registryCpu = ProcessCpu.seconds(registry);
        double gatewayCpu = ProcessCpu.seconds(gateway);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, failure) -> {
                        histogram.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
                        if (failure != null || response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .exceptionally(f -> null)
                .get(2, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Object> cell = cell(histogram, errors.get(), elapsed);
        // CPU per request at a fixed rate: the registry's for a direct request, the gateway's and the registry's
        // for one through the gateway
        cell.put("registryCpuMsPerRequest", Summary.round((ProcessCpu.seconds(registry) - registryCpu) * 1000 / n));
        cell.put("gatewayCpuMsPerRequest", Summary.round((ProcessCpu.seconds(gateway) - gatewayCpu) * 1000 / n));
        return cell;
    }

    private static Map<String, Object> cell(Histogram histogram, long errors, double seconds) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("requests", histogram.getTotalCount());
        cell.put("errors", errors);
        cell.put("seconds", Summary.round(seconds));
        cell.put("requestsPerSecond", Summary.round(histogram.getTotalCount() / seconds));
        cell.put("p50Millis", Summary.round(histogram.getValueAtPercentile(50) / 1000.0));
        cell.put("p99Millis", Summary.round(histogram.getValueAtPercentile(99) / 1000.0));
        cell.put("maxMillis", Summary.round(histogram.getMaxValue() / 1000.0));
        return cell;
    }

    @SuppressWarnings("unchecked")
    static List<String> markdown(Map<String, Object> result) {
        Map<String, Object> config = new LinkedHashMap<>();
        List<String> md = new ArrayList<>();
        md.add("# API through the gateway, " + result.get("startedAt"));
        md.add("");
        md.add("Machine: " + result.get("machine"));
        md.add("");
        md.add(
                "| operation | direct req/s | gateway req/s | gateway overhead | direct p99 ms at rate | gateway p99 ms at rate"
                        + " | CPU ms per request at rate: direct (registry) | through the gateway: gateway + registry |");
        md.add("|---|---|---|---|---|---|---|---|");
        for (Map<String, Object> cell : (List<Map<String, Object>>) result.get("operations")) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) cell.get("runs");
            md.add("| " + cell.get("operation") + " | "
                    + Summary.text(DeployPipelineBench.values(runs, "directClosed", "requestsPerSecond"), 0) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, "gatewayClosed", "requestsPerSecond"), 0) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, null, "gatewayOverhead"), 2) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, "directOpen", "p99Millis"), 1) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, "gatewayOpen", "p99Millis"), 1) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, "directOpen", "registryCpuMsPerRequest"), 2)
                    + " | "
                    + Summary.text(DeployPipelineBench.values(runs, "gatewayOpen", "gatewayCpuMsPerRequest"), 2)
                    + " + "
                    + Summary.text(DeployPipelineBench.values(runs, "gatewayOpen", "registryCpuMsPerRequest"), 2)
                    + " |");
        }
        md.add("");
        md.add("Values: median (min–max) of the runs; config " + result.get("config") + config);
        return md;
    }
}
