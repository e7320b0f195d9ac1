package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Gives rows stored before the deployer kept orchestrator ids (deployments, revisions, host claims) the id of the
 * orchestrator their name stands for, so that a later rename keeps them with their app. Names the registry does not
 * know are left as they are (their rows stay readable, by name); while the registry cannot be asked, the next run
 * tries again. Runs when the deployer starts and with each recovery sweep until one run found nothing left to ask.
 */
@ApplicationScoped
public class IdentityBackfill {

    private static final Logger LOG = Logger.getLogger(IdentityBackfill.class);

    private static final List<String> TABLES = List.of("deployments", "revisions", "host_claims");

    private final ConnectionCache connections;
    private final ContextRunner runner;
    private final AtomicBoolean done = new AtomicBoolean();

    public IdentityBackfill(ConnectionCache connections, ContextRunner runner) {
        this.connections = connections;
        this.runner = runner;
    }

    /** Fills in what can be filled in, unless an earlier run found nothing left to ask; see {@link #fillAll}. */
    public Uni<Integer> run() {
        return done.get() ? Uni.createFrom().item(0) : fillAll();
    }

    /** Fills in what can be filled in; the number of orchestrator names given an id. */
    public Uni<Integer> fillAll() {
        return runner.onNewContext(() -> Panache.withSession(IdentityBackfill::namesWithoutIds))
                .flatMap(names -> Multi.createFrom()
                        .iterable(names)
                        .onItem()
                        .transformToUniAndConcatenate(name -> connections
                                .get(name)
                                .flatMap(connection -> runner.onNewContext(() -> fill(name, connection.id())))
                                .replaceWith(1)
                                .onFailure(OrchestratorNotFoundException.class)
                                .recoverWithItem(0))
                        .collect()
                        .asList())
                .map(filled -> {
                    int count = filled.stream().mapToInt(Integer::intValue).sum();
                    done.set(true);
                    if (count > 0) {
                        LOG.infof("gave the rows of %d orchestrator name(s) their orchestrator's id", count);
                    }
                    return count;
                });
    }

    private static Uni<List<String>> namesWithoutIds() {
        String union = String.join(
                " union ",
                TABLES.stream()
                        .map(table -> "select orchestrator from " + table + " where orchestrator_id is null")
                        .toList());
        return Panache.getSession()
                .flatMap(session ->
                        session.createNativeQuery(union, String.class).getResultList());
    }

    private static Uni<Void> fill(String name, UUID id) {
        return Panache.withTransaction(() -> Multi.createFrom()
                .iterable(TABLES)
                .onItem()
                .transformToUniAndConcatenate(table -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(
                                        "update " + table
                                                + " set orchestrator_id = ?1 where orchestrator_id is null and orchestrator = ?2")
                                .setParameter(1, id)
                                .setParameter(2, name)
                                .executeUpdate()))
                .collect()
                .asList()
                .replaceWithVoid());
    }
}
