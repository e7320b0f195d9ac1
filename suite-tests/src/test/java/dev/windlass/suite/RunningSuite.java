package dev.windlass.suite;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.local.LocalSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The whole suite — dev stack plus the three services from their built jars, as {@code ./windlass-local}
 * runs them — started once per test JVM on free ports, with its state under {@code target/suite-state}.
 * Stopped when the JVM exits.
 */
public final class RunningSuite {

    private static LocalSuite suite;

    private RunningSuite() {}

    /** The repository root (the services' jars are found from there). */
    public static Path root() {
        return Path.of(System.getProperty("windlass.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** The shared suite, started on first use. */
    public static synchronized LocalSuite get() {
        if (suite == null) {
            Path state = root().resolve("suite-tests/target/suite-state");
            try {
                dev.windlass.devstack.Files2.deleteRecursively(state);
                suite = LocalSuite.start(LocalSuite.Options.ephemeral(root(), state), System.out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> DevStack.bestEffort(suite, LocalSuite::close), "suite-stop"));
        }
        return suite;
    }

    /** The image the app's Deployment runs on the suite's API server. */
    public static String image(LocalSuite suite, String namespace, String app) {
        return suite.kube().deploymentImage(namespace, app);
    }
}
