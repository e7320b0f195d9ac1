package dev.windlass.deployer.service;

import dev.windlass.deployer.kubernetes.ClusterConnection;
import java.util.List;

/**
 * Who may change deployments on an orchestrator: admins always; anyone else only as a member of one of the
 * orchestrator's allowed groups. An orchestrator without allowed groups is for admins only.
 */
public final class AccessPolicy {

    private AccessPolicy() {}

    /** Fails with {@link NotAllowedException} unless the caller may deploy on the orchestrator. */
    public static void requireMayDeploy(Caller caller, ClusterConnection orchestrator) {
        if (caller.admin()) {
            return;
        }
        List<String> allowed = orchestrator.allowedGroups() == null ? List.of() : orchestrator.allowedGroups();
        if (allowed.stream().noneMatch(caller.groups()::contains)) {
            throw new NotAllowedException("none of your groups may deploy on orchestrator '" + orchestrator.name() + "'"
                    + (allowed.isEmpty() ? " (it is open to admins only)" : ""));
        }
    }
}
