package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.repository.ProcessedEventRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Hourly clean-up: consumed event ids older than their retention are forgotten. */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final Duration EVERY = Duration.ofHours(1);

    private final ProcessedEventRepository processed;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final Duration retention;
    private long timer;

    public Housekeeping(ProcessedEventRepository processed, ContextRunner runner, Vertx vertx, DeployerConfig config) {
        this.processed = processed;
        this.runner = runner;
        this.vertx = vertx;
        this.retention = config.processedEventsRetention();
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(
                EVERY.toMillis(),
                ignored -> runner.onNewContext(this::forgetOldEventIds)
                        .subscribe()
                        .with(
                                count -> LOG.debugf("forgot %d processed event id(s)", count),
                                failure -> LOG.warnf("could not forget old event ids: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent stop) {
        vertx.cancelTimer(timer);
    }

    /** Forgets the event ids processed longer ago than the retention; the number forgotten. */
    @WithTransaction
    public Uni<Long> forgetOldEventIds() {
        return processed.deleteBefore(Instant.now().minus(retention));
    }
}
