package dev.windlass.deployer.repository;

import dev.windlass.common.access.Destinations;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.events.deployment.DeploymentPhase;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stored deployments. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    /** One page of deployments matching the filter, newest first, and the total count. */
    public record Page(List<Deployment> items, long total) {}

    /**
     * Filters of the deployments list; a null field does not filter. The orchestrator is filtered by its id when
     * {@code orchestratorId} is given (every deployment of it, under any name it had), else by the name the
     * deployments recorded.
     */
    public record Filter(
            String orchestrator, UUID orchestratorId, String namespace, String app, DeploymentState phase) {

        public Filter(String orchestrator, String namespace, String app, DeploymentState phase) {
            this(orchestrator, null, namespace, app, phase);
        }

        /** This filter for the orchestrator with this id. */
        public Filter withOrchestratorId(UUID id) {
            return new Filter(orchestrator, id, namespace, app, phase);
        }
    }

    /** The deployment, row-locked until the transaction ends. */
    public Uni<Deployment> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<Deployment> findByIdempotencyKey(String subject, String key) {
        return find("requestedBySubject = ?1 and idempotencyKey = ?2", subject, key)
                .firstResult();
    }

    /**
     * Where a non-admin may read: per orchestrator id, the namespace patterns of the destinations of the caller's
     * groups ({@link Destinations#matches}), and Windlass's own namespace (null when unknown), which like {@code kube-*}
     * is never one. Orchestrators not in the map show nothing.
     */
    public record Scope(Map<UUID, List<String>> patterns, String ownNamespace) {}

    /** Every orchestrator id some deployment names. */
    public Uni<List<UUID>> orchestratorIds() {
        return getSession()
                .flatMap(session -> session.createSelectionQuery(
                                "select distinct d.orchestratorId from Deployment d where d.orchestratorId is not null",
                                UUID.class)
                        .getResultList());
    }

    /** A page of the deployments that match the filter and lie in {@code scope} (null: everywhere). */
    public Uni<Page> search(Filter filter, Scope scope, int page, int size) {
        List<String> clauses = new ArrayList<>();
        Parameters params = new Parameters();
        if (scope != null) {
            if (scope.patterns().isEmpty()) {
                return Uni.createFrom().item(new Page(List.of(), 0));
            }
            clauses.add(scopeClause(scope, params));
        }
        if (filter.orchestratorId() != null && filter.orchestrator() != null) {
            // rows older than the id, not yet given it, count by their name
            clauses.add(
                    "(orchestratorId = :orchestratorId or (orchestratorId is null and orchestrator = :orchestrator))");
            params.and("orchestratorId", filter.orchestratorId());
            params.and("orchestrator", filter.orchestrator());
        } else if (filter.orchestratorId() != null) {
            clauses.add("orchestratorId = :orchestratorId");
            params.and("orchestratorId", filter.orchestratorId());
        } else if (filter.orchestrator() != null) {
            clauses.add("orchestrator = :orchestrator");
            params.and("orchestrator", filter.orchestrator());
        }
        if (filter.namespace() != null) {
            clauses.add("namespace = :namespace");
            params.and("namespace", filter.namespace());
        }
        if (filter.app() != null) {
            clauses.add("app = :app");
            params.and("app", filter.app());
        }
        if (filter.phase() != null) {
            clauses.add("phase = :phase");
            params.and("phase", filter.phase());
        }
        String where = String.join(" and ", clauses);
        Sort sort = Sort.descending("requestedAt").and("id", Sort.Direction.Descending);
        var query = where.isEmpty() ? findAll(sort) : find(where, sort, params);
        return query.page(page, size)
                .list()
                .flatMap(items ->
                        (where.isEmpty() ? count() : count(where, params)).map(total -> new Page(items, total)));
    }

    /** The scope as a query clause: {@link Destinations#matches} and {@link Destinations#never} in JPQL. */
    private static String scopeClause(Scope scope, Parameters params) {
        params.and("cluster", Destinations.CLUSTER_PREFIX + "%");
        boolean anyWildcard = false;
        List<String> orchestrators = new ArrayList<>();
        int n = 0;
        for (Map.Entry<UUID, List<String>> entry : scope.patterns().entrySet()) {
            String o = "scopeO" + n++;
            params.and(o, entry.getKey());
            List<String> matches = new ArrayList<>();
            for (String pattern : entry.getValue()) {
                String p = "scopeP" + n++;
                if (pattern.equals("*")) {
                    anyWildcard = true;
                    matches.add("namespace <> :default");
                } else if (pattern.endsWith("*")) {
                    anyWildcard = true;
                    params.and(p, pattern.substring(0, pattern.length() - 1) + "%");
                    matches.add("(namespace like :" + p + " and namespace <> :default)");
                } else {
                    params.and(p, pattern);
                    matches.add("namespace = :" + p);
                }
            }
            orchestrators.add("(orchestratorId = :" + o + " and (" + String.join(" or ", matches) + "))");
        }
        if (anyWildcard) {
            // a query may bind only the parameters it names
            params.and("default", Destinations.DEFAULT);
        }
        String clause = "namespace not like :cluster and (" + String.join(" or ", orchestrators) + ")";
        if (scope.ownNamespace() != null) {
            params.and("own", scope.ownNamespace());
            clause += " and namespace <> :own";
        }
        return "(" + clause + ")";
    }

    /** Deployments in any of the states, oldest request first. */
    public Uni<List<Deployment>> inStates(Collection<DeploymentState> states) {
        return list("phase in ?1", Sort.ascending("requestedAt").and("id"), states);
    }

    /**
     * PENDING deployments requested before {@code before} whose request no longer waits in the outbox: published and
     * never taken up (refused, lost), or quarantined. The API gives a request's event the deployment's id.
     */
    public Uni<List<Deployment>> strandedPending(Instant before) {
        return find(
                        "from Deployment d where d.phase = ?1 and d.requestedAt < ?2 and not exists ("
                                + "select 1 from OutboxRecord o where o.eventId = d.id and o.quarantinedAt is null)"
                                + " order by d.requestedAt",
                        DeploymentState.PENDING,
                        before)
                .list();
    }

    /**
     * How many deployments of the app accepted after {@code d} have already been carried out (or are being): each
     * app's deployments are carried out in the order they were accepted, so {@code d} must not be carried out after
     * them.
     */
    public Uni<Long> countOvertaking(Deployment d) {
        AppRef app = AppRef.of(d);
        return find(
                        "from Deployment o where " + app.where("o", "a") + " and o.id <> :id"
                                + " and o.phase not in :waiting and exists (select 1 from PhaseEntry e where"
                                + " e.deploymentId = o.id and e.phase = :accepted and e.id > (select max(m.id) from"
                                + " PhaseEntry m where m.deploymentId = :id and m.phase = :accepted))",
                        app.parameters("a")
                                .and("id", d.id)
                                .and("waiting", List.of(DeploymentState.PENDING, DeploymentState.ACCEPTED))
                                .and("accepted", DeploymentPhase.ACCEPTED))
                .count();
    }

    /** The app's newest deployment, null when it has none. */
    public Uni<Deployment> latestOfApp(AppRef app) {
        return find(app.where(null, "a") + " order by requestedAt desc, id desc", app.parameters("a"))
                .firstResult();
    }

    /** The app's newest deployment other than {@code except}, null when it has none. */
    public Uni<Long> countForApp(AppRef app) {
        return count(app.where(null, "a"), app.parameters("a"));
    }

    /**
     * The latest deployment of each app, on every orchestrator, that is not an undeploy: the apps whose health is
     * followed.
     */
    public Uni<List<Deployment>> deployedApps() {
        return getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select * from (select distinct on (coalesce(cast(orchestrator_id as text),"
                                        + " orchestrator), namespace, app) * from deployments order by"
                                        + " coalesce(cast(orchestrator_id as text), orchestrator), namespace, app,"
                                        + " requested_at desc, id desc) latest where action <> 'DELETE'",
                                Deployment.class)
                        .getResultList());
    }

    /**
     * The latest deployment of each app on the orchestrator with this id (or, for rows older than ids, this name)
     * that may still have objects on the cluster: every app whose latest deployment is not a finished undeploy.
     */
    public Uni<List<Deployment>> liveApps(UUID orchestratorId, String orchestratorName) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select * from (select distinct on (namespace, app) * from deployments"
                                        + " where orchestrator_id = ?1 or (orchestrator_id is null and orchestrator ="
                                        + " cast(?2 as text)) order by namespace, app, requested_at desc, id desc) latest"
                                        + " where not (action = 'DELETE' and phase = 'DELETED') order by namespace, app",
                                Deployment.class)
                        .setParameter(1, orchestratorId)
                        .setParameter(2, orchestratorName)
                        .getResultList());
    }
}
