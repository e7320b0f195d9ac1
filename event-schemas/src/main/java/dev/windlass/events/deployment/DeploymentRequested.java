package dev.windlass.events.deployment;

import dev.windlass.events.Actor;
import dev.windlass.events.Required;
import dev.windlass.events.spec.AppSpec;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * Asks the deployer to apply, roll back, update the image of or delete one app on one orchestrator.
 *
 * <p>{@code spec} is present exactly for {@link DeploymentAction#APPLY} (and its name equals {@code app});
 * {@code targetRevision} exactly for {@link DeploymentAction#ROLLBACK}; {@code image} exactly for
 * {@link DeploymentAction#UPDATE_IMAGE}; {@code reason}, when Windlass made the request on its own, says why (an
 * image update policy's name). The spec may carry secret
 * environment values, so the record is never logged with anything but its own {@link #toString()}.
 */
@RegisterForReflection
public record DeploymentRequested(
        @Required UUID deploymentId,
        @Required DeploymentAction action,
        @Required String orchestrator,
        @Required String namespace,
        @Required String app,
        AppSpec spec,
        Integer targetRevision,
        String image,
        @Required Actor requestedBy,
        @Required Instant requestedAt,
        String reason) {

    /** Longest {@code reason}. */
    public static final int MAX_REASON_LENGTH = 256;

    /** A request with no reason given. */
    public DeploymentRequested(
            UUID deploymentId,
            DeploymentAction action,
            String orchestrator,
            String namespace,
            String app,
            AppSpec spec,
            Integer targetRevision,
            String image,
            Actor requestedBy,
            Instant requestedAt) {
        this(
                deploymentId,
                action,
                orchestrator,
                namespace,
                app,
                spec,
                targetRevision,
                image,
                requestedBy,
                requestedAt,
                null);
    }

    /** A request to apply {@code spec} as app {@code spec.name()}. */
    public static DeploymentRequested apply(
            UUID deploymentId, String orchestrator, String namespace, AppSpec spec, Actor by, Instant at) {
        return new DeploymentRequested(
                deploymentId, DeploymentAction.APPLY, orchestrator, namespace, spec.name(), spec, null, null, by, at);
    }

    /** A request to roll {@code app} back to an earlier revision. */
    public static DeploymentRequested rollback(
            UUID deploymentId,
            String orchestrator,
            String namespace,
            String app,
            int targetRevision,
            Actor by,
            Instant at) {
        return new DeploymentRequested(
                deploymentId,
                DeploymentAction.ROLLBACK,
                orchestrator,
                namespace,
                app,
                null,
                targetRevision,
                null,
                by,
                at);
    }

    /** A request to apply {@code app}'s newest revision again with {@code image} instead of its image. */
    public static DeploymentRequested updateImage(
            UUID deploymentId, String orchestrator, String namespace, String app, String image, Actor by, Instant at) {
        return new DeploymentRequested(
                deploymentId, DeploymentAction.UPDATE_IMAGE, orchestrator, namespace, app, null, null, image, by, at);
    }

    /** A request to remove every object of {@code app}. */
    public static DeploymentRequested delete(
            UUID deploymentId, String orchestrator, String namespace, String app, Actor by, Instant at) {
        return new DeploymentRequested(
                deploymentId, DeploymentAction.DELETE, orchestrator, namespace, app, null, null, null, by, at);
    }
}
