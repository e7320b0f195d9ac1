package dev.windlass.deployer.messaging;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.repository.OutboxRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * How far the outbox relay is behind, at {@code /q/metrics}: {@code windlass_outbox_backlog} (rows written and not yet
 * published, quarantined ones left out — those are {@code windlass_outbox_quarantined}) and
 * {@code windlass_outbox_oldest_age_seconds} (how long the oldest of them has waited, 0 when none). One query every
 * {@value #REFRESH_SECONDS} s; the age is computed when read, so it grows between queries as it does in the table.
 */
@ApplicationScoped
public class OutboxBacklog {

    static final int REFRESH_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

    private final OutboxRepository repository;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final AtomicReference<OutboxRepository.Backlog> last =
            new AtomicReference<>(new OutboxRepository.Backlog(0, null));
    private long timer;

    public OutboxBacklog(OutboxRepository repository, ContextRunner runner, Vertx vertx, MeterRegistry meters) {
        this.repository = repository;
        this.runner = runner;
        this.vertx = vertx;
        Gauge.builder("windlass.outbox.backlog", last, l -> l.get().rows())
                .description("Outbox rows written and not yet published (quarantined rows left out)")
                .register(meters);
        Gauge.builder("windlass.outbox.oldest.age", last, l -> ageSeconds(l.get(), Instant.now()))
                .description("How long the oldest outbox row waiting to be published has waited")
                .baseUnit("seconds")
                .register(meters);
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(1, Duration.ofSeconds(REFRESH_SECONDS).toMillis(), ignored -> refresh());
    }

    void stop(@Observes ShutdownEvent stop) {
        vertx.cancelTimer(timer);
    }

    /** Reads the backlog again. */
    void refresh() {
        runner.onNewContext(() -> Panache.withSession(repository::backlog))
                .subscribe()
                .with(last::set, failure -> LOG.debugf("outbox backlog not read: %s", failure.getMessage()));
    }

    static double ageSeconds(OutboxRepository.Backlog backlog, Instant now) {
        if (backlog.rows() == 0 || backlog.oldest() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(backlog.oldest(), now).toMillis() / 1000.0);
    }
}
