package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.Revision;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** App revisions. */
@ApplicationScoped
public class RevisionRepository implements PanacheRepositoryBase<Revision, Long> {

    /** The number the app's next revision gets: one more than its highest, or 1. */
    public Uni<Integer> nextNumber(String orchestrator, String namespace, String app) {
        return find(
                        "select max(r.number) from Revision r where r.orchestrator = ?1 and r.namespace = ?2"
                                + " and r.app = ?3",
                        orchestrator,
                        namespace,
                        app)
                .project(Integer.class)
                .firstResult()
                .map(max -> max == null ? 1 : max + 1);
    }

    public Uni<Revision> findNumber(String orchestrator, String namespace, String app, int number) {
        return find(
                        "orchestrator = ?1 and namespace = ?2 and app = ?3 and number = ?4",
                        orchestrator,
                        namespace,
                        app,
                        number)
                .firstResult();
    }

    /** The app's revisions, newest first. */
    public Uni<List<Revision>> ofApp(String orchestrator, String namespace, String app) {
        return list(
                "orchestrator = ?1 and namespace = ?2 and app = ?3",
                Sort.descending("number"),
                orchestrator,
                namespace,
                app);
    }

    /**
     * The distinct object-ref records of the app's revisions (JSON arrays, see {@link Revision#objectRefs}); a null
     * among them stands for revisions whose objects are unknown.
     */
    public Uni<List<String>> objectRefsOfApp(String orchestrator, String namespace, String app) {
        return find(
                        "select distinct r.objectRefs from Revision r where r.orchestrator = ?1 and r.namespace = ?2"
                                + " and r.app = ?3",
                        orchestrator,
                        namespace,
                        app)
                .project(String.class)
                .list();
    }

    /** Records the objects revision {@code id} applies or tries to apply. */
    public Uni<Integer> recordObjectRefs(Long id, String objectRefs) {
        return update("objectRefs = ?1 where id = ?2", objectRefs, id);
    }

    public Uni<Revision> ofDeployment(UUID deploymentId) {
        return find("deploymentId", deploymentId).firstResult();
    }
}
