package dev.windlass.events.deployment;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a deploy request asks for. */
@RegisterForReflection
public enum DeploymentAction {
    /** Create or update the app's objects from the request's spec, as a new revision. */
    APPLY,
    /** Re-apply the spec of an earlier revision, as a new revision. */
    ROLLBACK,
    /** Remove every object the app owns. */
    DELETE
}
