package dev.windlass.registry.support;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/** RBAC rules for test ServiceAccounts. */
public final class KubeRules {

    private KubeRules() {}

    /** Exactly what the registry's connection check requires in a namespace, as Role rules. */
    public static List<PolicyRule> deployer() {
        List<String> apply = List.of("get", "list", "create", "patch", "delete");
        // watch is optional: the deployer's cache of an app's objects (middlewares are not cached)
        List<String> applyAndWatch = List.of("get", "list", "watch", "create", "patch", "delete");
        return List.of(
                new PolicyRuleBuilder()
                        .withApiGroups("apps")
                        .withResources("deployments")
                        .withVerbs("get", "list", "watch", "create", "patch", "delete")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("services", "secrets", "persistentvolumeclaims")
                        .withVerbs(applyAndWatch)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("networking.k8s.io")
                        .withResources("networkpolicies", "ingresses")
                        .withVerbs(applyAndWatch)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list", "watch")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods/log")
                        .withVerbs("get")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("events")
                        .withVerbs("list")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("traefik.io")
                        .withResources("middlewares")
                        .withVerbs(apply)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("namespaces")
                        .withVerbs("get")
                        .build());
    }
}
