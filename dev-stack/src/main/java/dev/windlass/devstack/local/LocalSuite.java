package dev.windlass.devstack.local;

import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.EmbeddedKafka;
import dev.windlass.devstack.EmbeddedPostgres;
import dev.windlass.devstack.Files2;
import dev.windlass.devstack.FreePorts;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.NodeSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole suite on this machine: PostgreSQL, Kafka, the Authentik-shaped issuer and a
 * Kubernetes API server from the dev stack, then the three services from their built jars.
 *
 * <p>Usage: {@code LocalSuite [--fresh]} from the repository root. Data lives in {@code .windlass/}
 * and survives restarts unless {@code --fresh} is given; logs go to {@code .windlass/logs/}.
 * Tests start it through {@link #start(Options, PrintStream)} with {@link Options#ephemeral} (free
 * ports, a state directory of their own).
 */
public final class LocalSuite implements AutoCloseable {

    static final int GATEWAY_PORT = 8080;
    static final int REGISTRY_PORT = 8081;
    static final int DEPLOYER_PORT = 8082;
    static final int POSTGRES_PORT = 15432;
    static final int KAFKA_PORT = 19092;
    static final int OIDC_PORT = 18090;

    /** The module names of the three services, in start order. */
    public static final String REGISTRY = "registry-service";

    public static final String DEPLOYER = "deployer-service";
    public static final String GATEWAY = "identity-gateway";

