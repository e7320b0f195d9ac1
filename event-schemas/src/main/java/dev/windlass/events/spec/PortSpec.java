package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A container port and how it is exposed; {@code protocol} defaults to TCP, {@code exposure} to CLUSTER. */
@RegisterForReflection
public record PortSpec(
        @Required String name,
        @Required Integer containerPort,
        PortProtocol protocol,
        Exposure exposure,
        Integer nodePort) {

    public PortSpec {
        protocol = protocol == null ? PortProtocol.TCP : protocol;
        exposure = exposure == null ? Exposure.CLUSTER : exposure;
    }

    /** A TCP port reachable inside the cluster only. */
    public static PortSpec cluster(String name, int containerPort) {
        return new PortSpec(name, containerPort, PortProtocol.TCP, Exposure.CLUSTER, null);
    }
}
