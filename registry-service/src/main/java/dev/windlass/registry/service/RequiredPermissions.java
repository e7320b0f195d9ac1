package dev.windlass.registry.service;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the deployer uses in an orchestrator's default namespace — exactly that, so that credentials made from the
 * documented ClusterRole (docs/kubernetes-objects.md, "RBAC Windlass needs") are CONNECTED — which of it a client
 * lacks, and whether it holds far more (any {@code *} verb or resource, as cluster-admin does). One
 * SelfSubjectRulesReview answers; when the API server says that review is incomplete (webhook authorizers, say),
 * each permission it does not show is asked with a SelfSubjectAccessReview, the authoritative answer.
 */
public final class RequiredPermissions {

    /** One resource the deployer works with and the verbs it uses on it. */
    public record Need(String group, String resource, List<String> verbs) {

        /** {@code deployments.apps}, or {@code services} for the core group. */
        public String qualifiedResource() {
            return group.isEmpty() ? resource : resource + "." + group;
        }
    }

    /**
     * Server-side apply ({@code patch}, and {@code create} when it creates the object), the owner check before it
     * ({@code get}), prune and undeploy ({@code list}, {@code delete}).
     */
    static final List<String> APPLY = List.of("get", "list", "create", "patch", "delete");

    /** Everything the deployer does in a namespace: the kinds it renders, rollout tracking, its namespace. */
    public static final List<Need> NEEDS = List.of(
            new Need("", "namespaces", List.of("get")),
            new Need("apps", "deployments", List.of("get", "list", "watch", "create", "patch", "delete")),
            new Need("", "services", APPLY),
            new Need("", "secrets", APPLY),
            new Need("", "persistentvolumeclaims", APPLY),
            new Need("networking.k8s.io", "ingresses", APPLY),
            new Need("networking.k8s.io", "networkpolicies", APPLY));

    /**
     * Reading the pods of an app, for the reason in a failed rollout's message, the Pods of its status, the Pod
     * whose log is asked for, and watching them so that an app's status follows them live: optional, warned about
     * when missing.
     */
    public static final Need READ_PODS = new Need("", "pods", List.of("get", "list", "watch"));

    /** Reading a container's log through the API server: optional, warned about when missing. */
    public static final Need READ_POD_LOGS = new Need("", "pods/log", List.of("get"));

    /** Listing the events about an app's objects: optional, warned about when missing. */
    public static final Need READ_EVENTS = new Need("", "events", List.of("list"));

    /** Creating a missing namespace: optional, without it apps go only into namespaces that exist. */
    public static final Need CREATE_NAMESPACES = new Need("", "namespaces", List.of("create"));

    /**
     * Watching the kinds the deployer applies besides Deployments (which rollout tracking watches anyway), so that the
     * owner check before an apply and an app's status read a cache kept by watches instead of one GET per object:
     * optional, warned about (once, whichever of them is missing) when missing.
     */
    public static final List<Need> WATCH_APPLIED = List.of(
            new Need("", "services", List.of("watch")),
            new Need("", "secrets", List.of("watch")),
            new Need("", "persistentvolumeclaims", List.of("watch")),
            new Need("networking.k8s.io", "ingresses", List.of("watch")),
            new Need("networking.k8s.io", "networkpolicies", List.of("watch")));

    /** The warning of credentials without (some of) {@link #WATCH_APPLIED}. */
    public static final String WATCH_WARNING = "these credentials may not watch services, secrets,"
            + " persistentvolumeclaims, ingresses and networkpolicies: each deploy reads every object of the app before"
            + " applying it (one more request per object), and an app's status reads them too";

    /**
     * The optional rights, each with the warning the connection check gives when it is missing, in that order; rights
     * that serve one purpose share their warning, which the check gives once.
     */
    public static final Map<Need, String> OPTIONAL = optional();

    /**
     * Managing an app's Traefik Middleware (Authentik forward-auth), and finding it again on undeploy: asked only of a
     * cluster that serves {@code traefik.io} Middlewares, warned about when missing there.
     */
    public static final Need TRAEFIK_MIDDLEWARES = new Need("traefik.io", "middlewares", APPLY);

