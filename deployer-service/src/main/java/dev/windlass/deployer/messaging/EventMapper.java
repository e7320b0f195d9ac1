package dev.windlass.deployer.messaging;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.events.Actor;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import java.time.Instant;
import java.util.List;

/** The one place where stored deployments become event payloads. */
public final class EventMapper {

    private EventMapper() {}

    /** The request event of a stored deployment; {@code spec} only for APPLY, its image only for UPDATE_IMAGE. */
    public static DeploymentRequested request(Deployment d, AppSpec spec) {
        return new DeploymentRequested(
                d.id,
                d.action,
                // by id: the request still finds its orchestrator if it is renamed before the intake reads it
                AppRef.of(d).orchestratorRef(),
                d.namespace,
                d.app,
                spec,
                d.targetRevision,
                d.image,
                new Actor(d.requestedBySubject, d.requestedByUsername),
                d.requestedAt,
                d.reason);
    }

    /** The status event announcing that the deployment entered {@code phase}. */
    public static DeploymentStatusChanged status(
            Deployment d, DeploymentPhase phase, String message, List<ObjectRef> objects, Instant at) {
        return new DeploymentStatusChanged(
                d.id, d.orchestrator, d.namespace, d.app, phase, message, d.revision, objects, at, d.orchestratorId);
    }
}
