package dev.windlass.bench;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.devstack.local.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 3, footprint in JVM mode: for each service, the time from starting its JVM to {@code /q/health/ready}
 * answering 200, and its resident set size after a warm-up of API requests. Each service is restarted in the
 * running suite, {@code repeats} times.
 */
public final class FootprintBench {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    /**
     * What to run.
     *
     * @param repeats starts per service
     * @param warmupRequests API requests sent before RSS is read
     * @param variants JVM option sets to compare, by name (added after the suite's own {@code -Xmx256m}, so a later
     *     {@code -Xmx} wins); each service runs under each variant in turn, side by side in the same run
     */
    public record Config(int repeats, int warmupRequests, Map<String, List<String>> variants) {

        public Config(int repeats, int warmupRequests) {
            this(repeats, warmupRequests, Map.of("as started", List.of()));
        }
    }

    private final BenchSuite bench;
    private final Config config;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public FootprintBench(BenchSuite bench, Config config, PrintStream out) {
        this.bench = bench;
        this.config = config;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int repeats = 3;
        Map<String, List<String>> variants = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--repeats=")) {
                repeats = Integer.parseInt(arg.substring(10));
            } else if (arg.startsWith("--variant=")) {
                // --variant=name=-XX:+Opt1 -XX:Opt2=v
                String spec = arg.substring(10);
                int eq = spec.indexOf('=');
                String options = eq < 0 ? "" : spec.substring(eq + 1).trim();
                variants.put(
                        eq < 0 ? spec : spec.substring(0, eq),
                        options.isEmpty() ? List.of() : List.of(options.split("\\s+")));
            }
        }
        if (variants.isEmpty()) {
            variants.put("as started", List.of());
        }
        try (BenchSuite bench = BenchSuite.start("footprint", System.out)) {
            Map<String, Object> result =
                    new FootprintBench(bench, new Config(repeats, 500, variants), System.out).run();
            System.out.println("results: " + Results.write("footprint", result, markdown(result)));
        }
        System.exit(0);
    }

    /** Restarts each service {@code repeats} times; the results as a JSON-ready tree. */
    public Map<String, Object> run() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "footprint");
        result.put("startedAt", Instant.now().toString());
        result.put("machine", Results.machine());
        result.put("config", config);
        result.put("jvmOptions", "-Xmx256m (as the local suite starts the services), then each variant's options");
        List<Map<String, Object>> services = new ArrayList<>();
        for (String name : List.of(LocalSuite.REGISTRY, LocalSuite.DEPLOYER, LocalSuite.GATEWAY)) {
            ServiceProcess process = bench.suite().service(name);
            Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
            for (int r = 1; r <= config.repeats(); r++) {
                // variants alternate within a repeat, so a burst of load elsewhere hits them alike
                for (Map.Entry<String, List<String>> variant : config.variants().entrySet()) {
                    process.jvmOptions(variant.getValue());
                    Map<String, Object> run = once(process);
                    runs.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
                            .add(run);
                    out.printf("footprint: %s [%s] run %d: %s%n", name, variant.getKey(), r, run);
                }
            }
            List<String> last = new ArrayList<>(config.variants().values())
                    .get(config.variants().size() - 1);
            process.jvmOptions(List.of());
            if (!last.isEmpty()) {
                // the suite goes on with the options it started with
                process.stop();
                process.start();
                awaitReady(process, Duration.ofMinutes(2));
            }
            for (Map.Entry<String, List<Map<String, Object>>> variant : runs.entrySet()) {
                List<Map<String, Object>> its = variant.getValue();
                Map<String, Object> service = new LinkedHashMap<>();
                service.put("service", name);
                service.put("variant", variant.getKey());
                service.put("jvmOptions", String.join(" ", config.variants().get(variant.getKey())));
                service.put("readySeconds", Summary.of(DeployPipelineBench.values(its, null, "readySeconds")));
                service.put(
                        "quarkusStartedSeconds",
                        Summary.of(DeployPipelineBench.values(its, null, "quarkusStartedSeconds")));
                service.put("rssMiB", Summary.of(DeployPipelineBench.values(its, null, "rssMiB")));
                service.put("runs", its);
                services.add(service);
            }
        }
        result.put("services", services);
        result.put("finishedAt", Instant.now().toString());
        return result;
    }

    private Map<String, Object> once(ServiceProcess service) throws Exception {
        service.stop();
        long start = System.nanoTime();
        service.start();
        awaitReady(service, Duration.ofMinutes(2));
        double ready = (System.nanoTime() - start) / 1e9;
        HttpRequest warmup = warmupRequest(service);
        int ok = 0;
        for (int i = 0; i < config.warmupRequests(); i++) {
            if (http.send(warmup, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                ok++;
            }
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("readySeconds", Summary.round(ready));
        run.put("quarkusStartedSeconds", quarkusStarted(service));
        run.put("warmupRequestsOk", ok);
        run.put("rssMiB", Summary.round(ProcessCpu.rssBytes(service.pid()) / (1024.0 * 1024.0)));
        return run;
    }

    private HttpRequest warmupRequest(ServiceProcess service) {
        String path = switch (service.name()) {
            case LocalSuite.REGISTRY -> "/api/orchestrators?size=20";
            case LocalSuite.DEPLOYER -> "/api/deployments?size=20";
            default -> "/api/orchestrators?size=20"; // the gateway, proxying to the registry
        };
        return HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Authorization", "Bearer " + bench.token(DevUser.VIEWER))
                .build();
    }

    /** Polls readiness every 10 ms (the suite's own wait polls every 250 ms, too coarse to time a start). */
    private void awaitReady(ServiceProcess service, Duration timeout) throws IOException, InterruptedException {
        URI ready = URI.create(service.url() + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IOException(service.name() + " exited while starting");
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IOException(service.name() + " not ready after " + timeout);
    }

    /** Quarkus's own "started in Xs" from the last start in the service's log, or NaN. */
    private double quarkusStarted(ServiceProcess service) {
        Path log = bench.suite().options().state().resolve("logs").resolve(service.instance() + ".log");
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            double last = Double.NaN;
            while (m.find()) {
                last = Double.parseDouble(m.group(1));
            }
            return last;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> markdown(Map<String, Object> result) {
        List<String> md = new ArrayList<>();
        md.add("# Footprint (JVM mode), " + result.get("startedAt"));
        md.add("");
        md.add("Machine: " + result.get("machine"));
        md.add("");
        md.add("| service | JVM options (after -Xmx256m) | start to ready, s | Quarkus \"started in\", s"
                + " | RSS after warm-up, MiB |");
        md.add("|---|---|---|---|---|");
        for (Map<String, Object> service : (List<Map<String, Object>>) result.get("services")) {
            List<Map<String, Object>> runs = (List<Map<String, Object>>) service.get("runs");
            String options = (String) service.get("jvmOptions");
            md.add("| " + service.get("service") + " | " + (options.isEmpty() ? "–" : "`" + options + "`") + " | "
                    + Summary.text(DeployPipelineBench.values(runs, null, "readySeconds"), 2) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, null, "quarkusStartedSeconds"), 2) + " | "
                    + Summary.text(DeployPipelineBench.values(runs, null, "rssMiB"), 0) + " |");
        }
        md.add("");
        md.add("Values: median (min–max) of the runs; each service runs with -Xmx256m, then the variant's options.");
        return md;
    }
}
