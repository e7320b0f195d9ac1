package dev.windlass.registry.support;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/** RBAC rules for test ServiceAccounts. */
public final class KubeRules {

    private KubeRules() {}

    /** Exactly what the registry's connection check requires in a namespace, as Role rules. */
    public static List<PolicyRule> deployer() {
        List<String> manage = List.of("get", "list", "watch", "create", "update", "patch", "delete");
        return List.of(
                new PolicyRuleBuilder()
                        .withApiGroups("apps")
                        .withResources("deployments")
                        .withVerbs(manage)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("services", "secrets", "configmaps", "persistentvolumeclaims")
                        .withVerbs(manage)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("networking.k8s.io")
                        .withResources("networkpolicies", "ingresses")
                        .withVerbs(manage)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("namespaces")
                        .withVerbs("get")
                        .build());
    }
}
