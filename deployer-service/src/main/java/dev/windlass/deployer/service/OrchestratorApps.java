package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.events.deployment.DeploymentAction;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The apps an orchestrator still has, for the registry, which refuses to forget an orchestrator with apps unless told
 * to undeploy them first or to leave them running: what each app's latest deployment is, and undeploying them all.
 */
@ApplicationScoped
public class OrchestratorApps {

    /** Who asks for the undeploys of an orchestrator's deletion, as deployments record it. */
    public static final Caller DELETION = new Caller("windlass-registry", "orchestrator deletion", Set.of(), true);

    private final DeploymentRepository deployments;
    private final RequestService requests;
    private final ContextRunner runner;

    public OrchestratorApps(DeploymentRepository deployments, RequestService requests, ContextRunner runner) {
        this.deployments = deployments;
        this.requests = requests;
        this.runner = runner;
    }

    /** The latest deployment of each app on the orchestrator that may still have objects there. */
    @WithSession
    public Uni<List<Deployment>> live(UUID orchestratorId, String orchestratorName) {
        return deployments.liveApps(orchestratorId, orchestratorName);
    }

    /**
     * Asks to undeploy every app the orchestrator still has (an app whose undeploy is already under way keeps it);
     * the undeploy deployment of each.
     */
    public Uni<List<Deployment>> undeployAll(UUID orchestratorId, String orchestratorName) {
        return runner.onNewContext(() -> live(orchestratorId, orchestratorName))
                .flatMap(apps -> Multi.createFrom()
                        .iterable(apps)
                        .onItem()
                        .transformToUniAndConcatenate(latest -> undeploying(latest)
                                ? Uni.createFrom().item(latest)
                                : requests.undeploy(
                                                DELETION, orchestratorId.toString(), latest.namespace, latest.app, null)
                                        .map(RequestService.Submitted::deployment))
                        .collect()
                        .asList());
    }

    private static boolean undeploying(Deployment latest) {
        return latest.action == DeploymentAction.DELETE && !latest.phase.isFinal();
    }
}
