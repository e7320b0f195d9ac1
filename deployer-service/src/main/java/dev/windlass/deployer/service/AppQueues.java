package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One queue per app key ({@code orchestrator/namespace/app}): work for one app runs one item at a time in the
 * order it was submitted, work for different apps runs concurrently.
 */
@ApplicationScoped
public class AppQueues {

    private static final Logger LOG = Logger.getLogger(AppQueues.class);

    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final ContextRunner runner;

    public AppQueues(ContextRunner runner) {
        this.runner = runner;
    }

    /** Runs {@code work} after everything submitted before for {@code key}; a failure is logged, never passed on. */
    public void submit(String key, Supplier<Uni<Void>> work) {
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, next);
        CompletableFuture<Void> ready = previous == null ? CompletableFuture.completedFuture(null) : previous;
        ready.whenComplete((ignored, alsoIgnored) -> runner.onNewContext(work)
                .subscribe()
                .with(done -> finish(key, next), failure -> {
                    LOG.errorf(failure, "work for %s failed", key);
                    finish(key, next);
                }));
    }

    /** Whether work is queued or running for {@code key}. */
    public boolean busy(String key) {
        return tails.containsKey(key);
    }

    /** Whether no work is queued or running for any app. */
    public boolean idle() {
        return tails.isEmpty();
    }

    private void finish(String key, CompletableFuture<Void> done) {
        tails.remove(key, done);
        done.complete(null);
    }
}
