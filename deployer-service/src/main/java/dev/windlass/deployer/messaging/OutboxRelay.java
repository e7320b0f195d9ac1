package dev.windlass.deployer.messaging;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.OutboxRecord;
import dev.windlass.deployer.repository.OutboxRepository;
import dev.windlass.deployer.service.Outbox;
import dev.windlass.deployer.service.OutboxSignal;
import dev.windlass.events.Channels;
import dev.windlass.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox. One replica at a time is the publisher (a PostgreSQL advisory lock held by the relay's
 * transaction, plain statements on the reactive client), so replicas never publish the same row in normal operation. Rows go out oldest first: one record
 * after the other per key, keys side by side; a row is deleted only once the broker acknowledged it, so during a
 * broker outage rows simply wait, and the first failure of a key holds back that key's later rows.
 *
 * <p>A row that fails for a reason waiting will not cure ({@link OutboxFailures}: its payload does not open, the
 * broker refuses the record itself) counts an attempt and waits, doubling, before it is tried again; rows of other keys
 * go out meanwhile, and after {@code windlass.deployer.outbox.max-attempts} the row is quarantined and never read
 * again (the {@code outbox} health group and the {@code windlass.outbox.quarantined} gauge show it).
 *
 * <p>A run starts as soon as a transaction of this replica that wrote outbox rows has committed ({@link
 * OutboxSignal}); the poll every {@code windlass.deployer.outbox.poll-interval} is the fallback for rows a run left
 * (a broker outage, a failed run, leadership held by another replica, rows written by another replica).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Keys published side by side; well below the emitters' buffers, so a send never overflows them. */
    private static final int KEYS_IN_FLIGHT = 16;

    /** Longest wait between two attempts of a row that failed. */
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final OutboxRepository repository;
    private final Pool pool;
    private final Outbox outbox;
    private final ContextRunner runner;
    private final DeployerConfig.Outbox config;
    private final Map<String, MutinyEmitter<byte[]>> emitters;
    private final Vertx vertx;
    private final OutboxSignal signal;
    private final OutboxQuarantine quarantined;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private long timer;
    private volatile boolean stopping;

    public OutboxRelay(
            OutboxRepository repository,
            Pool pool,
            Outbox outbox,
            ContextRunner runner,
            Vertx vertx,
            DeployerConfig config,
            OutboxSignal signal,
            OutboxQuarantine quarantined,
            @Channel(Channels.DEPLOY_REQUESTS_OUT) MutinyEmitter<byte[]> requests,
            @Channel(Channels.DEPLOY_STATUS_OUT) MutinyEmitter<byte[]> statuses,
            @Channel(Channels.DEPLOY_REQUESTS_DLQ_OUT) MutinyEmitter<byte[]> deadLetters,
            @Channel(Channels.APP_HEALTH_OUT) MutinyEmitter<byte[]> health) {
        this.repository = repository;
        this.pool = pool;
        this.outbox = outbox;
        this.runner = runner;
        this.vertx = vertx;
        this.config = config.outbox();
        this.signal = signal;
        this.quarantined = quarantined;
        this.emitters = Map.of(
                Topics.DEPLOY_REQUESTS, requests,
                Topics.DEPLOY_STATUS, statuses,
                Topics.DEPLOY_REQUESTS_DLQ, deadLetters,
                Topics.APP_HEALTH, health);
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), ignored -> poll());
        signal.listen(this::poll);
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
        vertx.cancelTimer(timer);
    }

    /**
     * Starts a relay run, or, while one is going on, makes sure another follows right after it (the rows that woke
     * the relay may have committed after the running one read the outbox). Runs never overlap.
     */
    void poll() {
        again.set(true);
        if (stopping || !running.compareAndSet(false, true)) {
            return;
        }
        run();
    }

    private void run() {
        again.set(false);
        runner.onNewContext(this::publishBatch)
                .subscribe()
                .with(
                        published -> {
                            if (published >= config.batchSize()) {
                                // a full batch: more rows may be waiting
                                again.set(true);
                            }
                            finished();
                        },
                        failure -> {
                            if (!stopping) {
                                LOG.warnf(
                                        "outbox relay run failed, the next run tries again: %s", failure.getMessage());
                            }
                            finished();
                        });
    }

    private void finished() {
        running.set(false);
        if (again.get() && !stopping && running.compareAndSet(false, true)) {
            run();
        }
    }

    /** One relay run: publishes up to a batch of rows if this replica leads; the number of rows published. */
    public Uni<Integer> publishBatch() {
        Context context = Vertx.currentContext();
        return pool.withTransaction(connection -> repository
                .tryLeadRelay(connection)
                .flatMap(leads -> {
                    if (!leads) {
                        return Uni.createFrom().item(0);
                    }
                    return repository
                            .publishable(connection, config.batchSize(), Instant.now())
                            .flatMap(rows -> {
                                if (rows.isEmpty()) {
                                    return Uni.createFrom().item(0);
                                }
                                return Multi.createFrom()
                                        .iterable(byKey(rows))
                                        .onItem()
                                        .transformToUni(this::publishInOrder)
                                        .merge(KEYS_IN_FLIGHT)
                                        .collect()
                                        .asList()
                                        .emitOn(command -> context.runOnContext(ignored -> command.run()))
                                        .flatMap(outcomes -> record(connection, outcomes));
                            });
                }));
    }

    /** Deletes the published rows and counts the attempts of rows that failed for good; the number published. */
    private Uni<Integer> record(SqlConnection connection, List<KeyOutcome> outcomes) {
        List<Long> published = new ArrayList<>();
        outcomes.forEach(outcome -> published.addAll(outcome.published()));
        Uni<Integer> chain = repository.deleteIds(connection, published).replaceWith(published.size());
        Instant now = Instant.now();
        for (KeyOutcome outcome : outcomes) {
            if (outcome.unpublishable() == null) {
                continue;
            }
            OutboxRecord row = outcome.unpublishable();
            boolean quarantine = row.attempts + 1 >= config.maxAttempts();
            String error = OutboxFailures.describe(outcome.failure());
            if (quarantine) {
                LOG.errorf(
                        "outbox row %d (%s, event %s) quarantined after %d failed attempts: %s",
                        row.id, row.topic, row.eventId, row.attempts + 1, error);
            }
            chain = chain.call(() ->
                    repository.failed(connection, row.id, error, now.plus(backoff(row.attempts)), quarantine, now));
            if (quarantine) {
                chain = chain.invoke(quarantined::refresh);
            }
        }
        return chain;
    }

    /** The wait after attempt {@code attempts} + 1 failed: the configured backoff doubled per earlier attempt. */
    private Duration backoff(int attempts) {
        Duration wait = config.retryBackoff().multipliedBy(1L << Math.min(attempts, 16));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /**
     * Publishes a key's rows one after the other, stopping at the first failure: the ids acknowledged before it, and
     * the failed row when waiting for the broker will not help it.
     */
    private Uni<KeyOutcome> publishInOrder(List<OutboxRecord> rows) {
        List<Long> published = new ArrayList<>();
        OutboxRecord[] failed = new OutboxRecord[1];
        return Multi.createFrom()
                .iterable(rows)
                .onItem()
                .transformToUniAndConcatenate(row -> {
                    failed[0] = row;
                    return send(row).replaceWith(row.id).invoke(published::add);
                })
                .collect()
                .last()
                .map(ignored -> new KeyOutcome(published, null, null))
                .onFailure()
                .recoverWithItem(failure -> {
                    if (OutboxFailures.permanent(failure)) {
                        LOG.warnf(
                                "outbox row %d cannot be published to %s: %s",
                                failed[0].id, failed[0].topic, OutboxFailures.describe(failure));
                        return new KeyOutcome(published, failed[0], failure);
                    }
                    LOG.warnf("could not publish to %s, will retry: %s", rows.get(0).topic, failure.getMessage());
                    return new KeyOutcome(published, null, null);
                });
    }

    /** What a key's rows came to in one run. */
    private record KeyOutcome(List<Long> published, OutboxRecord unpublishable, Throwable failure) {}

    private Uni<Void> send(OutboxRecord row) {
        MutinyEmitter<byte[]> emitter = emitters.get(row.topic);
        if (emitter == null) {
            return Uni.createFrom().failure(new OutboxFailures.Unpublishable("no channel publishes to " + row.topic));
        }
        Message<byte[]> message;
        try {
            message = KafkaMessages.of(row.recordKey, Outbox.headers(row), outbox.payload(row));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(new OutboxFailures.Unpublishable("the row does not open", e));
        }
        Duration timeout = config.sendTimeout();
        return emitter.sendMessage(message).ifNoItem().after(timeout).fail();
    }

    private static Collection<List<OutboxRecord>> byKey(List<OutboxRecord> rows) {
        Map<String, List<OutboxRecord>> groups = new LinkedHashMap<>();
        for (OutboxRecord row : rows) {
            String key = row.topic + "|"
                    + (row.recordKey == null ? "" : Base64.getEncoder().encodeToString(row.recordKey));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        return groups.values();
    }
}
