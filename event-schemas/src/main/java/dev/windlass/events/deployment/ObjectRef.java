package dev.windlass.events.deployment;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One Kubernetes object by kind, namespace (absent for cluster-scoped objects) and name. */
@RegisterForReflection
public record ObjectRef(
        @Required String kind, String namespace, @Required String name) {}
