package dev.windlass.deployer.service;

import dev.windlass.common.access.Destinations;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.deployer.repository.DeploymentRepository.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a caller may read: admins everything, anyone else only deployments in namespaces the orchestrator's
 * destinations give one of their groups ({@link Destinations}, the rule that guards every change). A deployment on an
 * orchestrator the registry no longer knows is an admin's to read.
 */
@ApplicationScoped
public class ReadScope {

    private final DeploymentRepository deployments;
    private final ConnectionCache connections;
    private final String ownNamespace;

    public ReadScope(DeploymentRepository deployments, ConnectionCache connections, DeployerConfig config) {
        this.deployments = deployments;
        this.connections = connections;
        this.ownNamespace = config.ownNamespace().orElse(null);
    }

    /**
     * Where the caller may read, looked up for {@code orchestrator} only when it is given; null for an admin, who may
     * read everything. Runs inside the caller's database session.
     */
    public Uni<Scope> of(Caller caller, String orchestrator) {
        if (caller.admin()) {
            return Uni.createFrom().nullItem();
        }
        Uni<List<String>> names = orchestrator == null
                ? deployments.orchestrators()
                : Uni.createFrom().item(List.of(orchestrator));
        return names.flatMap(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(new Scope(Map.of(), ownNamespace));
            }
            List<Uni<Map.Entry<String, List<String>>>> lookups =
                    list.stream().map(name -> patterns(caller, name)).toList();
            return Uni.join().all(lookups).andFailFast().map(entries -> {
                Map<String, List<String>> patterns = new LinkedHashMap<>();
                entries.stream()
                        .filter(e -> !e.getValue().isEmpty())
                        .forEach(e -> patterns.put(e.getKey(), e.getValue()));
                return new Scope(patterns, ownNamespace);
            });
        });
    }

    /**
     * Fails with {@link NotAllowedException} naming the namespace (or {@link NotFoundException} when the registry knows
     * no such orchestrator) unless the caller may read the deployments of {@code namespace} on the orchestrator.
     */
    public Uni<Void> requireMayRead(Caller caller, String orchestrator, String namespace) {
        if (caller.admin()) {
            return Uni.createFrom().voidItem();
        }
        return connections
                .get(orchestrator)
                .onFailure(OrchestratorNotFoundException.class)
                .transform(e -> new NotFoundException(e.getMessage()))
                .invoke(connection -> AccessPolicy.requireMayDeploy(caller, connection, namespace, ownNamespace))
                .replaceWithVoid();
    }

    /** Whether the caller may read the deployments of {@code namespace} on the orchestrator. */
    public Uni<Boolean> mayRead(Caller caller, String orchestrator, String namespace) {
        return requireMayRead(caller, orchestrator, namespace)
                .replaceWith(true)
                .onFailure(failure -> failure instanceof NotAllowedException || failure instanceof NotFoundException)
                .recoverWithItem(false);
    }

    private Uni<Map.Entry<String, List<String>>> patterns(Caller caller, String orchestrator) {
        return connections
                .get(orchestrator)
                .map(connection -> Destinations.patternsOf(connection.destinations(), caller.groups()))
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithItem(List.of())
                .map(patterns -> Map.entry(orchestrator, patterns));
    }
}
