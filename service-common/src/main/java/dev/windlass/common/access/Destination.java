package dev.windlass.common.access;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Namespaces of an orchestrator that members of some groups may deploy to, as an Argo CD AppProject's destinations:
 * exact names ({@code shop}) or prefixes ({@code team-a-*}); {@code *} stands for every namespace but those that are
 * never destinations and {@code default}, which only its exact name admits (see {@link Destinations}).
 *
 * <p>A destination may also say which Ingress hosts the apps deployed through it may expose: exact names ({@code
 * shop.example.com}) or suffixes ({@code *.team-a.example.com}, any name under it). Empty means any host that no
 * other app holds and that is not reserved.
 *
 * @param namespaces names or patterns
 * @param groups groups whose members may deploy there
 * @param hosts host names or {@code *.}suffixes the apps may expose; empty for any
 */
@RegisterForReflection
public record Destination(List<String> namespaces, List<String> groups, List<String> hosts) {

    public Destination {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        groups = groups == null ? List.of() : List.copyOf(groups);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** A destination that limits no host. */
    public Destination(List<String> namespaces, List<String> groups) {
        this(namespaces, groups, List.of());
    }
}
