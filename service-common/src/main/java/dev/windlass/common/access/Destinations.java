package dev.windlass.common.access;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule for where a caller may deploy on an orchestrator, shared by the registry (which validates the
 * destinations it stores) and the deployer (which enforces them on every door): a namespace is a destination of a
 * non-admin caller when one of the orchestrator's destinations lists one of the caller's groups and a pattern that
 * matches the namespace. {@code kube-*} namespaces and Windlass's own namespace are never destinations, for admins
 * too; {@code default} is one only where a destination names it exactly.
 */
public final class Destinations {

    /** A namespace pattern: a DNS-1123 label, a prefix of one followed by {@code *}, or {@code *} alone. */
    public static final Pattern PATTERN =
            Pattern.compile("^(\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?|[a-z0-9][-a-z0-9]{0,61}\\*)$");

    /** Namespaces of the cluster itself: never a destination. */
    public static final String CLUSTER_PREFIX = "kube-";

    /** The namespace only its exact name admits. */
    public static final String DEFAULT = "default";

    /** Most destinations per orchestrator, patterns per destination and groups per destination. */
    public static final int MAX_DESTINATIONS = 20;

    public static final int MAX_PATTERNS = 20;

    public static final int MAX_GROUPS = 50;

    private Destinations() {}

    /** The destinations that give {@code groups} every namespace (but {@code default}): how allowed groups migrate. */
    public static List<Destination> everywhereFor(Collection<String> groups) {
        return groups == null || groups.isEmpty()
                ? List.of()
                : List.of(new Destination(List.of("*"), List.copyOf(groups)));
    }

    /** Every group some destination lists, in order. */
    public static List<String> groups(List<Destination> destinations) {
        Set<String> groups = new LinkedHashSet<>();
        destinations.forEach(d -> groups.addAll(d.groups()));
        return List.copyOf(groups);
    }

    /** Why {@code pattern} may never be stored, or empty when it may. */
    public static Optional<String> patternProblem(String pattern, String ownNamespace) {
        if (pattern == null || !PATTERN.matcher(pattern).matches()) {
            return Optional.of("must be a namespace name, a prefix of one followed by *, or *");
        }
        if (pattern.startsWith(CLUSTER_PREFIX) || pattern.equals("kube*")) {
            return Optional.of("kube-* namespaces belong to the cluster and are never destinations");
        }
        if (ownNamespace != null && pattern.equals(ownNamespace)) {
            return Optional.of("'" + ownNamespace + "' is Windlass's own namespace and never a destination");
        }
        return Optional.empty();
    }

    /** Whether {@code namespace} is never a destination, whoever asks. */
    public static boolean never(String namespace, String ownNamespace) {
        return namespace.startsWith(CLUSTER_PREFIX) || (ownNamespace != null && namespace.equals(ownNamespace));
    }

    /** Whether {@code pattern} admits {@code namespace}. */
    public static boolean matches(String pattern, String namespace) {
        if (pattern.equals(namespace)) {
            return true;
        }
        if (namespace.equals(DEFAULT)) {
            return false;
        }
        if (pattern.equals("*")) {
            return true;
        }
        return pattern.endsWith("*") && namespace.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    /**
     * Why a caller may not deploy somewhere: {@code field} is {@code namespace} when the namespace is the trouble
     * (never a destination, or not one of the caller's), {@code orchestrator} when none of the caller's groups may use
     * the orchestrator at all.
     */
    public record Refusal(String field, String reason) {}

    /**
     * Why a caller with {@code groups} (an admin when {@code admin}) may not deploy to {@code namespace} on an
     * orchestrator with {@code destinations}, or empty when it may. The reason names the namespace.
     */
    public static Optional<Refusal> refusal(
            List<Destination> destinations,
            boolean admin,
            Set<String> groups,
            String namespace,
            String ownNamespace,
            String orchestrator) {
        if (never(namespace, ownNamespace)) {
            return Optional.of(new Refusal(
                    "namespace",
                    "namespace '" + namespace + "' is never a destination (kube-* namespaces belong to the cluster, and"
                            + " Windlass's own namespace to Windlass)"));
        }
        if (admin) {
            return Optional.empty();
        }
        boolean anyGroup = false;
        for (Destination destination : destinations) {
            if (destination.groups().stream().noneMatch(groups::contains)) {
                continue;
            }
            anyGroup = true;
            if (destination.namespaces().stream().anyMatch(pattern -> matches(pattern, namespace))) {
                return Optional.empty();
            }
        }
        return Optional.of(
                anyGroup
                        ? new Refusal(
                                "namespace",
                                "namespace '" + namespace + "' is not a destination of your groups on orchestrator '"
                                        + orchestrator + "'")
                        : new Refusal(
                                "orchestrator",
                                "none of your groups may deploy on orchestrator '" + orchestrator + "'"
                                        + (destinations.isEmpty() ? " (it is open to admins only)" : "")));
    }
}
