package dev.windlass.deployer.messaging;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.repository.OutboxRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Shows the outbox rows put aside because they cannot be published: the health group {@code outbox}
 * ({@code /q/health/group/outbox}, DOWN while any row is quarantined, with their number) and the gauge
 * {@code windlass.outbox.quarantined} at {@code /q/metrics}. Neither readiness nor liveness depends on it: a quarantined
 * row needs an operator, not a restart, and the service keeps publishing everything else.
 */
@ApplicationScoped
public class OutboxQuarantine {

    /** The health group's name. */
    public static final String GROUP = "outbox";

    private static final Logger LOG = Logger.getLogger(OutboxQuarantine.class);
    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final OutboxRepository repository;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final AtomicLong quarantined = new AtomicLong();
    private long timer;

    public OutboxQuarantine(OutboxRepository repository, ContextRunner runner, Vertx vertx, MeterRegistry meters) {
        this.repository = repository;
        this.runner = runner;
        this.vertx = vertx;
        Gauge.builder("windlass.outbox.quarantined", quarantined, AtomicLong::get)
                .description("Outbox rows quarantined because they cannot be published")
                .register(meters);
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(1, REFRESH.toMillis(), ignored -> refresh());
    }

    void stop(@Observes ShutdownEvent stop) {
        vertx.cancelTimer(timer);
    }

    /** Counts the quarantined rows again (after the relay quarantined one, and every 30 s). */
    void refresh() {
        count().subscribe()
                .with(ignored -> {}, failure -> LOG.debugf("quarantined rows not counted: %s", failure.getMessage()));
    }

    /** The health check of the {@value #GROUP} group: DOWN while any row is quarantined. */
    @ApplicationScoped
    @HealthGroup(GROUP)
    public static class Check implements AsyncHealthCheck {

        private final OutboxQuarantine quarantine;

        public Check(OutboxQuarantine quarantine) {
            this.quarantine = quarantine;
        }

        @Override
        public Uni<HealthCheckResponse> call() {
            return quarantine
                    .count()
                    .map(rows -> HealthCheckResponse.named("Outbox rows that cannot be published")
                            .status(rows == 0)
                            .withData("quarantined", rows)
                            .build());
        }
    }

    /** The number of quarantined rows, counted now. */
    Uni<Long> count() {
        return runner.onNewContext(() -> Panache.withSession(repository::quarantined))
                .invoke(quarantined::set);
    }
}
