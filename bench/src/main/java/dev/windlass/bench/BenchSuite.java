package dev.windlass.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.Files2;
import dev.windlass.devstack.NodeSimulator;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole suite from the services' jars (as {@code ./windlass-local} runs it) on free ports, plus what every
 * benchmark needs: the orchestrator {@value #ORCHESTRATOR} pointing at the suite's own API server, tokens, topics.
 */
public final class BenchSuite implements AutoCloseable {

    /** The orchestrator every deploy benchmark deploys to: the suite's API server, admin client certificate. */
    public static final String ORCHESTRATOR = "bench";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalSuite suite;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BenchSuite(LocalSuite suite) {
        this.suite = suite;
    }

    /** The repository root: {@code -Dwindlass.repo.root}, else the working directory's parent if it is bench/. */
    public static Path root() {
        String configured = System.getProperty("windlass.repo.root");
        Path cwd = Path.of("").toAbsolutePath();
        Path root = configured != null
                ? Path.of(configured)
                : (cwd.getFileName().toString().equals("bench") ? cwd.getParent() : cwd);
        return root.toAbsolutePath().normalize();
    }

    /** Starts a fresh suite with its state in {@code bench/target/state-<name>}. */
    public static BenchSuite start(String name, PrintStream out) {
        return start(name, out, options -> options);
    }

    /** Starts a fresh suite whose options {@code tune} may change (e.g. deployer settings). */
    public static BenchSuite start(
            String name, PrintStream out, java.util.function.UnaryOperator<LocalSuite.Options> tune) {
        try {
            return startOnce(name, out, tune);
        } catch (RuntimeException first) {
            // a busy shared machine can make a service miss the suite's start timeout: one more try
            out.println("bench: the suite did not start (" + first.getMessage() + "); trying once more");
            return startOnce(name, out, tune);
        }
    }

    private static BenchSuite startOnce(
            String name, PrintStream out, java.util.function.UnaryOperator<LocalSuite.Options> tune) {
        Path state = root().resolve("bench/target/state-" + name);
        try {
            Files2.deleteRecursively(state);
            // rollouts only, no simulated Pods: the API server's work per deploy stays what the results measured
            LocalSuite.Options options =
                    LocalSuite.Options.ephemeral(root(), state).withNodeSimulator(NodeSimulator.Mode.ROLLOUTS);
            LocalSuite suite = LocalSuite.start(tune.apply(options), out);
            BenchSuite bench = new BenchSuite(suite);
            suite.kafka().createTopics(1, Topics.DEPLOY_REQUESTS, Topics.DEPLOY_STATUS);
            bench.ensureOrchestrator(ORCHESTRATOR);
            return bench;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public LocalSuite suite() {
        return suite;
    }

    public HttpClient http() {
        return http;
    }

    /** A fresh access token of a dev user. */
    public String token(DevUser user) {
        return suite.oidc().accessToken(user);
    }

    /**
     * Registers an orchestrator named {@code name} for the suite's API server with the admin client certificate,
     * unless one of that name exists; returns its id.
     */
    public String ensureOrchestrator(String name) {
        try {
            String admin = token(DevUser.ADMIN);
            HttpResponse<String> list = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    suite.registryUrl() + "/api/orchestrators?nameContains=" + name + "&size=100"))
                            .header("Authorization", "Bearer " + admin)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode item : JSON.readTree(list.body()).path("items")) {
                if (item.path("name").asText().equals(name)) {
                    return item.path("id").asText();
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("description", "the suite's own API server, for benchmarks");
            body.put("environment", "dev");
            body.put("type", "K8S");
            body.put("apiServerUrl", suite.kube().url());
            body.put("authType", "CERTIFICATE");
            body.put("clientCertificatePem", suite.kube().adminClientCertPem());
            body.put("clientKeyPem", suite.kube().adminClientKeyPem());
            body.put("caCertificatePem", suite.kube().caCertPem());
            body.put("defaultNamespace", "default");
            // the benchmarks read orchestrators as the dev viewer, who sees only those of its groups
            body.put("allowedGroups", List.of(DevUser.DEPLOYER.group(), DevUser.VIEWER.group()));
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(suite.registryUrl() + "/api/orchestrators"))
                            .header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException(
                        "could not register orchestrator " + name + ": " + created.statusCode() + " " + created.body());
            }
            return JSON.readTree(created.body()).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        DevStack.bestEffort(suite, LocalSuite::close);
    }
}
