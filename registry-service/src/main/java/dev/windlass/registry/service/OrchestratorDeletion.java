package dev.windlass.registry.service;

import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.Orchestrator;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Deleting an orchestrator never orphans its apps silently: the deployer is asked which apps it still has, and with
 * any, the deletion is refused naming them unless the request says what becomes of them — {@code undeploy} (every app
 * is undeployed, then the orchestrator is deleted; an undeploy that fails stops it, with the reason) or {@code orphan}
 * (the apps keep running and are forgotten; the audit entry lists them). While the deployer cannot be asked, nothing
 * is deleted.
 */
@ApplicationScoped
public class OrchestratorDeletion {

    private static final Logger LOG = Logger.getLogger(OrchestratorDeletion.class);

    /** What the request says becomes of the apps. */
    public enum Cascade {
        /** Nothing: an orchestrator with apps is not deleted. */
        NONE,
        /** Undeploy every app, then delete. */
        UNDEPLOY,
        /** Leave the apps running and forget them. */
        ORPHAN;

        /** The query parameter's value; a value that is none of them is a 400 naming {@code cascade}. */
        public static Cascade of(String value) {
            if (value == null || value.isBlank()) {
                return NONE;
            }
            try {
                Cascade cascade = valueOf(value.strip().toUpperCase(Locale.ROOT));
                if (cascade != NONE) {
                    return cascade;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new ValidationFailedException(
                    List.of(new Violation("cascade", "one-of", "cascade must be undeploy or orphan")));
        }
    }

    /** What a deletion did: deleted at once, or the apps whose undeploy it waits for. */
    public record Outcome(boolean deleted, List<OrchestratorApp> undeploying) {}

    private final OrchestratorService orchestrators;
    private final DeployerClient deployer;

    public OrchestratorDeletion(OrchestratorService orchestrators, @RestClient DeployerClient deployer) {
        this.orchestrators = orchestrators;
        this.deployer = deployer;
    }

    /** Deletes the orchestrator, or starts undeploying its apps first; see the class comment. */
    public Uni<Outcome> delete(UUID id, Long expectedVersion, Actor actor, Cascade cascade) {
        return orchestrators
                .get(id)
                .flatMap(o -> apps(o).flatMap(apps -> {
                    if (apps.isEmpty()) {
                        return orchestrators
                                .delete(id, expectedVersion, actor)
                                .replaceWith(new Outcome(true, List.of()));
                    }
                    return switch (cascade) {
                        case NONE -> Uni.createFrom().failure(new OrchestratorHasAppsException(o.getName(), apps));
                        case ORPHAN ->
                            orchestrators
                                    .delete(id, expectedVersion, actor, "left running and forgotten: " + list(apps))
                                    .replaceWith(new Outcome(true, List.of()));
                        case UNDEPLOY ->
                            orchestrators
                                    .requestDeletion(id, expectedVersion, actor, "undeploying first: " + list(apps))
                                    .chain(() -> deployer.undeployAll(id, o.getName())
                                            .onFailure()
                                            .transform(OrchestratorDeletion::unavailable))
                                    .map(undeploys -> new Outcome(false, undeploys));
                    };
                }));
    }

    /**
     * Looks at every deletion under way: an orchestrator without apps is deleted (on behalf of whoever asked), one
     * whose undeploy failed stops with the reason, an app deployed after the deletion began is undeployed too, the
     * others go on waiting.
     */
    @Scheduled(
            identity = "orchestrator-deletions",
            every = "${windlass.registry.deletion.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return advance().onFailure().recoverWithUni(failure -> {
            LOG.warnf("looking at the deletions under way failed: %s", failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** One look at the deletions under way. */
    public Uni<Void> advance() {
        return orchestrators
                .deletionsUnderWay()
                .flatMap(under -> Multi.createFrom()
                        .iterable(under)
                        .onItem()
                        .transformToUniAndConcatenate(this::advance)
                        .collect()
                        .asList()
                        .replaceWithVoid());
    }

    private Uni<Void> advance(Orchestrator o) {
        return apps(o).flatMap(apps -> {
            if (apps.isEmpty()) {
                return orchestrators.delete(
                        o.getId(), null, o.getDeletionRequestedBy(), "after its apps were undeployed");
            }
            List<OrchestratorApp> failed =
                    apps.stream().filter(OrchestratorApp::undeployFailed).toList();
            if (!failed.isEmpty()) {
                String reason = failed.stream()
                        .map(app -> "the undeploy of " + app.path() + " failed: " + app.message())
                        .collect(Collectors.joining("; "));
                return orchestrators.stopDeletion(o.getId(), reason);
            }
            if (apps.stream().anyMatch(app -> !"DELETE".equals(app.action()))) {
                // deployed after the deletion began: undeployed too (the deployer keeps undeploys under way)
                return deployer.undeployAll(o.getId(), o.getName())
                        .onFailure()
                        .transform(OrchestratorDeletion::unavailable)
                        .replaceWithVoid();
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<List<OrchestratorApp>> apps(Orchestrator o) {
        return deployer.apps(o.getId(), o.getName()).onFailure().transform(OrchestratorDeletion::unavailable);
    }

    private static Throwable unavailable(Throwable failure) {
        return failure instanceof DeployerUnavailableException
                ? failure
                : new DeployerUnavailableException(
                        "the deployer cannot say which apps the orchestrator has ("
                                + failure.getClass().getSimpleName() + "); nothing was deleted, try again shortly",
                        failure);
    }

    /** The apps as people read them: {@code ns/app, ns/app}. */
    static String list(List<OrchestratorApp> apps) {
        return apps.stream().map(OrchestratorApp::path).collect(Collectors.joining(", "));
    }
}
