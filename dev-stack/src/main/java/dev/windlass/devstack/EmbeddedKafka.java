package dev.windlass.devstack;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run in this JVM.
 *
 * <p>The broker listens with PLAINTEXT on {@code 127.0.0.1}. It can be stopped and started again on the same ports
 * with its data kept; {@link #close()} deletes the data only when the directory is a temporary one made by {@link
 * #create(Path, int)}.
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
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, boolean tempDataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.tempDataDir = tempDataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Prepares a broker without starting it.
     *
     * @param dataDir where the broker keeps its data; {@code null} for a temporary directory deleted by {@link
     *     #close()}
     * @param port the client port on 127.0.0.1; 0 picks a free one, kept across restarts
     */
    public static EmbeddedKafka create(Path dataDir, int port) {
        try {
            boolean temp = dataDir == null;
            Path dir = temp ? Files.createTempDirectory("windlass-kafka-") : Files.createDirectories(dataDir);
            return new EmbeddedKafka(dir, temp, port == 0 ? freePort() : port, freePort());
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

    /** The directory holding the broker's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics that do not exist yet, each with the given number of partitions and one replica. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names)
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .toList();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topics " + Arrays.toString(names), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
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
        props.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        // A restarted broker may register again only once its old session has expired (9 s by default).
        props.put("broker.session.timeout.ms", "3000");
        props.put("broker.heartbeat.interval.ms", "500");

        props.put("auto.create.topics.enable", "true");
        // Every record carries the broker's clock, not the producer's: the deployer judges a deploy request's token at
        // the time the broker appended it, which only LogAppendTime proves. The other topics' timestamps are
        // informational (their events carry their own time), so one broker-wide default serves them all.
        props.put("log.message.timestamp.type", "LogAppendTime");
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

    private void formatIfNeeded(KafkaConfig config) {
        String logDir = config.metadataLogDir();
        if (Files.exists(Path.of(logDir, "meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(Optional.of(logDir))
                    .addDirectory(logDir)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + logDir, e);
        }
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