    /**
     * Where the suite runs.
     *
     * @param root the repository root (the services' jars are under {@code <module>/target/quarkus-app})
     * @param state the state directory (data, logs, per-service settings, generated keys)
     * @param nodeSimulator whether Deployments are reported available by the {@link NodeSimulator}
     * @param extraConfig settings added to (or overriding) a service's, keyed by module name
     */
    public record Options(
            Path root,
            Path state,
            int gatewayPort,
            int registryPort,
            int deployerPort,
            int postgresPort,
            int kafkaPort,
            int oidcPort,
            boolean nodeSimulator,
            Map<String, Map<String, String>> extraConfig) {

        /** The fixed ports of the README and {@code root/.windlass}. */
        public static Options local(Path root) {
            return new Options(
                    root,
                    root.resolve(".windlass"),
                    GATEWAY_PORT,
                    REGISTRY_PORT,
                    DEPLOYER_PORT,
                    POSTGRES_PORT,
                    KAFKA_PORT,
                    OIDC_PORT,
                    true,
                    Map.of());
        }

        /** Free ports and the given state directory, for tests and benchmarks. */
        public static Options ephemeral(Path root, Path state) {
            return new Options(
                    root,
                    state,
                    FreePorts.pick(),
                    FreePorts.pick(),
                    FreePorts.pick(),
                    FreePorts.pick(),
                    FreePorts.pick(),
                    FreePorts.pick(),
                    true,
                    Map.of());
        }

        /** These options with {@code key=value} added to the settings of {@code service}. */
        public Options withConfig(String service, String key, String value) {
            Map<String, Map<String, String>> copy = new HashMap<>();
            extraConfig.forEach((k, v) -> copy.put(k, new HashMap<>(v)));
            copy.computeIfAbsent(service, k -> new HashMap<>()).put(key, value);
            return new Options(
                    root,
                    state,
                    gatewayPort,
                    registryPort,
                    deployerPort,
                    postgresPort,
                    kafkaPort,
                    oidcPort,
                    nodeSimulator,
                    copy);
        }

        /** These options with the node simulator on or off. */
        public Options withNodeSimulator(boolean on) {
            return new Options(
                    root,
                    state,
                    gatewayPort,
                    registryPort,
                    deployerPort,
                    postgresPort,
                    kafkaPort,
                    oidcPort,
                    on,
                    extraConfig);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private AuthentikIssuer oidc;
    private KubeApiServer kube;
    private NodeSimulator simulator;

    private LocalSuite(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Starts everything, prints where it listens, and runs until the JVM is asked to stop. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Options options = Options.local(root);
        if (List.of(args).contains("--fresh")) {
            Files2.deleteRecursively(options.state());
        }
        LocalSuite suite = new LocalSuite(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "local-suite-shutdown"));
        suite.startAll();
        Thread.currentThread().join();
    }

    /**
     * Starts a suite with {@code options}, waiting until every service is ready; {@link #close()}
     * stops it. If a step fails, what was started is stopped again.
     */
    public static LocalSuite start(Options options, PrintStream out) throws IOException, InterruptedException {
        LocalSuite suite = new LocalSuite(options, out);
        try {
            suite.startAll();
            return suite;
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.stop();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        Path state = options.state();
        Path logs = state.resolve("logs");
        Files.createDirectories(logs);
        Instant begin = Instant.now();

        step("PostgreSQL");
        postgres = EmbeddedPostgres.create(state.resolve("postgres"), options.postgresPort());
        postgres.start();
        postgres.createDatabase("registry");
        postgres.createDatabase("deployer");

        step("Kafka");
        kafka = EmbeddedKafka.create(state.resolve("kafka"), options.kafkaPort());
        kafka.start();

        step("OIDC issuer");
        oidc = AuthentikIssuer.create(options.oidcPort()).start();

        step("Kubernetes API server");
        kube = KubeApiServer.create();
        kube.start();
        if (options.nodeSimulator()) {
            step("node simulator (reports Deployments available; no container runs)");
            simulator = NodeSimulator.start(kube.adminClient());
        }

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
        deployer.put("windlass.deployer.registry-url", "http://127.0.0.1:" + options.registryPort());
        deployer.put("quarkus.oidc-client.credentials.secret", AuthentikIssuer.SERVICE_CLIENT_SECRET);
        Map<String, String> gateway = new HashMap<>(common);
        gateway.put("windlass.gateway.registry-url", "http://127.0.0.1:" + options.registryPort());
        gateway.put("windlass.gateway.deployer-url", "http://127.0.0.1:" + options.deployerPort());
        add(REGISTRY, options.registryPort(), registry, logs);
        add(DEPLOYER, options.deployerPort(), deployer, logs);
        add(GATEWAY, options.gatewayPort(), gateway, logs);
        for (ServiceProcess service : services.values()) {
            step(service.name());
            service.start();
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofMinutes(2));
        }
        printReady(Duration.between(begin, Instant.now()));
    }

    private void add(String module, int port, Map<String, String> config, Path logs) {
        Map<String, String> all = new HashMap<>(config);
        all.putAll(options.extraConfig().getOrDefault(module, Map.of()));
        services.put(module, new ServiceProcess(module, module, port, all, options.root(), logs));
    }

    /** A running service by module name ({@link #REGISTRY}, {@link #DEPLOYER}, {@link #GATEWAY}). */
    public ServiceProcess service(String module) {
        ServiceProcess service = services.get(module);
        if (service == null) {
            throw new IllegalArgumentException("no service " + module);
        }
        return service;
    }

    /** The gateway's base URL, where the console and the public API are. */
    public String gatewayUrl() {
        return service(GATEWAY).url();
    }

    /** The registry's base URL (direct, for tests). */
    public String registryUrl() {
        return service(REGISTRY).url();
    }

    /** The deployer's base URL (direct, for tests). */
    public String deployerUrl() {
        return service(DEPLOYER).url();
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public AuthentikIssuer oidc() {
        return oidc;
    }

    public KubeApiServer kube() {
        return kube;
    }

    /** The node simulator, or null when the options turned it off. */
    public NodeSimulator nodeSimulator() {
        return simulator;
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        stop();
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
        out.printf("  console / API gateway  http://127.0.0.1:%d%n", options.gatewayPort());
        out.printf("  registry-service       http://127.0.0.1:%d/q/swagger-ui%n", options.registryPort());
        out.printf("  deployer-service       http://127.0.0.1:%d/q/swagger-ui%n", options.deployerPort());
        out.printf("  OIDC issuer            %s%n", oidc.issuer());
        out.printf("  PostgreSQL             %s (user %s)%n", postgres.jdbcUrl("registry"), EmbeddedPostgres.USER);
        out.printf("  Kafka                  %s%n", kafka.bootstrapServers());
        out.printf("  Kubernetes API         %s (runs no containers)%n", kube.url());
        out.print("  dev users              ");
        for (DevUser user : DevUser.values()) {
            out.printf("%s / %s   ", user.username(), user.password());
        }
        out.println();
        out.printf(
                "  logs                   %s/   (Ctrl-C stops everything)%n",
                options.state().resolve("logs"));
    }

    /** Stops the services, then the infrastructure; safe to call twice. */
    synchronized void stop() {
        List<ServiceProcess> running = new ArrayList<>(services.values());
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
        services.clear();
        DevStack.bestEffort(simulator, NodeSimulator::close);
        simulator = null;
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

    /**
     * Starts one more deployer on a free port with the same settings (same database, consumer group and Kafka), as
     * an extra replica: {@code deployer-service-2}, {@code -3}, ... It is stopped with the suite, and
     * {@link #service(String)} finds it under its instance name. Used by the scale benchmark.
     */
    public synchronized ServiceProcess startDeployerReplica() throws IOException, InterruptedException {
        ServiceProcess first = service(DEPLOYER);
        int number = 2;
        while (services.containsKey(DEPLOYER + "-" + number)) {
            number++;
        }
        String instance = DEPLOYER + "-" + number;
        ServiceProcess replica = new ServiceProcess(
                DEPLOYER,
                instance,
                FreePorts.pick(),
                first.config(),
                options.root(),
                options.state().resolve("logs"));
        services.put(instance, replica);
        replica.start();
        replica.awaitReady(Duration.ofMinutes(2));
        return replica;
    }
}
