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
                // --variant=name=-XX:+Opt1 -XX:Opt2=v; "java=<JDK home>" picks the JDK, "aot" trains an AOT cache
                // first, "untuned" leaves out the service's own options, "env:NAME=value" sets a variable
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
        result.put(
                "jvmOptions",
                "-Xmx256m and the service's own options (as the local suite starts the services; a variant named"
                        + " 'untuned' leaves the service's own out), then each variant's options");
        List<Map<String, Object>> services = new ArrayList<>();
        for (String name : List.of(LocalSuite.REGISTRY, LocalSuite.DEPLOYER, LocalSuite.GATEWAY)) {
            ServiceProcess process = bench.suite().service(name);
            Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
            Map<String, Launch> launches = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> variant : config.variants().entrySet()) {
                Launch launch = Launch.of(variant.getValue());
                if (launch.trained()) {
                    launch = train(process, variant.getKey(), launch);
                }
                launches.put(variant.getKey(), launch);
            }
            for (int r = 1; r <= config.repeats(); r++) {
                // variants alternate within a repeat, so a burst of load elsewhere hits them alike
                for (Map.Entry<String, Launch> variant : launches.entrySet()) {
                    process.javaHome(variant.getValue().javaHome());
                    process.ownOptions(!variant.getValue().untuned());
                    process.jvmOptions(variant.getValue().options());
                    process.environment(variant.getValue().environment());
                    Map<String, Object> run = once(process);
                    runs.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
                            .add(run);
                    out.printf("footprint: %s [%s] run %d: %s%n", name, variant.getKey(), r, run);
                }
            }
            List<String> last = new ArrayList<>(config.variants().values())
                    .get(config.variants().size() - 1);
            process.jvmOptions(List.of());
            process.environment(Map.of());
            process.javaHome(null);
            process.ownOptions(true);
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

    /**
     * How a variant starts a service: with which JDK ({@code java=<JDK home>} among its options; null: the suite's
     * own) and options, and whether an ahead-of-time cache is made for it first ({@code aot}: JDK 24+).
     */
    record Launch(
            Path javaHome, List<String> options, Map<String, String> environment, boolean trained, boolean untuned) {

        static Launch of(List<String> variant) {
            Path home = null;
            boolean aot = false;
            boolean untuned = false;
            List<String> options = new ArrayList<>();
            Map<String, String> environment = new LinkedHashMap<>();
            for (String option : variant) {
                if (option.startsWith("java=")) {
                    home = Path.of(option.substring(5));
                } else if (option.startsWith("env:") && option.indexOf('=') > 4) {
                    environment.put(
                            option.substring(4, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
                } else if (option.equals("aot")) {
                    aot = true;
                } else if (option.equals("untuned")) {
                    untuned = true;
                } else {
                    options.add(option);
                }
            }
            return new Launch(home, List.copyOf(options), Map.copyOf(environment), aot, untuned);
        }
    }

    /**
     * The training run of an {@code aot} variant: the service starts with {@code -XX:AOTCacheOutput}, answers the
     * warm-up requests and stops; the JVM writes the cache as it exits (JEP 514), and the variant's runs start with
     * {@code -XX:AOTCache} on it.
     */
    private Launch train(ServiceProcess service, String variant, Launch launch) throws Exception {
        Path cache = bench.suite()
                .options()
                .state()
                .resolve("aot")
                .resolve(service.name() + "-" + variant.replaceAll("[^A-Za-z0-9.-]", "_") + ".aot")
                .toAbsolutePath();
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        List<String> recording = new ArrayList<>(launch.options());
        recording.add("-XX:AOTCacheOutput=" + cache);
        service.stop();
        service.javaHome(launch.javaHome());
        service.ownOptions(!launch.untuned());
        service.jvmOptions(recording);
        service.environment(launch.environment());
        service.start();
        awaitReady(service, Duration.ofMinutes(2));
        warmUp(service);
        long start = System.nanoTime();
        service.stop(Duration.ofMinutes(3));
        if (!Files.exists(cache)) {
            throw new IOException("the training run of " + service.name() + " [" + variant + "] wrote no " + cache);
        }
        out.printf(
                "footprint: %s [%s] AOT cache %s (%d MiB) written in %.1f s at exit%n",
                service.name(),
                variant,
                cache.getFileName(),
                Files.size(cache) / (1024 * 1024),
                (System.nanoTime() - start) / 1e9);
        List<String> options = new ArrayList<>(launch.options());
        options.add("-XX:AOTCache=" + cache);
        return new Launch(launch.javaHome(), List.copyOf(options), launch.environment(), false, launch.untuned());
    }

    private Map<String, Object> once(ServiceProcess service) throws Exception {
        service.stop();
        long start = System.nanoTime();
        service.start();
        awaitReady(service, Duration.ofMinutes(2));
        double ready = (System.nanoTime() - start) / 1e9;
        int ok = warmUp(service);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("readySeconds", Summary.round(ready));
        run.put("quarkusStartedSeconds", quarkusStarted(service));
        run.put("warmupRequestsOk", ok);
        run.put("rssMiB", Summary.round(ProcessCpu.rssBytes(service.pid()) / (1024.0 * 1024.0)));
        return run;
    }

    /** Sends the warm-up requests; how many were answered 200. */
    private int warmUp(ServiceProcess service) throws IOException, InterruptedException {
        HttpRequest warmup = warmupRequest(service);
        int ok = 0;
        for (int i = 0; i < config.warmupRequests(); i++) {
            if (http.send(warmup, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                ok++;
            }
        }
        return ok;
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
        md.add("| service | JVM options (after -Xmx256m and the service's own) | start to ready, s"
                + " | Quarkus \"started in\", s | RSS after warm-up, MiB |");
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
        md.add("Values: median (min–max) of the runs; each service runs with -Xmx256m, its own options"
                + " (quarkus.jib.jvm-additional-arguments, left out by `untuned`), then the variant's options.");
        return md;
    }
}
