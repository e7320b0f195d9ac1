package dev.windlass.reliability;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.Files2;
import dev.windlass.devstack.local.LocalSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The suite under test, started once per test JVM (state in {@code reliability/target/reliability-state}), with
 * what every reliability test shares: the settings of this run, the HTTP client that keeps every answer, the tap
 * on every topic, the orchestrator deploys go to, and the report.
 */
public final class Reliability {

    private static LocalSuite suite;
    private static Http http;
    private static TopicTap tap;
    private static Target target;
    private static final Report REPORT = new Report();

    private Reliability() {}

    /** The repository root (the services' jars are found from there). */
    public static Path root() {
        return Path.of(System.getProperty("windlass.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** Where this module's outputs go. */
    public static Path output() {
        return root().resolve("reliability/target");
    }

    /** The shared suite, started on first use, with the tap and the orchestrator ready. */
    public static synchronized LocalSuite suite() {
        if (suite == null) {
            Path state = output().resolve("reliability-state");
            try {
                Files2.deleteRecursively(state);
                long begin = System.nanoTime();
                // the services' shipped settings: the suite proves what an operator gets by default
                LocalSuite.Options options = LocalSuite.Options.ephemeral(root(), state);
                // a service not ready within LocalSuite's two minutes on a machine this busy: up to three starts
                for (int attempt = 1; suite == null; attempt++) {
                    try {
                        suite = LocalSuite.start(options, System.out);
                    } catch (IOException slowStart) {
                        if (attempt == 3) {
                            throw slowStart;
                        }
                        System.out.println("reliability: the suite did not start (" + slowStart.getMessage() + ")");
                        Files2.deleteRecursively(state);
                        options = LocalSuite.Options.ephemeral(root(), state);
                    }
                }
                REPORT.figure("suite", "start (s)", (System.nanoTime() - begin) / 1_000_000_000L);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(Reliability::shutdown, "reliability-stop"));
            http = new Http(output().resolve("reliability-responses.txt"));
            // reads every topic as the broker's admin
            tap = TopicTap.start(suite.kafka().clientProperties(dev.windlass.devstack.KafkaAccess.ADMIN));
            target = Target.register(suite, http);
        }
        return suite;
    }

    public static Http http() {
        suite();
        return http;
    }

    public static TopicTap tap() {
        suite();
        return tap;
    }

    public static Target target() {
        suite();
        return target;
    }

    public static Report report() {
        return REPORT;
    }

    private static void shutdown() {
        REPORT.write(output().resolve("reliability-report.md"));
        DevStack.bestEffort(tap, TopicTap::close);
        DevStack.bestEffort(http, Http::close);
        DevStack.bestEffort(suite, LocalSuite::close);
    }

    /** The settings of this run: short by default, long with {@code -Dwindlass.reliability.full=true}. */
    public record Settings(
            boolean full,
            int deploysPerFault,
            int appsPerFault,
            double submitRate,
            Duration outage,
            int fuzzPerEndpoint,
            int topicFuzz,
            Duration load,
            Duration loadWarmup,
            int readsPerSecond,
            int deploysPerSecond) {

        public static Settings current() {
            boolean full = Boolean.getBoolean("windlass.reliability.full");
            return new Settings(
                    full,
                    Integer.getInteger("windlass.reliability.deploys", full ? 500 : 100),
                    Integer.getInteger("windlass.reliability.apps", full ? 50 : 20),
                    Double.parseDouble(System.getProperty("windlass.reliability.submit-rate", full ? "20" : "10")),
                    Duration.ofSeconds(Integer.getInteger("windlass.reliability.outage-seconds", full ? 30 : 10)),
                    Integer.getInteger("windlass.reliability.fuzz", full ? 400 : 40),
                    Integer.getInteger("windlass.reliability.topic-fuzz", full ? 600 : 60),
                    Duration.ofSeconds(Integer.getInteger("windlass.reliability.load-seconds", full ? 180 : 20)),
                    Duration.ofSeconds(Integer.getInteger("windlass.reliability.load-warmup-seconds", full ? 60 : 10)),
                    // what the whole suite, its dev stack and the load generator hold together on one 2-core machine
                    // (reliability.md, "Load"); 200 reads/s + 20 deploys/s is for a machine with more cores
                    Integer.getInteger("windlass.reliability.reads-per-second", full ? 100 : 40),
                    Integer.getInteger("windlass.reliability.deploys-per-second", full ? 5 : 4));
        }

        public String name() {
            return full ? "full" : "short";
        }
    }
}
