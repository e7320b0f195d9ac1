package dev.windlass.devstack.local;

import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.EmbeddedKafka;
import dev.windlass.devstack.EmbeddedPostgres;
import dev.windlass.devstack.Files2;
import dev.windlass.devstack.KubeApiServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole suite on this machine: PostgreSQL, Kafka, the Authentik-shaped issuer and a
 * Kubernetes API server from the dev stack, then the three services from their built jars.
 *
 * <p>Usage: {@code LocalSuite [--fresh]} from the repository root. Data lives in {@code .windlass/}
 * and survives restarts unless {@code --fresh} is given; logs go to {@code .windlass/logs/}.
 */
public final class LocalSuite {

    static final int GATEWAY_PORT = 8080;
    static final int REGISTRY_PORT = 8081;
    static final int DEPLOYER_PORT = 8082;
    static final int POSTGRES_PORT = 15432;
    static final int KAFKA_PORT = 19092;
    static final int OIDC_PORT = 18090;

    private final Path root;
    private final PrintStream out;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private AuthentikIssuer oidc;
    private KubeApiServer kube;

    LocalSuite(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    /** Starts everything, prints where it listens, and runs until the JVM is asked to stop. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path state = root.resolve(".windlass");
        if (List.of(args).contains("--fresh")) {
            Files2.deleteRecursively(state);
        }
        LocalSuite suite = new LocalSuite(root, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "local-suite-shutdown"));
        suite.start();
        Thread.currentThread().join();
    }

    void start() throws IOException, InterruptedException {
        Path state = root.resolve(".windlass");
        Path logs = state.resolve("logs");
        Files.createDirectories(logs);
        Instant begin = Instant.now();

        step("PostgreSQL");
        postgres = EmbeddedPostgres.create(state.resolve("postgres"), POSTGRES_PORT);
        postgres.start();
        postgres.createDatabase("registry");
        postgres.createDatabase("deployer");

        step("Kafka");
        kafka = EmbeddedKafka.create(state.resolve("kafka"), KAFKA_PORT);
        kafka.start();

        step("OIDC issuer");
        oidc = AuthentikIssuer.create(OIDC_PORT).start();

        step("Kubernetes API server");
        kube = KubeApiServer.create();
        kube.start();

        Map<String, String> common = Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.oidc.auth-server-url", oidc.issuer(),
                "quarkus.oidc.client-id", AuthentikIssuer.CLIENT_ID,
                "quarkus.oidc.credentials.secret", AuthentikIssuer.CLIENT_SECRET,
                "quarkus.datasource.username", EmbeddedPostgres.USER,
                "quarkus.datasource.password", EmbeddedPostgres.PASSWORD);
        LocalKeys keys = LocalKeys.loadOrCreate(state.resolve("keys.properties"));
        Map<String, String> registry = datasource("registry", common);
        registry.put("windlass.registry.encryption.active-key-id", "local-1");
        registry.put("windlass.registry.encryption.keys.local-1", keys.registryKey());
        Map<String, String> deployer = datasource("deployer", common);
        deployer.put("windlass.deployer.secrets.active-key-id", "local-1");
        deployer.put("windlass.deployer.secrets.keys.local-1", keys.deployerKey());
        deployer.put("quarkus.oidc-client.credentials.secret", AuthentikIssuer.SERVICE_CLIENT_SECRET);
        services.add(new ServiceProcess("registry-service", REGISTRY_PORT, registry, logs));
        services.add(new ServiceProcess("deployer-service", DEPLOYER_PORT, deployer, logs));
        services.add(new ServiceProcess("identity-gateway", GATEWAY_PORT, common, logs));
        for (ServiceProcess service : services) {
            step(service.name());
            service.start(root);
        }
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofMinutes(2));
        }
        printReady(Duration.between(begin, Instant.now()));
    }

    private Map<String, String> datasource(String database, Map<String, String> common) {
        var config = new java.util.HashMap<>(common);
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
        return config;
    }

    private void step(String what) {
        out.println("windlass: starting " + what + " ...");
    }

    private void printReady(Duration took) {
        out.println();
        out.printf("windlass: ready in %ds%n", took.toSeconds());
        out.printf("  console / API gateway  http://127.0.0.1:%d%n", GATEWAY_PORT);
        out.printf("  registry-service       http://127.0.0.1:%d/q/swagger-ui%n", REGISTRY_PORT);
        out.printf("  deployer-service       http://127.0.0.1:%d/q/swagger-ui%n", DEPLOYER_PORT);
        out.printf("  OIDC issuer            %s%n", oidc.issuer());
        out.printf("  PostgreSQL             %s (user %s)%n", postgres.jdbcUrl("registry"), EmbeddedPostgres.USER);
        out.printf("  Kafka                  %s%n", kafka.bootstrapServers());
        out.printf("  Kubernetes API         %s (runs no containers)%n", kube.url());
        out.print("  dev users              ");
        for (DevUser user : DevUser.values()) {
            out.printf("%s / %s   ", user.username(), user.password());
        }
        out.println();
        out.println("  logs                   .windlass/logs/   (Ctrl-C stops everything)");
    }

    /** Stops the services, then the infrastructure; safe to call twice. */
    synchronized void stop() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        services.clear();
        DevStack.bestEffort(kube, KubeApiServer::close);
        DevStack.bestEffort(oidc, AuthentikIssuer::close);
        DevStack.bestEffort(kafka, EmbeddedKafka::stop);
        DevStack.bestEffort(postgres, EmbeddedPostgres::stop);
        kube = null;
        oidc = null;
        kafka = null;
        postgres = null;
        out.println("windlass: stopped");
    }
}
