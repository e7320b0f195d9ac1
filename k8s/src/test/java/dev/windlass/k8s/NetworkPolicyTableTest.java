package dev.windlass.k8s;

import static dev.windlass.k8s.ChartFixture.TEST_KUBE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies allow exactly what docs/operations.md says: the rendered policies are reduced to
 * rows of (pods, direction, peer, ports) and compared with the document's table, both ways.
 */
class NetworkPolicyTableTest {

    private static final String RELEASE_LABELS = "app.kubernetes.io/instance=windlass,app.kubernetes.io/name=windlass";

    @Test
    void renderedPoliciesMatchTheDocumentedTable() {
        List<NetworkPolicy> policies = ChartFixture.ofKind(
                ChartFixture.objects(ChartFixture.template("windlass", TEST_KUBE_VERSION, List.of(), Map.of())),
                NetworkPolicy.class);
        List<List<String>> rendered = rows(policies);
        List<List<String>> documented = DocTable.rows(ChartFixture.operationsDoc(), "networkpolicy-table").stream()
                .map(row -> row.subList(0, 4))
                .toList();

        assertThat(rendered)
                .as("docs/operations.md should list exactly these rows:%n%s", markdown(rendered))
                .containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void everyServiceIsIsolatedBothWays() {
        List<NetworkPolicy> policies = ChartFixture.ofKind(
                ChartFixture.objects(ChartFixture.template("windlass", TEST_KUBE_VERSION, List.of(), Map.of())),
                NetworkPolicy.class);

        assertThat(policies)
                .extracting(p -> p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrder("identity-gateway", "registry-service", "deployer-service");
        assertThat(policies)
                .allSatisfy(
                        p -> assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress"));
        // Nothing but the gateway accepts traffic from outside the release.
        assertThat(rows(policies))
                .filteredOn(r -> r.get(1).equals("in") && !r.get(0).equals("identity-gateway"))
                .extracting(r -> r.get(2))
                .containsOnly("identity-gateway", "deployer-service", "registry-service");
    }

    @Test
    void peersComeFromValues() {
        List<NetworkPolicy> policies = ChartFixture.ofKind(
                ChartFixture.objects(ChartFixture.template(
                        "windlass", TEST_KUBE_VERSION, List.of(ChartFixture.prodValues()), Map.of())),
                NetworkPolicy.class);

        assertThat(rows(policies))
                .contains(
                        List.of(
                                "identity-gateway",
                                "in",
                                "namespace traefik, pods app.kubernetes.io/name=traefik",
                                "TCP 8080"),
                        List.of(
                                "registry-service",
                                "out",
                                "namespace databases, pods cnpg.io/cluster=windlass-pg",
                                "TCP 5432"),
                        List.of(
                                "deployer-service",
                                "out",
                                "namespace kafka, pods strimzi.io/cluster=windlass",
                                "TCP 9093"),
                        List.of("deployer-service", "out", "10.0.0.0/8", "TCP 443, TCP 6443"));
    }

    /** One row per (policy, direction, peer); a rule without peers has the peer "anywhere". */
    static List<List<String>> rows(List<NetworkPolicy> policies) {
        List<List<String>> rows = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            String pods = component(policy.getSpec().getPodSelector());
            Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of()).forEach(rule -> {
                for (String peer : peers(rule.getFrom())) {
                    rows.add(List.of(pods, "in", peer, ports(rule.getPorts())));
                }
            });
            Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of()).forEach(rule -> {
                for (String peer : peers(rule.getTo())) {
                    rows.add(List.of(pods, "out", peer, ports(rule.getPorts())));
                }
            });
        }
        return rows;
    }

    private static List<String> peers(List<NetworkPolicyPeer> peers) {
        if (peers == null || peers.isEmpty()) {
            return List.of("anywhere");
        }
        return peers.stream().map(NetworkPolicyTableTest::peer).toList();
    }

    private static String peer(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            String except = peer.getIpBlock().getExcept() == null
                            || peer.getIpBlock().getExcept().isEmpty()
                    ? ""
                    : " except " + String.join(" ", peer.getIpBlock().getExcept());
            return peer.getIpBlock().getCidr() + except;
        }
        if (peer.getNamespaceSelector() == null) {
            return component(peer.getPodSelector());
        }
        String namespaces;
        Map<String, String> nsLabels = labels(peer.getNamespaceSelector());
        if (nsLabels.isEmpty()) {
            namespaces = "any namespace";
        } else if (nsLabels.size() == 1 && nsLabels.containsKey("kubernetes.io/metadata.name")) {
            namespaces = "namespace " + nsLabels.get("kubernetes.io/metadata.name");
        } else {
            namespaces = "namespaces " + join(nsLabels);
        }
        Map<String, String> podLabels = labels(peer.getPodSelector());
        return podLabels.isEmpty() ? namespaces : namespaces + ", pods " + join(podLabels);
    }

    /** A selector of this release's pods of one component reads as that component's name. */
    private static String component(LabelSelector selector) {
        Map<String, String> labels = labels(selector);
        String component = labels.remove("app.kubernetes.io/component");
        if (component != null && join(labels).equals(RELEASE_LABELS)) {
            return component;
        }
        if (component != null) {
            labels.put("app.kubernetes.io/component", component);
        }
        return "pods " + join(labels);
    }

    private static Map<String, String> labels(LabelSelector selector) {
        if (selector == null || selector.getMatchLabels() == null) {
            return new TreeMap<>();
        }
        assertThat(selector.getMatchExpressions())
                .as("match expressions are not described")
                .isNullOrEmpty();
        return new TreeMap<>(selector.getMatchLabels());
    }

    private static String join(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static String ports(List<NetworkPolicyPort> ports) {
        if (ports == null || ports.isEmpty()) {
            return "all";
        }
        return ports.stream()
                .map(p -> Optional.ofNullable(p.getProtocol()).orElse("TCP") + " "
                        + p.getPort().getValue())
                .collect(Collectors.joining(", "));
    }

    private static String markdown(List<List<String>> rows) {
        return rows.stream().map(r -> "| " + String.join(" | ", r) + " |").collect(Collectors.joining("\n"));
    }
}
