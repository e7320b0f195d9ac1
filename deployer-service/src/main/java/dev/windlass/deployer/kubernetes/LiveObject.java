package dev.windlass.deployer.kubernetes;

import dev.windlass.events.app.HealthStatus;
import java.util.Collection;
import java.util.LinkedHashMap;
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

    /**
     * This object and everything under it with every value of {@code secrets} masked in health messages and details
     * (a container's waiting or termination message may quote what it was given).
     */
    public LiveObject redacted(Collection<String> secrets) {
        if (secrets.isEmpty()) {
            return this;
        }
        Health masked = health == null || health.message() == null
                ? health
                : new Health(health.status(), PodLogs.redact(health.message(), secrets));
        Map<String, String> maskedDetails = new LinkedHashMap<>();
        details.forEach(
                (name, value) -> maskedDetails.put(name, value == null ? null : PodLogs.redact(value, secrets)));
        return new LiveObject(
                kind,
                namespace,
                name,
                masked,
                maskedDetails,
                children.stream().map(child -> child.redacted(secrets)).toList());
    }

    /** The worst health of this object and everything under it. */
    public HealthStatus worst() {
        HealthStatus worst = health == null ? null : health.status();
        for (LiveObject child : children) {
            worst = HealthStatus.worse(worst, child.worst());
        }
        return worst;
    }
}
