package dev.windlass.common.access;

import java.util.ArrayList;
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

    /** A host pattern: a DNS name with at least two labels, or {@code *.} followed by one (any name under it). */
    public static final Pattern HOST_PATTERN =
            Pattern.compile("^(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$");

    /** Most host patterns per destination. */
    public static final int MAX_HOSTS = 20;

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

    /**
     * Whether a non-admin with {@code groups} sees an orchestrator whose destinations list {@code destinationGroups}
     * (every group some destination lists, {@link #groups}): when they share one. Admins see every orchestrator. The
     * registry's list asks the same of its database (the stored allowed groups are the destinations' groups).
     */
    public static boolean visible(Collection<String> destinationGroups, Collection<String> groups) {
        return groups.stream().anyMatch(destinationGroups::contains);
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

    /**
     * The namespace patterns of the destinations that list one of {@code groups}, in order and once each: a non-admin
     * with these groups may work in a namespace when one of them {@linkplain #matches matches} it and it is not one
     * that is {@linkplain #never never} a destination. Empty when no destination lists any of the groups.
     */
    public static List<String> patternsOf(List<Destination> destinations, Set<String> groups) {
        Set<String> patterns = new LinkedHashSet<>();
        for (Destination destination : destinations) {
            if (destination.groups().stream().anyMatch(groups::contains)) {
                patterns.addAll(destination.namespaces());
            }
        }
        return List.copyOf(patterns);
    }

    /** Why {@code pattern} may never be stored as a destination's host, or empty when it may. */
    public static Optional<String> hostPatternProblem(String pattern) {
        if (pattern == null
                || pattern.length() > 253
                || !HOST_PATTERN.matcher(pattern).matches()) {
            return Optional.of(
                    "must be a lower-case host name with a dot, or *. followed by one (*.team-a.example.com)");
        }
        return Optional.empty();
    }

    /** Whether {@code pattern} admits {@code host}: the same name, or for {@code *.suffix} any name under suffix. */
    public static boolean hostMatches(String pattern, String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (pattern.startsWith("*.")) {
            return h.endsWith(pattern.substring(1)) && h.length() > pattern.length() - 1;
        }
        return pattern.equals(h);
    }

    /**
     * Why an app in {@code namespace} may not expose {@code host}, or empty when it may. The hosts belong to the
     * destinations that cover the namespace, whoever deploys (admins too): when one of them names no hosts, any host;
     * otherwise one of their host patterns must admit it. A destination is one team's groups, namespaces and hosts, so
     * team A's namespaces get team A's hosts. Field {@code spec.ingress.host}; the reason names the host.
     */
    public static Optional<Refusal> hostRefusal(
            List<Destination> destinations, String namespace, String host, String orchestrator) {
        if (host == null) {
            return Optional.empty();
        }
        List<String> patterns = new ArrayList<>();
        for (Destination destination : destinations) {
            if (destination.namespaces().stream().noneMatch(pattern -> matches(pattern, namespace))) {
                continue;
            }
            if (destination.hosts().isEmpty()) {
                return Optional.empty();
            }
            patterns.addAll(destination.hosts());
        }
        if (patterns.isEmpty() || patterns.stream().anyMatch(pattern -> hostMatches(pattern, host))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                "spec.ingress.host",
                "host '" + host + "' is not one apps in namespace '" + namespace + "' on orchestrator '" + orchestrator
                        + "' may use (" + String.join(", ", patterns) + ")"));
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
        List<String> patterns = patternsOf(destinations, groups);
        if (patterns.stream().anyMatch(pattern -> matches(pattern, namespace))) {
            return Optional.empty();
        }
        boolean anyGroup =
                destinations.stream().anyMatch(d -> d.groups().stream().anyMatch(groups::contains));
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
