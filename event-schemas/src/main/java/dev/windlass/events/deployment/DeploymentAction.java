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
    DELETE,
    /**
     * Re-apply the app's newest revision with only its image changed, as a new revision: what an image watcher (or a
     * CI pipeline that only built a new image) sends, without knowing the rest of the spec or its secret values.
     */
    UPDATE_IMAGE
}
