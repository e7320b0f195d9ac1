package dev.windlass.deployer.service;

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
 */
@ApplicationScoped
public class PhaseStream {

    private final QueryService queries;
    private final ContextRunner runner;
    private final Duration interval;

    public PhaseStream(QueryService queries, ContextRunner runner, DeployerConfig config) {
        this.queries = queries;
        this.runner = runner;
        this.interval = config.api().streamPollInterval();
    }

    /** The phases of the deployment; fails with {@link NotFoundException} when there is no such deployment. */
    public Multi<PhaseEntry> of(UUID id) {
        AtomicLong lastSeen = new AtomicLong(0);
        return runner.onNewContext(() -> queries.existsById(id)).onItem().transformToMulti(found -> {
            if (!found) {
                return Multi.createFrom().failure(new NotFoundException("no deployment has id " + id));
            }
            return Multi.createBy()
                    .repeating()
                    .uni(() -> runner.onNewContext(() -> queries.since(id, lastSeen.get())))
                    .withDelay(interval)
                    .whilst(batch -> batch.stream().noneMatch(entry -> entry.phase.isFinal()))
                    .onItem()
                    .transformToIterable(batch -> upToFinal(batch, lastSeen));
        });
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
