package dev.windlass.deployer.service;

import dev.windlass.common.access.Destinations;
import dev.windlass.deployer.kubernetes.ClusterConnection;

/**
 * Who may change deployments where: admins in any namespace but those that are never destinations; anyone else only in
 * the namespaces the orchestrator's destinations give one of their groups ({@link Destinations}, the rule the registry
 * validates with). An orchestrator without destinations is for admins only. The same check guards HTTP deploys,
 * rollbacks and undeploys and Kafka requests.
 */
public final class AccessPolicy {

    private AccessPolicy() {}

    /**
     * Fails with {@link NotAllowedException} (naming the namespace) unless the caller may change deployments in
     * {@code namespace} on the orchestrator; {@code ownNamespace} is Windlass's own (null when unknown).
     */
    public static void requireMayDeploy(
            Caller caller, ClusterConnection orchestrator, String namespace, String ownNamespace) {
        Destinations.refusal(
                        orchestrator.destinations(),
                        caller.admin(),
                        caller.groups(),
                        namespace,
                        ownNamespace,
                        orchestrator.name())
                .ifPresent(refusal -> {
                    throw new NotAllowedException(refusal.field(), refusal.reason());
                });
    }

    /**
     * Fails with {@link NotAllowedException} (field {@code spec.ingress.host}, naming the host) unless an app in
     * {@code namespace} may expose {@code host} (null: no Ingress) under the orchestrator's destinations.
     */
    public static void requireMayUseHost(ClusterConnection orchestrator, String namespace, String host) {
        Destinations.hostRefusal(orchestrator.destinations(), namespace, host, orchestrator.name())
                .ifPresent(refusal -> {
                    throw new NotAllowedException(refusal.field(), refusal.reason());
                });
    }
}
