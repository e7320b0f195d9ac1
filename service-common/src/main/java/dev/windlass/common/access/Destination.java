package dev.windlass.common.access;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Namespaces of an orchestrator that members of some groups may deploy to, as an Argo CD AppProject's destinations:
 * exact names ({@code shop}) or prefixes ({@code team-a-*}); {@code *} stands for every namespace but those that are
 * never destinations and {@code default}, which only its exact name admits (see {@link Destinations}).
 *
 * @param namespaces names or patterns
 * @param groups groups whose members may deploy there
 */
@RegisterForReflection
public record Destination(List<String> namespaces, List<String> groups) {

    public Destination {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
