package dev.windlass.deployer.service;

import dev.windlass.common.stream.StreamSlots;
import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.PhaseEntry;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deployment's phases as a stream: those recorded so far, then new ones as they are recorded, ending after a
 * final phase. New phases are looked up in the database every {@code windlass.deployer.api.stream-poll-interval},
 * so the stream shows what any replica recorded.
 *
 * <p>Streams are bounded: one caller (by subject) may hold {@code windlass.deployer.api.max-streams-per-caller} open
 * at once on a replica (another one is refused with 429), and a stream ends after {@code
 * windlass.deployer.api.max-stream-age} even while its deployment is unfinished; a client that reconnects (an
 * {@code EventSource} does so by itself) gets the phases recorded so far again, so none is lost.
 */
@ApplicationScoped
public class PhaseStream {

    /** Longest wait for the lookup that decides whether the caller may follow a deployment. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final QueryService queries;
    private final ContextRunner runner;
    private final StreamSlots slots;
    private final Duration interval;
    private final Duration maxAge;

    public PhaseStream(QueryService queries, ContextRunner runner, StreamSlots slots, DeployerConfig config) {
        this.queries = queries;
        this.runner = runner;
        this.slots = slots;
        this.interval = config.api().streamPollInterval();
        this.maxAge = config.api().maxStreamAge();
    }

    /**
     * The phases of the deployment, streamed to {@code caller}; fails with {@link NotFoundException} when there is no
     * such deployment or the caller may not read it, and with {@link dev.windlass.common.stream.TooManyStreamsException} when the caller has its
     * most streams open. Both are decided before the stream exists, so they reach the caller as an honest status:
     * an event-stream response is committed (200) before its first item, and a stream failed after that just hangs
     * its client. The lookup waits for the database, so this runs on a worker thread.
     */
    public Multi<PhaseEntry> of(UUID id, Caller caller) {
        boolean readable = runner.onNewContext(() -> queries.readableById(caller, id))
                .await()
                .atMost(LOOKUP_TIMEOUT);
        if (!readable) {
            throw new NotFoundException("no deployment has id " + id);
        }
        Runnable release = slots.acquire(caller.subject());
        return phases(id).select().first(maxAge).onTermination().invoke(release);
    }

    private Multi<PhaseEntry> phases(UUID id) {
        AtomicLong lastSeen = new AtomicLong(0);
        return Multi.createBy()
                .repeating()
                .uni(() -> runner.onNewContext(() -> queries.since(id, lastSeen.get())))
                .withDelay(interval)
                .whilst(batch -> batch.stream().noneMatch(entry -> entry.phase.isFinal()))
                .onItem()
                .transformToIterable(batch -> upToFinal(batch, lastSeen));
    }

    private static List<PhaseEntry> upToFinal(List<PhaseEntry> batch, AtomicLong lastSeen) {
        List<PhaseEntry> out = new ArrayList<>();
        for (PhaseEntry entry : batch) {
            lastSeen.set(entry.id);
            out.add(entry);
            if (entry.phase.isFinal()) {
                break;
            }
        }
        return out;
    }
}
