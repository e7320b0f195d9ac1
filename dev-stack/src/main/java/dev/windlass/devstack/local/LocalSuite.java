package dev.windlass.devstack.local;

import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.EmbeddedKafka;
import dev.windlass.devstack.EmbeddedPostgres;
import dev.windlass.devstack.Files2;
import dev.windlass.devstack.FreePorts;
import dev.windlass.devstack.KafkaAccess;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.NodeSimulator;
import dev.windlass.devstack.OciRegistry;
import dev.windlass.events.Topics;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole suite on this machine: PostgreSQL, Kafka, the Authentik-shaped issuer and a
 * Kubernetes API server from the dev stack, then the three services from their built jars.
 *
 * <p>Usage: {@code LocalSuite [--fresh] [--state <dir>] [--ephemeral-ports] [--with-kubeconfig]} from the
 * repository root ({@code ./windlass-local} builds first). Data lives in {@code .windlass/} (or {@code --state})
 * and survives restarts unless {@code --fresh} is given; every component logs to a file under {@code logs/} there,
 * the console gets one line per step and one ready line.
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
     * @param nodeSimulator how much the {@link NodeSimulator} does: Pods with statuses and logs, only Deployments'
     *     rollouts, or nothing
     * @param extraConfig settings added to (or overriding) a service's, keyed by module name
     * @param serviceJava the JDK (25 or newer) that runs the services, each from a copy of its build with an
     *     ahead-of-time cache trained on it ({@link AotCache}); null: the suite's own JDK with the build's class-data
     *     archive
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
            NodeSimulator.Mode nodeSimulator,
            Map<String, Map<String, String>> extraConfig,
            Path serviceJava) {

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
                    NodeSimulator.Mode.PODS,
                    Map.of(),
                    null);
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
                    NodeSimulator.Mode.PODS,
                    Map.of(),
                    null);
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
                    copy,
                    serviceJava);
        }

        /** These options with another state directory. */
        public Options withState(Path otherState) {
            return new Options(
                    root,
                    otherState,
                    gatewayPort,
                    registryPort,
                    deployerPort,
                    postgresPort,
                    kafkaPort,
                    oidcPort,
                    nodeSimulator,
                    extraConfig,
                    serviceJava);
        }

        /** These options with the node simulator doing as much as {@code on} says. */
        public Options withNodeSimulator(NodeSimulator.Mode on) {
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
                    extraConfig,
                    serviceJava);
        }

        /**
         * These options with the services run by the JDK at {@code home} (25 or newer) on ahead-of-time caches; null:
         * by the suite's own JDK.
         */
        public Options withServiceJava(Path home) {
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
                    extraConfig,
                    home);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private AuthentikIssuer oidc;
    private KubeApiServer kube;
    private OciRegistry images;
    private NodeSimulator simulator;
    private boolean launcher;
    private volatile boolean stopping;
    private Duration servicesReady = Duration.ZERO;

    private LocalSuite(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Starts everything, registers orchestrator {@value LocalOrchestrators#LOCAL}, prints one ready line and runs until
     * the JVM is asked to stop (Ctrl-C, SIGTERM). Flags: {@code --fresh}, {@code --state <dir>},
     * {@code --ephemeral-ports}, {@code --with-kubeconfig}; see {@link #USAGE}.
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path callerDir = Path.of(System.getenv().getOrDefault("WINDLASS_CALLER_DIR", root.toString()));
        boolean fresh = false;
        boolean ephemeralPorts = false;
        boolean withKubeconfig = false;
        boolean aotCache = true;
        Path state = root.resolve(".windlass");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--ephemeral-ports" -> ephemeralPorts = true;
                case "--with-kubeconfig" -> withKubeconfig = true;
                case "--no-aot-cache" -> aotCache = false;
                case "--state" -> {
                    if (i + 1 == args.length) {
                        usage("--state needs a directory");
                    }
                    state = callerDir.resolve(args[++i]).toAbsolutePath().normalize();
                }
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        Options options = ephemeralPorts
                ? Options.ephemeral(root, state)
                : Options.local(root).withState(state);
        if (aotCache) {
            options = options.withServiceJava(AotCache.findJdk(System.getenv()).orElse(null));
        }
        try {
            LocalProcesses.stopLeftovers(state, System.out);
        } catch (IllegalStateException e) {
            System.err.println("windlass: " + e.getMessage());
            System.exit(1);
        }
        if (fresh) {
            EmbeddedPostgres.deleteData(state.resolve("postgres"));
            Files2.deleteRecursively(state);
        }
        Files.createDirectories(state.resolve("logs"));
        LocalLogging.toFile(state.resolve("logs").resolve("dev-stack.log"));
        LocalSuite suite = new LocalSuite(options, System.out);
        suite.launcher = true;
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "local-suite-shutdown"));
        try {
            Instant begin = Instant.now();
            suite.startAll();
            List<LocalOrchestrators.Registered> orchestrators = suite.registerOrchestrators(withKubeconfig);
            LocalProcesses.record(state);
            suite.writeEndpoints();
            suite.printReady(Duration.between(begin, Instant.now()), orchestrators);
        } catch (Exception e) {
            System.out.println("windlass: could not start: " + e.getMessage());
            System.out.println("windlass: see " + state.resolve("logs") + "/");
            System.exit(1);
        }
        Thread.currentThread().join();
    }

    /** What {@code --help} prints. */
    static final String USAGE = """
            usage: ./windlass-local [options]
              --fresh             delete the state directory first (data, logs, keys) and start over
              --state <dir>       keep data, logs and settings in <dir> (default .windlass)
              --ephemeral-ports   listen on free ports instead of 8080-8082, 15432, 19092, 18090
              --with-kubeconfig   also register the current context of $KUBECONFIG (or ~/.kube/config)
              --no-aot-cache      run the services on this JDK with no ahead-of-time cache (by default they run
                                  on JDK 25+ if one is found: WINDLASS_SERVICE_JAVA_HOME, this JDK, /usr/lib/jvm)
              --no-build          do not build first (also WINDLASS_SKIP_BUILD=1)
            """;

    private static void usage(String problem) {
        System.err.println("windlass: " + problem);
        System.err.print(USAGE);
        System.exit(2);
    }

    /**
     * Starts a suite with {@code options}, waiting until every service is ready; {@link #close()}
     * stops it. If a step fails, what was started is stopped again.
     */
    public static LocalSuite start(Options options, PrintStream out) throws IOException, InterruptedException {
        LocalSuite suite = new LocalSuite(options, out);
        try {
            Instant begin = Instant.now();
            suite.startAll();
            suite.printReady(Duration.between(begin, Instant.now()), List.of());
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

        step("PostgreSQL");
        postgres = EmbeddedPostgres.create(state.resolve("postgres"), options.postgresPort());
        postgres.start();
        postgres.createDatabase("registry");
        postgres.createDatabase("deployer");

        step("Kafka");
        // signs every client in (SASL/SCRAM) and authorizes it by ACL, as production should; its own directory, since
        // a broker formatted without credentials cannot turn secured
        kafka = EmbeddedKafka.createSecured(state.resolve("kafka-sasl"), options.kafkaPort(), KafkaAccess.windlass());
        kafka.start();
        kafka.createTopics(1, Topics.ALL.toArray(String[]::new));

        step("OIDC issuer");
        oidc = AuthentikIssuer.create(options.oidcPort()).start();

        step("Kubernetes API server");
        kube = KubeApiServer.create();
        kube.start();
        if (options.nodeSimulator() != NodeSimulator.Mode.OFF) {
            step("node simulator (ReplicaSets, Pods and rollouts as a kubelet would report them; no container runs)");
            simulator = NodeSimulator.start(kube.adminClient(), options.nodeSimulator());
        }
        // the registry tells the deployer of each push, through the gateway, proving this run's webhook secret
        String webhookSecret = randomSecret();
        if (OciRegistry.installed()) {
            step("OCI registry (Debian's docker-registry, basic auth, push notifications to Windlass)");
            images = OciRegistry.create()
                    .notifying(
                            "http://127.0.0.1:" + options.gatewayPort() + "/hooks/images/distribution",
                            "Bearer " + webhookSecret)
                    .start();
        }

        Map<String, String> common = Map.of(
                "quarkus.oidc.auth-server-url", oidc.issuer(),
                "quarkus.oidc.client-id", AuthentikIssuer.CLIENT_ID,
                "quarkus.oidc.credentials.secret", AuthentikIssuer.CLIENT_SECRET,
                "quarkus.datasource.username", EmbeddedPostgres.USER,
                "quarkus.datasource.password", EmbeddedPostgres.PASSWORD);
        LocalKeys keys = LocalKeys.loadOrCreate(state.resolve("keys.properties"));
        Map<String, String> registry = datasource("registry", common);
        kafka.clientProperties(KafkaAccess.REGISTRY).forEach((name, value) -> registry.put("kafka." + name, value));
        registry.put("windlass.registry.encryption.active-key-id", "local-1");
        registry.put("windlass.registry.encryption.keys.local-1", keys.registryKey());
        registry.put("windlass.registry.deployer-url", "http://127.0.0.1:" + options.deployerPort());
        registry.put("quarkus.oidc-client.credentials.secret", AuthentikIssuer.SERVICE_CLIENT_SECRET);
        Map<String, String> deployer = datasource("deployer", common);
        kafka.clientProperties(KafkaAccess.DEPLOYER).forEach((name, value) -> deployer.put("kafka." + name, value));
        deployer.put("windlass.deployer.secrets.active-key-id", "local-1");
        deployer.put("windlass.deployer.secrets.keys.local-1", keys.deployerKey());
        deployer.put("windlass.deployer.registry-url", "http://127.0.0.1:" + options.registryPort());
        deployer.put("quarkus.oidc-client.credentials.secret", AuthentikIssuer.SERVICE_CLIENT_SECRET);
        deployer.put("windlass.deployer.image-updates.webhook-secret", webhookSecret);
        Map<String, String> gateway = new HashMap<>(common);
        gateway.put("windlass.gateway.registry-url", "http://127.0.0.1:" + options.registryPort());
        gateway.put("windlass.gateway.deployer-url", "http://127.0.0.1:" + options.deployerPort());
        add(REGISTRY, options.registryPort(), registry, logs);
        add(DEPLOYER, options.deployerPort(), deployer, logs);
        add(GATEWAY, options.gatewayPort(), gateway, logs);
        Map<ServiceProcess, AotCache> training = new LinkedHashMap<>();
        if (options.serviceJava() != null) {
            for (ServiceProcess service : services.values()) {
                AotCache cache = prepareAot(service);
                if (cache != null) {
                    training.put(service, cache);
                }
            }
        }
        startServices(services.values());
        if (!training.isEmpty()) {
            train(training);
            // only the trained ones stopped; a service whose cache was current is still running on its port
            startServices(training.keySet());
        }
    }

    /**
     * Starts {@code which} together and waits until every service is ready; how long that took is printed when
     * ready.
     */
    private void startServices(Collection<ServiceProcess> which) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        for (ServiceProcess service : which) {
            step(service.name());
            service.start();
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofMinutes(2));
        }
        servicesReady = Duration.ofNanos(System.nanoTime() - begin);
    }

    /**
     * Sets {@code service} to run on {@link Options#serviceJava()} from its cache's copy of the build: on the cache if
     * it is current (null returned), else recording one (the cache returned, to be trained).
     */
    private AotCache prepareAot(ServiceProcess service) throws IOException {
        Path module = options.root().resolve(service.name());
        AotCache cache = AotCache.of(
                options.state().resolve("aot"),
                options.root(),
                service.name(),
                options.serviceJava(),
                ServiceProcess.ownJvmOptions(module));
        service.javaHome(options.serviceJava());
        service.appDirectory(cache.appDirectory());
        if (cache.isCurrent()) {
            service.jvmOptions(List.of(cache.useOption()));
            return null;
        }
        service.jvmOptions(List.of(cache.beginTraining()));
        return cache;
    }

    /**
     * The training run of the services whose cache is missing or stale: they run recording, answer a round of the
     * API reads a console makes, and stop; each JVM writes its cache as it exits (JEP 514). A service whose JVM wrote
     * none runs without one.
     */
    private void train(Map<ServiceProcess, AotCache> training) throws IOException, InterruptedException {
        step("training run for the ahead-of-time cache of "
                + String.join(
                        ", ",
                        training.keySet().stream().map(ServiceProcess::name).toList())
                + " on JDK " + AotCache.featureVersion(options.serviceJava())
                + " (once after each build that changes them)");
        long begin = System.nanoTime();
        String token = oidc.accessToken(DevUser.ADMIN);
        HttpClient http = HttpClient.newHttpClient();
        for (ServiceProcess service : training.keySet()) {
            String path = service.name().equals(DEPLOYER) ? "/api/deployments?size=20" : "/api/orchestrators?size=20";
            HttpRequest read = HttpRequest.newBuilder(URI.create(service.url() + path))
                    .header("Authorization", "Bearer " + token)
                    .build();
            for (int i = 0; i < TRAINING_REQUESTS; i++) {
                http.send(read, HttpResponse.BodyHandlers.discarding());
            }
        }
        List<Thread> stops = new ArrayList<>();
        for (ServiceProcess service : training.keySet()) {
            Thread stop = new Thread(() -> service.stop(Duration.ofMinutes(3)), "aot-training-stop-" + service.name());
            stop.start();
            stops.add(stop);
        }
        for (Thread stop : stops) {
            stop.join();
        }
        for (Map.Entry<ServiceProcess, AotCache> each : training.entrySet()) {
            ServiceProcess service = each.getKey();
            AotCache cache = each.getValue();
            if (cache.endTraining()) {
                service.jvmOptions(List.of(cache.useOption()));
            } else {
                out.println("windlass: " + service.name() + " wrote no ahead-of-time cache; it runs without one (see "
                        + options.state().resolve("logs").resolve(service.instance() + ".log") + ")");
                service.jvmOptions(List.of());
            }
        }
        out.printf("windlass: trained in %.1f s%n", (System.nanoTime() - begin) / 1e9);
    }

    /** Requests of the training run, per service. */
    private static final int TRAINING_REQUESTS = 200;

    /**
     * Registers (or updates) orchestrator {@value LocalOrchestrators#LOCAL} for this suite's API server through the
     * registry API as the dev admin, with a fresh token of a least-privilege ServiceAccount, and tests its
     * connection; with {@code withKubeconfig}, also the current context of the user's kubeconfig.
     */
    public List<LocalOrchestrators.Registered> registerOrchestrators(boolean withKubeconfig)
            throws IOException, InterruptedException {
        step("orchestrator " + LocalOrchestrators.LOCAL);
        LocalOrchestrators registry = new LocalOrchestrators(registryUrl(), oidc.accessToken(DevUser.ADMIN));
        List<LocalOrchestrators.Registered> registered = new ArrayList<>();
        registered.add(registry.registerLocal(kube));
        if (withKubeconfig) {
            step("orchestrator from " + LocalOrchestrators.kubeconfigFile());
            LocalOrchestrators.Registered fromKubeconfig =
                    registry.registerKubeconfig(why -> out.println("windlass: --with-kubeconfig: " + why));
            if (fromKubeconfig != null) {
                registered.add(fromKubeconfig);
            }
        }
        return registered;
    }

    /**
     * Registers (or updates) the current context of {@code kubeconfig} as orchestrator {@code kubeconfig-<context>},
     * as {@code --with-kubeconfig} does for the user's own, and tests its connection; null, with the reason printed,
     * when the context cannot be registered.
     */
    public LocalOrchestrators.Registered registerKubeconfig(java.io.File kubeconfig)
            throws IOException, InterruptedException {
        return new LocalOrchestrators(registryUrl(), oidc.accessToken(DevUser.ADMIN))
                .registerKubeconfig(kubeconfig, why -> out.println("windlass: kubeconfig " + kubeconfig + ": " + why));
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Writes {@code endpoints.env} (shell syntax, no credentials) to the state directory, for scripts such as
     * {@code scripts/deploy-sample.sh} and for tests that start the launcher on free ports.
     */
    private void writeEndpoints() throws IOException {
        String env = "# written by ./windlass-local while it runs; dev credentials only\n"
                + "WINDLASS_GATEWAY_URL=" + gatewayUrl() + "\n"
                + "WINDLASS_REGISTRY_URL=" + registryUrl() + "\n"
                + "WINDLASS_DEPLOYER_URL=" + deployerUrl() + "\n"
                + "WINDLASS_OIDC_ISSUER=" + oidc.issuer() + "\n"
                + "WINDLASS_KUBE_API_URL=" + kube.url() + "\n"
                + (images == null ? "" : "WINDLASS_OCI_REGISTRY_URL=" + images.url() + "\n")
                + "WINDLASS_POSTGRES_PORT=" + options.postgresPort() + "\n"
                + "WINDLASS_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers() + "\n"
                // the dev Kafka user of an outside producer of deploy requests (kcat -X sasl.username=…)
                + "WINDLASS_KAFKA_USER=" + KafkaAccess.CI_PIPELINE + "\n"
                + "WINDLASS_KAFKA_PASSWORD=" + kafka.access().password(KafkaAccess.CI_PIPELINE) + "\n"
                + "WINDLASS_LAUNCHER_PID=" + ProcessHandle.current().pid() + "\n";
        Files.writeString(options.state().resolve(ENDPOINTS), env);
    }

    /** The file in the state directory that {@link #writeEndpoints()} writes. */
    public static final String ENDPOINTS = "endpoints.env";

    private void add(String module, int port, Map<String, String> config, Path logs) {
        Map<String, String> all = new HashMap<>(config);
        all.putAll(options.extraConfig().getOrDefault(module, Map.of()));
        ServiceProcess service = new ServiceProcess(module, module, port, all, options.root(), logs);
        service.exitWithParent(launcher);
        services.put(module, service);
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
    /** The suite's OCI registry; null where Debian's docker-registry is not installed. */
    public OciRegistry images() {
        return images;
    }

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
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
        out.println("windlass: starting " + what + " ...");
    }

    private void printReady(Duration took, List<LocalOrchestrators.Registered> orchestrators) {
        StringBuilder users = new StringBuilder();
        for (DevUser user : DevUser.values()) {
            users.append(users.length() == 0 ? "" : ", ")
                    .append(user.username())
                    .append(" / ")
                    .append(user.password());
        }
        out.println();
        out.printf("windlass: ready in %ds — console %s — sign in as %s%n", took.toSeconds(), gatewayUrl(), users);
        out.printf(
                "  services               ready %.1f s after they started, on %s%n",
                servicesReady.toMillis() / 1000.0,
                options.serviceJava() == null
                        ? "JDK " + Runtime.version().feature() + " with the build's class-data archive"
                        : "JDK " + AotCache.featureVersion(options.serviceJava()) + " with ahead-of-time caches in "
                                + options.state().resolve("aot"));
        out.printf("  registry-service       %s/q/swagger-ui%n", registryUrl());
        out.printf("  deployer-service       %s/q/swagger-ui%n", deployerUrl());
        out.printf("  OIDC issuer            %s%n", oidc.issuer());
        out.printf("  PostgreSQL             %s (user %s)%n", postgres.jdbcUrl("registry"), EmbeddedPostgres.USER);
        out.printf("  Kafka                  %s%n", kafka.bootstrapServers());
        out.printf(
                "  Kubernetes API         %s — runs no containers; %s%n",
                kube.url(),
                simulator == null
                        ? "no node simulator, so no Deployment becomes available"
                        : "a node simulator reports Deployments available");
        out.printf(
                "  OCI registry           %s%n",
                images == null
                        ? "not started: install Debian's docker-registry package for one"
                        : images.url() + " (user " + OciRegistry.USER + ", password " + images.password()
                                + "; push with its HTTP API; apps running " + images.host()
                                + "/<repository>:<tag> with spec.imageUpdates take new tags)");
        for (LocalOrchestrators.Registered o : orchestrators) {
            out.printf("  orchestrator %-9s %s — %s%n", o.name(), o.status(), o.message());
        }
        out.printf(
                "  logs                   %s/   (Ctrl-C stops everything)%n",
                options.state().resolve("logs"));
    }

    /** Stops the services, then the infrastructure; safe to call twice. */
    synchronized void stop() {
        stopping = true;
        List<ServiceProcess> running = new ArrayList<>(services.values());
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
        services.clear();
        DevStack.bestEffort(simulator, NodeSimulator::close);
        simulator = null;
        DevStack.bestEffort(kube, KubeApiServer::close);
        DevStack.bestEffort(images, OciRegistry::close);
        DevStack.bestEffort(oidc, AuthentikIssuer::close);
        DevStack.bestEffort(kafka, EmbeddedKafka::stop);
        DevStack.bestEffort(postgres, EmbeddedPostgres::stop);
        kube = null;
        images = null;
        oidc = null;
        kafka = null;
        postgres = null;
        if (launcher) {
            DevStack.bestEffort(options.state(), LocalProcesses::forget);
            DevStack.bestEffort(
                    options.state().resolve(ENDPOINTS), f -> f.toFile().delete());
        }
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
        first.startsLike(replica);
        services.put(instance, replica);
        replica.start();
        replica.awaitReady(Duration.ofMinutes(2));
        return replica;
    }
}
