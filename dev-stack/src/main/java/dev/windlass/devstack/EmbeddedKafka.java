package dev.windlass.devstack;

import dev.windlass.events.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run in this JVM.
 *
 * <p>Made by {@link #create(Path, int)}, the broker listens with PLAINTEXT on {@code 127.0.0.1}, without
 * authentication or authorization, and creates topics on first use. Made by {@link #createSecured(Path, int,
 * KafkaAccess)}, it is shaped like the broker Windlass expects in production, on one node:
 *
 * <ul>
 *   <li>the client listener is SASL_PLAINTEXT with SCRAM-SHA-512 only; the credentials of every principal of the
 *       {@link KafkaAccess} are written into the metadata when the storage is formatted, so they exist before the
 *       first client connects (on a kept data directory, principals added since are created at start by the super
 *       user);
 *   <li>the controller listener stays on {@code 127.0.0.1} without TLS but is not anonymous: it is SASL_PLAINTEXT with
 *       PLAIN and knows only the super user, whose password sits in the broker's JAAS configuration (SCRAM cannot
 *       serve a controller listener: its credentials live in the metadata log the controller is still loading);
 *   <li>authorization by {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false} and the super
 *       user {@code User:admin}, which also creates the ACLs of the {@link KafkaAccess} at each start;
 *   <li>topics are not created on first use: {@link #createTopics(int, String...)} creates them as the super user.
 * </ul>
 *
 * <p>In both modes {@link #createTopics(int, String...)} gives {@link Topics#DEPLOY_REQUESTS} {@code
 * message.timestamp.type=LogAppendTime}: the deployer judges the token on a request against the time the broker
 * appended it, which the producer cannot choose. The broker-wide default stays {@code CreateTime}: a producer's
 * timestamp is the better one for the other topics (a status change carries when it happened, which a lagging outbox
 * relay would otherwise shift), and a broker configured by topic is the one an operator reproduces with {@code
 * kafka-configs.sh} or a Strimzi {@code KafkaTopic}.
 *
 * <p>The broker can be stopped and started again on the same ports with its data kept; {@link #close()} deletes the
 * data only when the directory is a temporary one made for a {@code null} data directory.
 *
 * <p>The broker's own log categories ({@code kafka.*}, {@code org.apache.kafka.server.*} and the like, plus Kafka's
 * config dumps and app-info lines) are set to WARNING through {@code java.util.logging}, which Quarkus's JBoss
 * LogManager honours; the system property {@value #LOG_LEVEL_PROPERTY} sets another level. Loading this class also
 * makes Kafka's fatal-error exits throw instead of ending the JVM.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Environment variable naming the bootstrap servers of an existing broker to use instead of this one. */
    public static final String BOOTSTRAP_SERVERS_ENV = "WINDLASS_KAFKA_BOOTSTRAP_SERVERS";

    /** System property with the {@code java.util.logging} level (WARNING, INFO, FINE…) of the broker's logging. */
    public static final String LOG_LEVEL_PROPERTY = "windlass.kafka.log.level";

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final int SCRAM_ITERATIONS = 4096;
    private static final int ONE_MIB = 1024 * 1024;
    private static final List<String> BROKER_LOG_CATEGORIES = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.common.config",
            "org.apache.kafka.common.metrics",
            "org.apache.kafka.common.telemetry",
            "org.apache.kafka.common.utils.AppInfoParser",
            "org.apache.kafka.controller",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.image",
            "org.apache.kafka.metadata",
            "org.apache.kafka.queue",
            "org.apache.kafka.raft",
            "org.apache.kafka.server",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.storage");
    // java.util.logging keeps loggers weakly: hold them so their levels stick.
    private static final List<Logger> BROKER_LOGGERS = setBrokerLogLevel();

    static {
        // A fatal broker error must fail the broker, not end the JVM that hosts it (a test run, say).
        Exit.setExitProcedure(EmbeddedKafka::refuseExit);
        Exit.setHaltProcedure(EmbeddedKafka::refuseExit);
    }

    private final Path dataDir;
    private final boolean tempDataDir;
    private final int port;
    private final int controllerPort;
    private final KafkaAccess access;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, boolean tempDataDir, int port, int controllerPort, KafkaAccess access) {
        this.dataDir = dataDir;
        this.tempDataDir = tempDataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.access = access;
    }

    /**
     * Prepares a broker without starting it.
     *
     * @param dataDir where the broker keeps its data; {@code null} for a temporary directory deleted by {@link
     *     #close()}
     * @param port the client port on 127.0.0.1; 0 picks a free one, kept across restarts
     */
    public static EmbeddedKafka create(Path dataDir, int port) {
        return prepare(dataDir, port, null);
    }

    /**
     * Prepares a broker that authenticates every client with SASL/SCRAM-SHA-512 and authorizes it by ACL, without
     * starting it.
     *
     * @param dataDir where the broker keeps its data; {@code null} for a temporary directory deleted by {@link
     *     #close()}. A directory formatted by a broker of {@link #create(Path, int)} has no credentials: use another.
     * @param port the client port on 127.0.0.1; 0 picks a free one, kept across restarts
     * @param access the principals, their passwords and ACLs; it must define {@value KafkaAccess#ADMIN}
     */
    public static EmbeddedKafka createSecured(Path dataDir, int port, KafkaAccess access) {
        Objects.requireNonNull(access, "access");
        access.password(KafkaAccess.ADMIN);
        return prepare(dataDir, port, access);
    }

    private static EmbeddedKafka prepare(Path dataDir, int port, KafkaAccess access) {
        try {
            boolean temp = dataDir == null;
            Path dir = temp ? Files.createTempDirectory("windlass-kafka-") : Files.createDirectories(dataDir);
            return new EmbeddedKafka(dir, temp, port == 0 ? freePort() : port, freePort(), access);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bootstrap servers of an existing broker to use instead of an embedded one, from the environment variable
     * {@value #BOOTSTRAP_SERVERS_ENV}; {@code null} when it is not set.
     */
    public static String externalBootstrap() {
        return System.getenv(BOOTSTRAP_SERVERS_ENV);
    }

    /** Starts the broker, formatting its storage on first use; returns once it accepts clients. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        if (access != null) {
            ownSaslProviders();
        }
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        formatIfNeeded(config);
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            started.startup();
        } catch (RuntimeException e) {
            try {
                shutdown(started);
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
        server = started;
        if (access != null) {
            try {
                grantAccess();
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
        }
    }

    /** Shuts the broker down cleanly and frees its ports; the data is kept. */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            shutdown(stopping);
        }
    }

    /** Stops and starts the broker again on the same ports with the same data. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Whether the broker is started. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The client address, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client port, the same across restarts. */
    public int port() {
        return port;
    }

    /** The controller port on 127.0.0.1 (a client reaches it with {@code bootstrap.controllers}). */
    int controllerPort() {
        return controllerPort;
    }

    /** The directory holding the broker's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether clients must authenticate (a broker of {@link #createSecured(Path, int, KafkaAccess)}). */
    public boolean isSecured() {
        return access != null;
    }

    /** The principals of a secured broker; {@code null} for a PLAINTEXT one. */
    public KafkaAccess access() {
        return access;
    }

    /**
     * The properties a Kafka client needs to reach this broker as this principal: {@code bootstrap.servers} and, on a
     * secured broker, {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} (see {@link
     * KafkaAccess#saslProperties}). A PLAINTEXT broker ignores the principal. Prefixed with {@code kafka.} they are the
     * Quarkus configuration of a service.
     *
     * @throws IllegalArgumentException on a secured broker, for a principal its {@link KafkaAccess} does not define
     */
    public Map<String, String> clientProperties(String principal) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (access != null) {
            props.putAll(KafkaAccess.saslProperties(principal, access.password(principal)));
        }
        return props;
    }

    /**
     * Creates the topics that do not exist yet, each with the given number of partitions and one replica; on a
     * secured broker as the super user. {@link Topics#DEPLOY_REQUESTS} gets {@code
     * message.timestamp.type=LogAppendTime}, also when it exists already (created on first use by a client, say).
     */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names)
                .map(name -> new NewTopic(name, partitions, (short) 1).configs(topicConfig(name)))
                .toList();
        try (Admin admin = admin()) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
            for (var result : results.entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topics " + Arrays.toString(names), e);
                    }
                    alterTopicConfig(admin, result.getKey());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not configure topics " + Arrays.toString(names), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics " + Arrays.toString(names), e);
        }
    }

    /** Stops the broker and deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        stop();
        if (tempDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private Map<String, String> brokerProperties() {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        String clientListener = access == null ? "PLAINTEXT" : SASL_LISTENER;
        props.put(
                "listeners",
                clientListener + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                        + controllerPort);
        props.put("advertised.listeners", clientListener + "://" + bootstrapServers());
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", clientListener);
        if (access == null) {
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        } else {
            props.putAll(securityProperties());
        }
        props.put("log.dirs", dataDir.resolve("logs").toString());
        // A restarted broker may register again only once its old session has expired (9 s by default).
        props.put("broker.session.timeout.ms", "3000");
        props.put("broker.heartbeat.interval.ms", "500");

        props.put("auto.create.topics.enable", String.valueOf(access == null));
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");

        props.put("log.segment.bytes", String.valueOf(ONE_MIB));
        props.put("offsets.topic.segment.bytes", String.valueOf(ONE_MIB));
        props.put("transaction.state.log.segment.bytes", String.valueOf(ONE_MIB));
        props.put("log.index.size.max.bytes", String.valueOf(ONE_MIB));
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * ONE_MIB));

        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        return props;
    }

    /**
     * Kafka registers its SASL mechanisms as JVM-wide security providers, once per class loader, and a provider of
     * the same name is never replaced. A test JVM that loads Kafka's classes again (Quarkus starts each test profile
     * in a class loader of its own) would keep the first loader's PLAIN and SCRAM servers, which do not recognise this
     * loader's callbacks: every sign-in would fail. The providers of another loader are therefore replaced by this
     * loader's before a secured broker starts.
     */
    private static synchronized void ownSaslProviders() {
        ClassLoader ours = EmbeddedKafka.class.getClassLoader();
        List<String> kafkaProviders = List.of(
                "org.apache.kafka.common.security.plain.internals.PlainSaslServerProvider",
                "org.apache.kafka.common.security.scram.internals.ScramSaslServerProvider",
                "org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider");
        for (java.security.Provider provider : java.security.Security.getProviders()) {
            if (kafkaProviders.contains(provider.getClass().getName())
                    && provider.getClass().getClassLoader() != ours) {
                java.security.Security.removeProvider(provider.getName());
            }
        }
        org.apache.kafka.common.security.plain.internals.PlainSaslServerProvider.initialize();
        org.apache.kafka.common.security.scram.internals.ScramSaslServerProvider.initialize();
        org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider.initialize();
    }

    private Map<String, String> securityProperties() {
        String admin = KafkaAccess.ADMIN;
        String adminPassword = access.password(admin);
        String controller = CONTROLLER_LISTENER.toLowerCase(Locale.ROOT);
        String client = SASL_LISTENER.toLowerCase(Locale.ROOT);
        Map<String, String> props = new HashMap<>();
        props.put(
                "listener.security.protocol.map",
                SASL_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", KafkaAccess.SASL_MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", KafkaAccess.SASL_MECHANISM);
        // The broker's own connections to itself go as the super user.
        props.put(
                "listener.name." + client + ".scram-sha-512.sasl.jaas.config",
                KafkaAccess.saslProperties(admin, adminPassword).get("sasl.jaas.config"));
        props.put("listener.name." + controller + ".sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        String quoted = KafkaAccess.jaasQuoted(adminPassword);
        props.put(
                "listener.name." + controller + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username="
                        + KafkaAccess.jaasQuoted(admin) + " password=" + quoted + " user_" + admin + "=" + quoted
                        + ";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", KafkaAccess.user(admin));
        return props;
    }

    private void formatIfNeeded(KafkaConfig config) {
        String logDir = config.metadataLogDir();
        if (Files.exists(Path.of(logDir, "meta.properties"))) {
            return;
        }
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(Optional.of(logDir))
                    .addDirectory(logDir);
            if (access != null) {
                // The same records as kafka-storage.sh format --add-scram 'SCRAM-SHA-512=[name=…,password=…]'.
                formatter.setScramArguments(access.passwords().entrySet().stream()
                        .map(user -> KafkaAccess.SASL_MECHANISM + "=[name=" + user.getKey() + ",password=\""
                                + user.getValue() + "\"]")
                        .toList());
            }
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + logDir, e);
        }
    }

    /**
     * Creates, as the super user, the credentials a kept data directory lacks (principals added since it was
     * formatted) and every ACL of the access (creating an existing ACL changes nothing).
     */
    private void grantAccess() {
        try (Admin admin = admin()) {
            Set<String> known = admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toSet());
            List<UserScramCredentialAlteration> missing = access.passwords().entrySet().stream()
                    .filter(user -> !known.contains(user.getKey()))
                    .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(
                            user.getKey(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                            user.getValue()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.alterUserScramCredentials(missing).all().get(30, TimeUnit.SECONDS);
            }
            admin.createAcls(access.acls()).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while granting Kafka access", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Could not create the Kafka credentials and ACLs as " + KafkaAccess.ADMIN
                            + " (a data directory first formatted without credentials cannot serve a secured broker): "
                            + dataDir,
                    e);
        }
    }

    private Admin admin() {
        Map<String, Object> config = new HashMap<>(clientProperties(KafkaAccess.ADMIN));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    private static Map<String, String> topicConfig(String topic) {
        return Topics.DEPLOY_REQUESTS.equals(topic)
                ? Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")
                : Map.of();
    }

    private static void alterTopicConfig(Admin admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, String> config = topicConfig(topic);
        if (config.isEmpty()) {
            return;
        }
        List<AlterConfigOp> ops = config.entrySet().stream()
                .map(entry -> new AlterConfigOp(new ConfigEntry(entry.getKey(), entry.getValue()), OpType.SET))
                .toList();
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Logger> setBrokerLogLevel() {
        Level level = Level.parse(System.getProperty(LOG_LEVEL_PROPERTY, "WARNING"));
        List<Logger> loggers =
                BROKER_LOG_CATEGORIES.stream().map(Logger::getLogger).toList();
        loggers.forEach(logger -> logger.setLevel(level));
        return loggers;
    }

    private static void refuseExit(int status, String message) {
        throw new IllegalStateException("Kafka asked to end the JVM with status " + status + ": " + message);
    }
}
