package dev.windlass.devstack;

import dev.windlass.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One instance of each real component per JVM, started on first use and stopped when the JVM
 * exits. Tests share them; each test class still works in its own database, topics and namespaces.
 */
public final class DevStack {

    private static EmbeddedPostgres postgres;
    private static EmbeddedKafka kafka;
    private static AuthentikIssuer oidc;
    private static KubeApiServer kube;
    private static OciRegistry registry;
    private static boolean hookInstalled;

    private DevStack() {}

    /** The shared PostgreSQL server (temporary data). */
    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgres.ephemeral();
            postgres.start();
            stopAtExit();
        }
        return postgres;
    }

    /**
     * The shared Kafka broker (temporary data), as production runs it: every client signs in (SASL/SCRAM-SHA-512) as
     * one of the principals of {@link KafkaAccess#windlass()} and may do only what its ACLs allow; the topics are made
     * by the broker's admin (three partitions each), none on first use.
     */
    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            try {
                kafka = EmbeddedKafka.createSecured(
                        Files.createTempDirectory("windlass-kafka-"), 0, KafkaAccess.windlass());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kafka.start();
            kafka.createTopics(3, Topics.ALL.toArray(String[]::new));
            stopAtExit();
        }
        return kafka;
    }

    /** The shared Authentik-shaped OIDC issuer. */
    public static synchronized AuthentikIssuer oidc() {
        if (oidc == null) {
            oidc = AuthentikIssuer.create(0).start();
            stopAtExit();
        }
        return oidc;
    }

    /** The shared Kubernetes API server. */
    public static synchronized KubeApiServer kube() {
        if (kube == null) {
            kube = KubeApiServer.create();
            kube.start();
            stopAtExit();
        }
        return kube;
    }

    /** The shared OCI registry (Debian's docker-registry, basic auth). */
    public static synchronized OciRegistry registry() {
        if (registry == null) {
            registry = OciRegistry.create().start();
            stopAtExit();
        }
        return registry;
    }

    private static void stopAtExit() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(DevStack::stopAll, "dev-stack-shutdown"));
    }

    /** Stops every component that was started; one failing does not keep the others running. */
    public static synchronized void stopAll() {
        bestEffort(kube, KubeApiServer::close);
        bestEffort(registry, OciRegistry::close);
        bestEffort(kafka, EmbeddedKafka::close);
        bestEffort(oidc, AuthentikIssuer::close);
        bestEffort(postgres, EmbeddedPostgres::close);
        kube = null;
        registry = null;
        kafka = null;
        oidc = null;
        postgres = null;
    }

    /** Stops one component, reporting rather than throwing a failure. */
    public static <T> void bestEffort(T component, java.util.function.Consumer<T> stop) {
        if (component == null) {
            return;
        }
        try {
            stop.accept(component);
        } catch (RuntimeException e) {
            System.err.println("dev-stack: " + component.getClass().getSimpleName() + " did not stop cleanly: " + e);
        }
    }
}
