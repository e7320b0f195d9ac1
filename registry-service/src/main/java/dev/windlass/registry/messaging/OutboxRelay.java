package dev.windlass.registry.messaging;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.OutboxEvent;
import dev.windlass.registry.repository.OutboxRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Relays outbox rows to Kafka, oldest first. One replica at a time relays (a transaction-scoped PostgreSQL advisory
 * lock; the rows are also locked with {@code FOR UPDATE SKIP LOCKED}), and a row is marked published only after the
 * broker acknowledged it, in the same transaction. At-least-once: a crash between acknowledgement and commit
 * publishes a row again, so consumers dedupe by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final KafkaEventPublisher publisher;
    private final Vertx vertx;
    private final int batchSize;
    private final Duration retention;
    private final ContextRunner runner;
    private final Pool pool;
    private final AtomicBoolean nudgedPassRunning = new AtomicBoolean();
    private final AtomicBoolean nudgedAgain = new AtomicBoolean();
    private volatile boolean failing;

    public OutboxRelay(
            OutboxRepository outbox,
            KafkaEventPublisher publisher,
            Vertx vertx,
            ContextRunner runner,
            Pool pool,
            RegistryConfig config) {
        this.outbox = outbox;
        this.pool = pool;
        this.publisher = publisher;
        this.vertx = vertx;
        this.runner = runner;
        this.batchSize = config.outbox().batchSize();
        this.retention = config.outbox().retention();
    }

    @Scheduled(
            identity = "outbox-relay",
            every = "${windlass.registry.outbox.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return relayOnce().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            LOG.warnf("outbox relay pass failed: %s", failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    @Scheduled(identity = "outbox-purge", every = "1h", delayed = "1m")
    Uni<Void> purge() {
        return pool.withTransaction(
                        tx -> outbox.purgePublishedBefore(tx, Instant.now().minus(retention)))
                .replaceWithVoid();
    }

    /**
     * Runs a pass now, on a context of its own (a change just committed); nudges while one runs make one more pass
     * after it. A pass that finds another replica's or the scheduled pass under way leaves the rows to them.
     */
    public void nudge() {
        nudgedAgain.set(true);
        if (nudgedPassRunning.compareAndSet(false, true)) {
            nudgedPass();
        }
    }

    private void nudgedPass() {
        nudgedAgain.set(false);
        runner.onNewContext(this::relayOnce).subscribe().with(published -> afterNudgedPass(), failure -> {
            LOG.debugf("a relay pass after a change failed (the scheduled pass retries): %s", failure.getMessage());
            afterNudgedPass();
        });
    }

    private void afterNudgedPass() {
        nudgedPassRunning.set(false);
        if (nudgedAgain.get() && nudgedPassRunning.compareAndSet(false, true)) {
            nudgedPass();
        }
    }

    /** One pass: publishes up to a batch of unpublished rows; returns how many were published. */
    public Uni<Integer> relayOnce() {
        return pool.withTransaction(tx -> outbox.tryRelayLock(tx)
                .chain(leader ->
                        leader ? outbox.lockUnpublished(tx, batchSize).chain(rows -> publish(tx, rows)) : none()));
    }

    private Uni<Integer> publish(SqlClient tx, List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return none();
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> publisher.publish(rows)), false)
                .chain(acknowledged -> {
                    report(rows.size(), acknowledged);
                    return outbox.markPublished(tx, acknowledged, Instant.now()).replaceWith(acknowledged.size());
                });
    }

    private void report(int attempted, List<UUID> acknowledged) {
        if (acknowledged.size() < attempted) {
            if (!failing) {
                LOG.warnf(
                        "Kafka did not acknowledge %d of %d events; they stay in the outbox and are retried",
                        attempted - acknowledged.size(), attempted);
            }
            failing = true;
        } else if (failing) {
            LOG.infof("Kafka acknowledges events again; the outbox is draining");
            failing = false;
        }
    }

    /** Whether the latest pass left events unacknowledged (the broker is away); they are retried. */
    public boolean isFailing() {
        return failing;
    }

    private static Uni<Integer> none() {

        return Uni.createFrom().item(0);
    }
}
