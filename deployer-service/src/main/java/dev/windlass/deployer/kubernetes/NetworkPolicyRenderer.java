package dev.windlass.deployer.kubernetes;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the app's NetworkPolicy when the spec has one: the named peer apps reach every port of the app, the
 * ingress controller's namespace reaches the INGRESS port, anyone reaches LOAD_BALANCER and NODE_PORT ports (they
 * are exposed outside the cluster on purpose), and nothing else gets in.
 */
final class NetworkPolicyRenderer {

    /** The label every namespace carries with its own name (set automatically from Kubernetes 1.21). */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final String ingressControllerNamespace;

    NetworkPolicyRenderer(String ingressControllerNamespace) {
        this.ingressControllerNamespace = ingressControllerNamespace;
    }

    Optional<NetworkPolicy> render(String namespace, AppSpec spec, int revision) {
        if (spec.networkPolicy() == null) {
            return Optional.empty();
        }
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        List<String> peers = spec.networkPolicy().allowFrom();
        if (peers != null && !peers.isEmpty()) {
            rules.add(rule(
                    peers.stream().map(NetworkPolicyRenderer::app).toList(),
                    spec.ports().stream().map(NetworkPolicyRenderer::port).toList()));
        }
        IngressRenderer.ingressPort(spec)
                .filter(p -> spec.ingress() != null)
                .ifPresent(p -> rules.add(rule(List.of(ingressController()), List.of(port(p)))));
        List<NetworkPolicyPort> external = spec.ports().stream()
                .filter(p -> p.exposure() == Exposure.LOAD_BALANCER || p.exposure() == Exposure.NODE_PORT)
                .map(NetworkPolicyRenderer::port)
                .toList();
        if (!external.isEmpty()) {
            rules.add(rule(null, external));
        }
        return Optional.of(new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(spec.name())
                .withNamespace(namespace)
                .withLabels(WindlassLabels.of(spec.name(), revision))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(WindlassLabels.selector(spec.name()))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .withIngress(rules.isEmpty() ? null : rules)
                .endSpec()
                .build());
    }

    private static NetworkPolicyIngressRule rule(List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
        return new NetworkPolicyIngressRuleBuilder()
                .withFrom(from)
                .withPorts(ports == null || ports.isEmpty() ? null : ports)
                .build();
    }

    private static NetworkPolicyPeer app(String app) {
        return new NetworkPolicyPeerBuilder()
                .withNewPodSelector()
                .withMatchLabels(Map.of(WindlassLabels.NAME, app))
                .endPodSelector()
                .build();
    }

    private NetworkPolicyPeer ingressController() {
        return new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, ingressControllerNamespace))
                .endNamespaceSelector()
                .build();
    }

    private static NetworkPolicyPort port(PortSpec port) {
        return new NetworkPolicyPortBuilder()
                .withProtocol(port.protocol().name())
                .withPort(new IntOrString(port.containerPort()))
                .build();
    }
}
