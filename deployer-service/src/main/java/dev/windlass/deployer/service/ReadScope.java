package dev.windlass.deployer.service;

import dev.windlass.common.access.Destinations;
import dev.windlass.common.identity.OrchestratorRef;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.deployer.repository.DeploymentRepository.Filter;
import dev.windlass.deployer.repository.DeploymentRepository.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
     * Where the caller may read, looked up for the orchestrator with id {@code orchestratorId} only when it is given;
     * null for an admin, who may read everything. Runs inside the caller's database session.
     */
    public Uni<Scope> of(Caller caller, UUID orchestratorId) {
        if (caller.admin()) {
            return Uni.createFrom().nullItem();
        }
        Uni<List<UUID>> ids = orchestratorId == null
                ? deployments.orchestratorIds()
                : Uni.createFrom().item(List.of(orchestratorId));
        return ids.flatMap(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(new Scope(Map.of(), ownNamespace));
            }
            List<Uni<Map.Entry<UUID, List<String>>>> lookups =
                    list.stream().map(id -> patterns(caller, id)).toList();
            return Uni.join().all(lookups).andFailFast().map(entries -> {
                Map<UUID, List<String>> patterns = new LinkedHashMap<>();
                entries.stream()
                        .filter(e -> !e.getValue().isEmpty())
                        .forEach(e -> patterns.put(e.getKey(), e.getValue()));
                return new Scope(patterns, ownNamespace);
            });
        });
    }

    /**
     * Fails with {@link NotAllowedException} naming the namespace (or {@link NotFoundException} when the registry knows
     * no such orchestrator) unless the caller may read the deployments of {@code namespace} on the orchestrator with
     * this id or name.
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

    /**
     * The app the caller asks about by orchestrator id or name, once the caller may read there. An admin naming the
     * orchestrator by id reads its history even when the registry no longer knows it.
     */
    public Uni<AppRef> readableApp(Caller caller, String orchestrator, String namespace, String app) {
        java.util.Optional<UUID> id = OrchestratorRef.id(orchestrator);
        if (caller.admin() && id.isPresent()) {
            return Uni.createFrom().item(new AppRef(id.get(), null, namespace, app));
        }
        return requireMayRead(caller, orchestrator, namespace)
                .chain(() -> connections.get(orchestrator))
                .map(connection -> AppRef.of(connection, namespace, app));
    }

    /**
     * The filter with the orchestrator's id when it names one: by id directly, by name through the registry. A name
     * the registry does not know (any more), or cannot be asked about now, filters by the name deployments recorded.
     */
    public Uni<Filter> resolve(Filter filter) {
        String orchestrator = filter.orchestrator();
        if (orchestrator == null) {
            return Uni.createFrom().item(filter);
        }
        java.util.Optional<UUID> id = OrchestratorRef.id(orchestrator);
        if (id.isPresent()) {
            return Uni.createFrom().item(new Filter(null, id.get(), filter.namespace(), filter.app(), filter.phase()));
        }
        return connections
                .get(orchestrator)
                .map(connection -> filter.withOrchestratorId(connection.id()))
                .onFailure(failure -> failure instanceof OrchestratorNotFoundException
                        || failure instanceof RegistryUnavailableException)
                .recoverWithItem(filter);
    }

    private Uni<Map.Entry<UUID, List<String>>> patterns(Caller caller, UUID orchestrator) {
        return connections
                .get(orchestrator.toString())
                .map(connection -> Destinations.patternsOf(connection.destinations(), caller.groups()))
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithItem(List.of())
                .map(patterns -> Map.entry(orchestrator, patterns));
    }
}
