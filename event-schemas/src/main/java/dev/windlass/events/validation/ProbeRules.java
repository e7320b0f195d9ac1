package dev.windlass.events.validation;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.spec.ProbeSpec;
import dev.windlass.events.spec.ProbeType;
import dev.windlass.events.spec.SpecLimits;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Liveness and readiness probes against the spec's own TCP ports. */
final class ProbeRules {

    private ProbeRules() {}

    static void check(AppSpec spec, Checker at) {
        if (spec.probes() == null) {
            return;
        }
        Set<Integer> tcpPorts = spec.ports().stream()
                .filter(Objects::nonNull)
                .filter(port -> port.protocol() == PortProtocol.TCP)
                .map(PortSpec::containerPort)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        probe(spec.probes().liveness(), tcpPorts, at.field("liveness"));
        probe(spec.probes().readiness(), tcpPorts, at.field("readiness"));
    }

    private static void probe(ProbeSpec probe, Set<Integer> tcpPorts, Checker at) {
        if (probe == null) {
            return;
        }
        at.field("type").present(probe.type());
        Checker port = at.field("port");
        if (port.present(probe.port())) {
            if (probe.port() < 1 || probe.port() > 65535) {
                port.range(probe.port(), 1, 65535);
            } else if (!tcpPorts.contains(probe.port())) {
                port.fail(Rules.UNDECLARED, "must be the containerPort of one of the spec's TCP ports");
            }
        }
        Checker path = at.field("path");
        if (probe.type() == ProbeType.HTTP) {
            path.name(probe.path(), NameRule.HTTP_PATH);
        } else if (probe.type() == ProbeType.TCP) {
            path.absent(probe.path(), "for a TCP probe");
        }
        at.field("initialDelaySeconds").range(probe.initialDelaySeconds(), 0, SpecLimits.MAX_PROBE_SECONDS);
        at.field("periodSeconds").range(probe.periodSeconds(), 1, SpecLimits.MAX_PROBE_SECONDS);
    }
}
