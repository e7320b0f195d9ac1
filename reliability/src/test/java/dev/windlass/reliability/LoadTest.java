package dev.windlass.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.events.Topics;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A steady load through the gateway for a fixed time: mixed reads of both services plus deploys, at fixed rates
 * (an open model: requests go out on schedule whether or not earlier ones have been answered). No error, every
 * deploy reaches a final phase, and each service's resident memory stays bounded.
 */
@Order(5)
class LoadTest {

    private static final Reliability.Settings SETTINGS = Reliability.Settings.current();
    private static final int APPS = 40;
    private static final int MAX_IN_FLIGHT = 2000;
    private static final long RSS_LIMIT_KIB = 1024 * 1024;

    @Test
    void gatewayAndServicesHoldASteadyLoad() throws Exception {
        LocalSuite suite = Reliability.suite();
        String gateway = suite.gatewayUrl();
        String viewer = Reliability.target().token(DevUser.VIEWER);
        String deployer = Reliability.target().token(DevUser.DEPLOYER);
        Http http = Reliability.http();
        Http.Answer seed = http.json(
                "POST",
                gateway + "/api/deployments",
                deployer,
                Target.JSON.writeValueAsString(Workload.body("ld-read", 1, null)));
        assertThat(seed.status()).isEqualTo(202);
        String seedId = Target.JSON.readTree(seed.body()).get("id").asText();
        List<String> reads = List.of(
                "/api/orchestrators?size=20",
                "/api/orchestrators/" + Reliability.target().orchestratorId(),
                "/api/orchestrators?nameContains=rel&environment=dev",
                "/api/deployments?size=20",
                "/api/deployments?app=ld-read&phase=SUCCEEDED",
                "/api/deployments/" + seedId,
                "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/ld-read/revisions",
                "/api/me");
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> http.get(gateway + reads.get(6), viewer).status() == 200);

        Map<String, long[]> rss = new LinkedHashMap<>();
        for (String service : List.of(LocalSuite.GATEWAY, LocalSuite.REGISTRY, LocalSuite.DEPLOYER)) {
            long now = rssKib(suite.service(service).pid());
            rss.put(service, new long[] {now, now, now});
        }

        // Warm-up: the services start cold (the fault rounds restart them), and a JVM interprets its code until the
        // JIT has compiled it. The load rises from a tenth to the full rate over the warm-up; its answers are counted
        // apart and its deploys, like the measured ones, must all reach a final phase.
        Set<String> deploymentIds = ConcurrentHashMap.newKeySet();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        Window warmup = new Window(SETTINGS.loadWarmup(), 0.1, inFlight, deploymentIds);
        warmup.drive(http, gateway, reads, viewer, deployer, 0);
        warmup.awaitAnswers();

        Window window = new Window(SETTINGS.load(), 1.0, inFlight, deploymentIds);
        long begin = System.nanoTime();
        window.sampleRss = rss;
        window.drive(http, gateway, reads, viewer, deployer, warmup.deploysSent.get());
        List<Long> readNanos = window.readNanos;
        List<Long> deployNanos = window.deployNanos;
        Map<String, AtomicInteger> errors = window.errors;
        AtomicInteger readsSent = window.readsSent;
        AtomicInteger deploysSent = window.deploysSent;
        double seconds = (System.nanoTime() - begin) / 1e9;
        window.awaitAnswers();

        // every deploy of the load reaches a final phase, once on the status topic
        Awaitility.await("load deploys final")
                .atMost(Duration.ofMinutes(SETTINGS.full() ? 10 : 4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> finalOnTopic(deploymentIds) == deploymentIds.size());
        for (String service : rss.keySet()) {
            rss.get(service)[2] = rssKib(suite.service(service).pid());
        }

        Report report = Reliability.report();
        String section = "load";
        report.figure(
                section,
                "warm-up (s, rising from a tenth to the full rate)",
                String.format("%.0f", (double) SETTINGS.loadWarmup().toSeconds()));
        report.figure(
                section,
                "warm-up reads / deploys sent, errors",
                warmup.readsSent.get() + " / " + warmup.deploysSent.get() + ", "
                        + (warmup.errors.isEmpty() ? "0" : warmup.errors.toString()));
        report.figure(section, "duration (s)", String.format("%.1f", seconds));
        report.figure(
                section,
                "reads sent / per second",
                readsSent.get() + " / " + String.format("%.1f", readsSent.get() / seconds));
        report.figure(
                section,
                "deploys sent / per second",
                deploysSent.get() + " / " + String.format("%.1f", deploysSent.get() / seconds));
        report.figure(section, "read latency p50 / p99 / max (ms)", percentiles(readNanos));
        report.figure(section, "deploy latency p50 / p99 / max (ms)", percentiles(deployNanos));
        report.figure(section, "errors", errors.isEmpty() ? "0" : errors.toString());
        report.figure(
                section,
                "deploys final on the status topic",
                finalOnTopic(deploymentIds) + " of " + deploymentIds.size());
        rss.forEach((service, r) -> report.figure(
                section,
                "RSS " + service + " before / peak / after (MiB)",
                r[0] / 1024 + " / " + r[1] / 1024 + " / " + r[2] / 1024));
        report.write(Reliability.output().resolve("reliability-report.md"));

        assertThat(errors).as("errors under load").isEmpty();
        assertThat(deploymentIds)
                .hasSize(warmup.deploysSent.get() - countDeployErrors(warmup.errors) + deploysSent.get());
        rss.forEach((service, r) ->
                assertThat(r[1]).as("peak RSS of " + service + " (KiB)").isLessThan(RSS_LIMIT_KIB));
    }

