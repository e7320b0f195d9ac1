package dev.windlass.events.spec;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a probe checks the container. */
@RegisterForReflection
public enum ProbeType {
    /** HTTP GET; a status from 200 to 399 passes. Needs a {@code path}. */
    HTTP,
    /** TCP connect; an accepted connection passes. Takes no {@code path}. */
    TCP
}
