package dev.windlass.deployer.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * One object of an app as the cluster has it now: its health (null for kinds without a health rule, such as Secrets
 * and NetworkPolicies, which count as healthy while they exist), a few facts worth showing (a Pod's phase, readiness,
 * restarts, node and last termination; a Service's or Ingress's address; a claim's phase) and the objects under it
 * (a Deployment's ReplicaSets, a ReplicaSet's Pods). Never a Secret's data.
 */
public record LiveObject(
        String kind,
        String namespace,
        String name,
        Health health,
        Map<String, String> details,
        List<LiveObject> children) {

    /** The worst health of this object and everything under it. */
    public HealthStatus worst() {
        HealthStatus worst = health == null ? null : health.status();
        for (LiveObject child : children) {
            worst = HealthStatus.worse(worst, child.worst());
        }
        return worst;
    }
}