    /** The warning of a cluster that serves Middlewares to credentials without {@link #TRAEFIK_MIDDLEWARES}. */
    public static final String TRAEFIK_WARNING = "the cluster serves Traefik Middlewares but these credentials may not"
            + " manage them (get, list, create, patch, delete on middlewares.traefik.io): apps cannot ask for Authentik"
            + " forward-auth, and undeploys fail";

    /** What a K3S orchestrator with a MetalLB range needs in MetalLB's namespace. */
    public static final List<Need> METALLB = List.of(
            new Need("metallb.io", "ipaddresspools", List.of("get", "create", "patch")),
            new Need("metallb.io", "l2advertisements", List.of("get", "create", "patch")));

    private RequiredPermissions() {}

    private static Map<Need, String> optional() {
        Map<Need, String> optional = new LinkedHashMap<>();
        optional.put(
                CREATE_NAMESPACES,
                "these credentials may not create namespaces: apps go only into namespaces that exist");
        optional.put(
                READ_PODS,
                "these credentials may not read and watch pods: a failed rollout cannot say why its pods fail,"
                        + " and an app's status shows no pods or does not follow them live");
        optional.put(READ_POD_LOGS, "these credentials may not read pod logs: an app's container logs cannot be shown");
        optional.put(READ_EVENTS, "these credentials may not list events: the events about an app cannot be shown");
        WATCH_APPLIED.forEach(need -> optional.put(need, WATCH_WARNING));
        return Collections.unmodifiableMap(optional);
    }

    /** The rules the credentials hold in a namespace, as the API server reviewed them. */
    public record Review(List<ResourceRule> rules, boolean incomplete) {}

    /** Reviews the credentials' rules in {@code namespace}. */
    public static Review review(KubernetesClient client, String namespace) {
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
        return new Review(rules == null ? List.of() : rules, incomplete);
    }

    /** The verbs missing per resource in {@code namespace}, in {@link #NEEDS} order; empty when nothing is missing. */
    public static Map<String, List<String>> missing(KubernetesClient client, String namespace) {
        return missing(client, namespace, review(client, namespace), NEEDS);
    }

    /** The verbs of {@code needs} that {@code review} (of {@code namespace}) does not grant, per resource. */
    public static Map<String, List<String>> missing(
            KubernetesClient client, String namespace, Review review, List<Need> needs) {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (Need need : needs) {
            List<String> lacking = new ArrayList<>();
            for (String verb : need.verbs()) {
                if (!granted(review.rules(), need, verb)
                        && !(review.incomplete() && allowed(client, namespace, need, verb))) {
                    lacking.add(verb);
                }
            }
            if (!lacking.isEmpty()) {
                missing.put(need.qualifiedResource(), lacking);
            }
        }
        return missing;
    }

    /**
     * The rules that grant far more than the deployer uses — any verb ({@code *}) or any resource ({@code *}), as
     * cluster-admin and {@code edit}-like wildcards do — described for a warning; empty when there are none.
     */
    public static List<String> overPrivileged(Review review) {
        List<String> wide = new ArrayList<>();
        for (ResourceRule rule : review.rules()) {
            List<String> verbs = rule.getVerbs() == null ? List.of() : rule.getVerbs();
            List<String> resources = rule.getResources() == null ? List.of() : rule.getResources();
            if (verbs.contains("*") || resources.contains("*")) {
                List<String> groups = rule.getApiGroups() == null ? List.of() : rule.getApiGroups();
                wide.add("verbs " + verbs + " on resources " + resources + " of API groups "
                        + groups.stream().map(g -> g.isEmpty() ? "core" : g).toList());
            }
        }
        return wide;
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
        // a subresource ("pods/log") is asked as resource and subresource
        String[] resource = need.resource().split("/", 2);
        SelfSubjectAccessReview review = client.authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withNamespace(namespace)
                        .withGroup(need.group())
                        .withResource(resource[0])
                        .withSubresource(resource.length > 1 ? resource[1] : null)
                        .withVerb(verb)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus() != null
                && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
