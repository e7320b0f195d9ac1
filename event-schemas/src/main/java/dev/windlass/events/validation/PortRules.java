package dev.windlass.events.validation;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.IngressSpec;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.spec.SpecLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Ports and the ingress that routes to one of them. */
final class PortRules {

    private static final int MAX_PORT = 65535;

    private PortRules() {}

    static void check(AppSpec spec, Checker at) {
        List<PortSpec> ports = spec.ports();
        Checker list = at.field("ports");
        list.maxItems(ports.size(), SpecLimits.MAX_PORTS);
        Set<String> names = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<Integer> nodePorts = new HashSet<>();
        int ingressPorts = 0;
        for (int i = 0; i < ports.size(); i++) {
            PortSpec port = ports.get(i);
            Checker item = list.index(i);
            if (!item.present(port)) {
                continue;
            }
            Checker name = item.field("name");
            name.name(port.name(), NameRule.PORT_NAME);
            if (port.name() != null && !names.add(port.name())) {
                name.fail(Rules.UNIQUE, "is already the name of an earlier port");
            }
            Checker number = item.field("containerPort");
            if (number.present(port.containerPort())) {
                number.range(port.containerPort(), 1, MAX_PORT);
                if (!numbers.add(port.containerPort() + "/" + port.protocol())) {
                    number.fail(Rules.UNIQUE, "is already used by an earlier port with the same protocol");
                }
            }
            nodePort(port, item.field("nodePort"), nodePorts);
            if (port.exposure() == Exposure.INGRESS) {
                ingressPorts++;
                ingressPort(port, spec.ingress(), ingressPorts, item.field("exposure"));
            }
        }
        if (spec.ingress() != null) {
            ingress(spec.ingress(), ingressPorts, at.field("ingress"));
        }
    }

    private static void nodePort(PortSpec port, Checker at, Set<Integer> nodePorts) {
        if (port.exposure() != Exposure.NODE_PORT) {
            at.absent(port.nodePort(), "unless exposure is NODE_PORT");
            return;
        }
        at.range(port.nodePort(), SpecLimits.MIN_NODE_PORT, SpecLimits.MAX_NODE_PORT);
        if (port.nodePort() != null && !nodePorts.add(port.nodePort())) {
            at.fail(Rules.UNIQUE, "is already the node port of an earlier port");
        }
    }

    private static void ingressPort(PortSpec port, IngressSpec ingress, int ingressPorts, Checker at) {
        if (ingress == null) {
            at.fail(Rules.CONFLICT, "INGRESS needs an ingress in the spec");
        } else if (ingressPorts > 1) {
            at.fail(Rules.CONFLICT, "INGRESS may be used by one port only");
        }
        if (port.protocol() == PortProtocol.UDP) {
            at.fail(Rules.CONFLICT, "INGRESS needs a TCP port");
        }
    }

    private static void ingress(IngressSpec ingress, int ingressPorts, Checker at) {
        Checker host = at.field("host");
        if (host.present(ingress.host())) {
            NameRule.HOST.check(ingress.host(), host);
        }
        at.field("path").name(ingress.path(), NameRule.HTTP_PATH);
        if (ingress.className() != null) {
            NameRule.DNS_SUBDOMAIN.check(ingress.className(), at.field("className"));
        }
        if (ingress.tlsIssuer() != null) {
            NameRule.DNS_SUBDOMAIN.check(ingress.tlsIssuer(), at.field("tlsIssuer"));
        }
        if (ingressPorts == 0) {
            at.fail(Rules.CONFLICT, "needs a port with exposure INGRESS to route to");
        }
    }
}
