package dev.windlass.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream of deploys through the gateway: {@code apps} apps named {@code <prefix>-NN}, each receiving its
 * revisions one after the other (the next is sent once the previous was answered 202), the apps side by side, at
 * most {@code rate} requests a second in all. Every request carries an Idempotency-Key and is sent again with the
 * same key until it is answered 202, as a careful client does when the answer is lost: a request may be retried,
 * but it must never run twice.
 *
 * <p>Revision {@code k} of an app runs image tag {@code r<k>}; odd revisions carry a secret env value (so the app
 * has a Secret), even ones do not (so it is pruned again).
 */
public final class Workload {

    /** One requested deploy and what became of the request. */
    public record Sent(String app, int seq, String idempotencyKey, UUID deploymentId, int attempts, String secret) {

        public boolean hasSecret() {
            return secret != null;
        }
    }

    /** Whether revision {@code seq} carries a secret env value. */
    public static boolean withSecret(int seq) {
        return seq % 2 == 1;
    }

    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    private final String gateway;
    private final Http http;
    private final Target target;
    private final String prefix;
    private final int apps;
    private final int perApp;
    private final long spacingNanos;
    private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());
    private final AtomicInteger retries = new AtomicInteger();
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

    public Workload(String gateway, Http http, Target target, String prefix, int total, int apps, double rate) {
        this.gateway = gateway;
        this.http = http;
        this.target = target;
        this.prefix = prefix;
        this.apps = apps;
        this.perApp = Math.max(1, total / apps);
        this.spacingNanos = (long) (1_000_000_000L / rate);
    }

    public String app(int index) {
        return String.format("%s-%02d", prefix, index);
    }

    public List<String> appNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            names.add(app(i));
        }
        return names;
    }

    public int revisionsPerApp() {
        return perApp;
    }

    /** Starts the submitters; the future completes when every request was answered 202. */
    public CompletableFuture<List<Sent>> start() {
        ExecutorService pool = Executors.newFixedThreadPool(apps, r -> {
            Thread t = new Thread(r, prefix + "-submitter");
            t.setDaemon(true);
            return t;
        });
        List<CompletableFuture<Void>> each = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            String app = app(i);
            each.add(CompletableFuture.runAsync(
                    () -> {
                        for (int seq = 1; seq <= perApp; seq++) {
                            try {
                                sent.add(submit(app, seq));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    },
                    pool));
        }
        pool.shutdown();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> List.copyOf(sent));
    }

    public int retries() {
        return retries.get();
    }

    private Sent submit(String app, int seq) throws IOException, InterruptedException {
        String key = prefix + "/" + app + "/" + seq + "/" + UUID.randomUUID();
        String secret = withSecret(seq) ? "rel-secret-" + UUID.randomUUID() : null;
        if (secret != null) {
            target.secret(secret);
        }
        String body = Target.JSON.writeValueAsString(body(app, seq, secret));
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        for (int attempt = 1; ; attempt++) {
            pace();
            String last;
            try {
                Http.Answer answer =
                        http.send(Http.request(gateway + "/api/deployments", target.token(DevUser.DEPLOYER))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
                if (answer.status() == 202) {
                    JsonNode node = Target.JSON.readTree(answer.body());
                    return new Sent(
                            app, seq, key, UUID.fromString(node.get("id").asText()), attempt, secret);
                }
                if (answer.status() < 500 && answer.status() != 429) {
                    throw new AssertionError(
                            app + " revision " + seq + " refused: " + answer.status() + " " + answer.body());
                }
                last = answer.status() + " " + answer.body();
            } catch (IOException e) {
                last = e.toString();
            }
            retries.incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(app + " revision " + seq + " never accepted; last answer " + last);
            }
            Thread.sleep(Math.min(2000, 100L * attempt));
        }
    }

    private void pace() throws InterruptedException {
        long slot = nextSlot.getAndAdd(spacingNanos);
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } else if (wait < -spacingNanos * 4) {
            // fell behind (an outage): do not burst to catch up
            nextSlot.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    /** The request body of revision {@code seq} of {@code app}. */
    public static Map<String, Object> body(String app, int seq, String secret) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", app);
        spec.put("image", "registry.example.com/reliability/" + app + ":r" + seq);
        spec.put("env", Map.of("REVISION", Integer.toString(seq)));
        if (secret != null) {
            spec.put("secretEnv", Map.of("API_TOKEN", secret));
        }
        spec.put("ports", List.of(Map.of("name", "http", "containerPort", 8080)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orchestrator", Target.ORCHESTRATOR);
        body.put("namespace", Target.NAMESPACE);
        body.put("spec", spec);
        return body;
    }
}
