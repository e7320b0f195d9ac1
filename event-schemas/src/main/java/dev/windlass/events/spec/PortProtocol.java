package dev.windlass.events.spec;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Transport protocol of a port. */
@RegisterForReflection
public enum PortProtocol {
    TCP,
    UDP
}
