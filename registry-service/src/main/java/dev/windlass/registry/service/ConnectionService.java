package dev.windlass.registry.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.ConnectionMaterial;
import dev.windlass.registry.repository.OrchestratorRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Connection tests on request, and the periodic re-check that keeps every status fresh. */
@ApplicationScoped
public class ConnectionService {

    private static final Logger LOG = Logger.getLogger(ConnectionService.class);

    private final OrchestratorService orchestratorService;
    private final OrchestratorRepository orchestrators;
    private final ConnectionProbe probe;
    private final ConnectionRecorder recorder;
    private final Vertx vertx;
    private final ContextRunner runner;
    private final Pool pool;
    private final int concurrency;
    private volatile boolean stopping;

    public ConnectionService(
            OrchestratorService orchestratorService,
            OrchestratorRepository orchestrators,
            ConnectionProbe probe,
            ConnectionRecorder recorder,
            Vertx vertx,
            ContextRunner runner,
            Pool pool,
            RegistryConfig config) {
        this.orchestratorService = orchestratorService;
        this.orchestrators = orchestrators;
        this.probe = probe;
        this.recorder = recorder;
        this.vertx = vertx;
        this.runner = runner;
        this.pool = pool;
        this.concurrency = Math.max(1, config.connectionCheck().concurrency());
    }

    /** Tests one orchestrator now with its stored credentials, stores and audits the result. */
    public Uni<ConnectionCheck> test(UUID id, Actor actor) {
        return orchestratorService.material(id).chain(material -> check(material, actor, true));
    }

    /** Re-checks every orchestrator, a bounded number at a time. */
    @Scheduled(
            identity = "connection-recheck",
            every = "${windlass.registry.connection-check.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> recheckAll() {
        return ids().onItem()
                .transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem()
                .transformToUni(id -> runner.onNewContext(() -> recheck(id)))
                .merge(concurrency)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<List<UUID>> ids() {
        return orchestrators.allIds(pool);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private Uni<Void> recheck(UUID id) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return orchestratorService
                .material(id)
                .chain(material -> check(material, Actor.SYSTEM, false))
                .replaceWithVoid()
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithNull()
                .onFailure()
                .recoverWithUni(failure -> {
                    if (!stopping) {
                        LOG.warnf("periodic connection check of orchestrator %s failed: %s", id, failure.getMessage());
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<ConnectionCheck> check(ConnectionMaterial material, Actor actor, boolean requested) {
        // the fabric8 client blocks: run it on a worker thread; the result comes back on this context
        return vertx.executeBlocking(Uni.createFrom().item(() -> probe.check(material)), false)
                .call(check -> recorder.record(material, check, actor, requested));
    }
}
