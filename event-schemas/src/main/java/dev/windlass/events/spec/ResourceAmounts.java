package dev.windlass.events.spec;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** CPU and memory as Kubernetes quantities, e.g. {@code 500m} and {@code 256Mi}. */
@RegisterForReflection
public record ResourceAmounts(String cpu, String memory) {}
