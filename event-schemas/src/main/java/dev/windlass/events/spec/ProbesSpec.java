package dev.windlass.events.spec;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Liveness and readiness probes; either may be absent. */
@RegisterForReflection
public record ProbesSpec(ProbeSpec liveness, ProbeSpec readiness) {}
