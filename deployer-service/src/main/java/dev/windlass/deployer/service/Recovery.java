package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.service.Transitions.Tracked;
import dev.windlass.events.deployment.DeploymentPhase;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Picks up, at startup, the work a stop cut short: accepted deployments go back into their app's queue (in the
 * order they were requested), progressing ones are tracked again with what is left of their deadline.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);
    private static final int RESOLVE_ATTEMPTS = 10;

    private final Transitions transitions;
    private final DeploymentPipeline pipeline;
    private final RolloutTracker tracker;
    private final ConnectionCache connections;
    private final ContextRunner runner;

    public Recovery(
            Transitions transitions,
            DeploymentPipeline pipeline,
            RolloutTracker tracker,
            ConnectionCache connections,
            ContextRunner runner) {
        this.transitions = transitions;
        this.pipeline = pipeline;
        this.tracker = tracker;
        this.connections = connections;
        this.runner = runner;
    }

    void onStart(@Observes StartupEvent start) {
        resume().subscribe()
                .with(
                        count -> LOG.infof("resumed %d unfinished deployment(s)", count),
                        failure -> LOG.error("could not resume unfinished deployments", failure));
    }

    /** Re-queues accepted deployments and re-tracks progressing ones; the number of deployments picked up. */
    public Uni<Integer> resume() {
        return runner.onNewContext(transitions::unfinished)
                .flatMap(unfinished -> Multi.createFrom()
                        .iterable(unfinished)
                        .onItem()
                        .transformToUniAndConcatenate(this::resume)
                        .collect()
                        .asList()
                        .map(List::size));
    }

    private Uni<Deployment> resume(Deployment d) {
        if (d.phase != DeploymentState.PROGRESSING) {
            pipeline.enqueue(d.orchestrator, d.namespace, d.app, d.id);
            return Uni.createFrom().item(d);
        }
        if (tracker.watching().contains(d.id)) {
            return Uni.createFrom().item(d);
        }
        return Uni.createFrom()
                .deferred(() -> connections.get(d.orchestrator))
                .onFailure(RegistryUnavailableException.class)
                .retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .atMost(RESOLVE_ATTEMPTS)
                .invoke(connection -> tracker.track(Tracked.of(d), connection))
                .replaceWith(d)
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithUni(e -> runner.onNewContext(() -> transitions.move(
                        d.id, Set.of(DeploymentState.PROGRESSING), DeploymentPhase.FAILED, e.getMessage(), List.of())))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.errorf(failure, "could not resume tracking deployment %s; it stays PROGRESSING", d.id);
                    return d;
                });
    }
}
