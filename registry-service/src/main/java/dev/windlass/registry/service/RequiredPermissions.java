package dev.windlass.registry.service;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the deployer needs in an orchestrator's default namespace, and which of it a client lacks. One
 * SelfSubjectRulesReview answers; when the API server says that review is incomplete (webhook authorizers, say),
 * each permission it does not show is asked with a SelfSubjectAccessReview, the authoritative answer.
 */
public final class RequiredPermissions {

    /** One resource the deployer manages and the verbs it uses on it. */
    public record Need(String group, String resource, List<String> verbs) {

        /** {@code deployments.apps}, or {@code services} for the core group. */
        public String qualifiedResource() {
            return group.isEmpty() ? resource : resource + "." + group;
        }
    }

    static final List<String> MANAGE = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** Everything the deployer does in a namespace: server-side apply, prune, watch rollouts, read its namespace. */
    public static final List<Need> NEEDS = List.of(
            new Need("apps", "deployments", MANAGE),
            new Need("", "services", MANAGE),
            new Need("", "secrets", MANAGE),
            new Need("", "configmaps", MANAGE),
            new Need("", "persistentvolumeclaims", MANAGE),
            new Need("networking.k8s.io", "networkpolicies", MANAGE),
            new Need("networking.k8s.io", "ingresses", MANAGE),
            new Need("", "namespaces", List.of("get")));

    private RequiredPermissions() {}

    /** The verbs missing per resource in {@code namespace}, in {@link #NEEDS} order; empty when nothing is missing. */
    public static Map<String, List<String>> missing(KubernetesClient client, String namespace) {
        SelfSubjectRulesReview review = client.authorization()
                .v1()
                .selfSubjectRulesReview()
                .create(new SelfSubjectRulesReviewBuilder()
                        .withNewSpec()
                        .withNamespace(namespace)
                        .endSpec()
                        .build());
        List<ResourceRule> rules =
                review.getStatus() == null ? List.of() : review.getStatus().getResourceRules();
        boolean incomplete = review.getStatus() != null
                && Boolean.TRUE.equals(review.getStatus().getIncomplete());
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (Need need : NEEDS) {
            List<String> lacking = new ArrayList<>();
            for (String verb : need.verbs()) {
                if (!granted(rules, need, verb) && !(incomplete && allowed(client, namespace, need, verb))) {
                    lacking.add(verb);
                }
            }
            if (!lacking.isEmpty()) {
                missing.put(need.qualifiedResource(), lacking);
            }
        }
        return missing;
    }

    static boolean granted(List<ResourceRule> rules, Need need, String verb) {
        for (ResourceRule rule : rules) {
            boolean unrestricted =
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty();
            if (unrestricted
                    && matches(rule.getApiGroups(), need.group())
                    && matches(rule.getResources(), need.resource())
                    && matches(rule.getVerbs(), verb)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<String> values, String wanted) {
        return values != null && (values.contains("*") || values.contains(wanted));
    }

    private static boolean allowed(KubernetesClient client, String namespace, Need need, String verb) {
        SelfSubjectAccessReview review = client.authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withNamespace(namespace)
                        .withGroup(need.group())
                        .withResource(need.resource())
                        .withVerb(verb)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus() != null
                && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