    /** One stretch of the load at fixed rates (rising linearly from {@code fromShare} of them to all of them). */
    private static final class Window {
        final Duration length;
        final double fromShare;
        final Semaphore inFlight;
        final Set<String> deploymentIds;
        final List<Long> readNanos = Collections.synchronizedList(new ArrayList<>());
        final List<Long> deployNanos = Collections.synchronizedList(new ArrayList<>());
        final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        final List<CompletableFuture<?>> pending = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger readsSent = new AtomicInteger();
        final AtomicInteger deploysSent = new AtomicInteger();
        Map<String, long[]> sampleRss;

        Window(Duration length, double fromShare, Semaphore inFlight, Set<String> deploymentIds) {
            this.length = length;
            this.fromShare = fromShare;
            this.inFlight = inFlight;
            this.deploymentIds = deploymentIds;
        }

        void drive(Http http, String gateway, List<String> reads, String viewer, String deployer, int firstDeploy)
                throws Exception {
            LocalSuite suite = Reliability.suite();
            long begin = System.nanoTime();
            long total = length.toNanos();
            long end = begin + total;
            long nextRead = begin;
            long nextDeploy = begin;
            long nextSample = begin;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                double share =
                        total == 0 ? 1 : fromShare + (1 - fromShare) * Math.min(1.0, (now - begin) / (double) total);
                if (sampleRss != null && now >= nextSample) {
                    for (String service : sampleRss.keySet()) {
                        long[] r = sampleRss.get(service);
                        r[1] = Math.max(r[1], rssKib(suite.service(service).pid()));
                    }
                    nextSample += 1_000_000_000L;
                }
                if (now >= nextRead) {
                    String path = reads.get(readsSent.getAndIncrement() % reads.size());
                    fire(http, Http.request(gateway + path, viewer).GET().build(), 200, readNanos, null);
                    nextRead += (long) (1_000_000_000L / (SETTINGS.readsPerSecond() * share));
                }
                if (now >= nextDeploy) {
                    int n = firstDeploy + deploysSent.getAndIncrement();
                    String app = String.format("ld-%02d", n % APPS);
                    String body = Target.JSON.writeValueAsString(Workload.body(app, n / APPS + 1, null));
                    fire(
                            http,
                            Http.request(gateway + "/api/deployments", deployer)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            202,
                            deployNanos,
                            deploymentIds);
                    nextDeploy += (long) (1_000_000_000L / (SETTINGS.deploysPerSecond() * share));
                }
                long sleep = Math.min(nextRead, nextDeploy) - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }

        void awaitAnswers() {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }

        private void fire(Http http, HttpRequest request, int expected, List<Long> latencies, Set<String> ids) {
            if (!inFlight.tryAcquire()) {
                errors.computeIfAbsent("more than " + MAX_IN_FLIGHT + " in flight", k -> new AtomicInteger())
                        .incrementAndGet();
                return;
            }
            pending.add(http.sendAsync(request).whenComplete((answer, failure) -> {
                inFlight.release();
                if (failure != null) {
                    errors.computeIfAbsent(failure.getClass().getSimpleName(), k -> new AtomicInteger())
                            .incrementAndGet();
                    return;
                }
                latencies.add(answer.nanos());
                if (answer.status() != expected) {
                    errors.computeIfAbsent(request.method() + " " + answer.status(), k -> new AtomicInteger())
                            .incrementAndGet();
                } else if (ids != null) {
                    try {
                        ids.add(Target.JSON.readTree(answer.body()).get("id").asText());
                    } catch (IOException e) {
                        errors.computeIfAbsent("unreadable body", k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
            }));
        }
    }

    private static int countDeployErrors(Map<String, AtomicInteger> errors) {
        return errors.entrySet().stream()
                .filter(e -> e.getKey().startsWith("POST "))
                .mapToInt(e -> e.getValue().get())
                .sum();
    }

    private static int finalOnTopic(Set<String> ids) throws IOException {
        Set<String> done = new HashSet<>();
        for (TopicTap.Rec r : Reliability.tap().topic(Topics.DEPLOY_STATUS)) {
            JsonNode node = Target.JSON.readTree(r.value());
            String id = node.get("deploymentId").asText();
            if (ids.contains(id) && Ledger.FINAL.contains(node.get("phase").asText())) {
                done.add(id);
            }
        }
        return done.size();
    }

    static String percentiles(List<Long> nanos) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return "-";
        }
        Collections.sort(sorted);
        return ms(sorted.get(sorted.size() / 2)) + " / "
                + ms(sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1))) + " / "
                + ms(sorted.get(sorted.size() - 1));
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
