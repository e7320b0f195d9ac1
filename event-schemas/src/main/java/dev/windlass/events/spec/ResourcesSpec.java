package dev.windlass.events.spec;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Container resource requests and limits; each amount is optional, a request never exceeds its limit. */
@RegisterForReflection
public record ResourcesSpec(ResourceAmounts requests, ResourceAmounts limits) {}
