package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.AppRef;
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

    public Uni<Revision> findNumber(AppRef app, int number) {
        return find(
                        app.where(null, "a") + " and number = :number",
                        app.parameters("a").and("number", number))
                .firstResult();
    }

    /** The app's newest revision (highest number), null when it has none. */
    public Uni<Revision> newest(AppRef app) {
        return find(app.where(null, "a"), Sort.descending("number"), app.parameters("a"))
                .firstResult();
    }

    /** The app's revisions, newest first. */
    public Uni<List<Revision>> ofApp(AppRef app) {
        return list(app.where(null, "a"), Sort.descending("number"), app.parameters("a"));
    }

    /**
     * The newest revision of every app whose newest revision asks for self-heal (its stored spec holds
     * {@code "selfHeal":true}, as the spec is written, compactly).
     */
    public Uni<List<Revision>> newestWithSelfHeal() {
        return newestWhoseSpecHas("\"selfHeal\":true");
    }

    /** Every app's newest revision whose spec has image update settings. */
    public Uni<List<Revision>> newestWithImageUpdates() {
        return newestWhoseSpecHas("\"imageUpdates\":{");
    }

    /**
     * Every app's newest revision whose spec may poll its registry: a cheap text match, which the caller confirms on
     * the parsed spec (an env value could hold the same text).
     */
    public Uni<List<Revision>> newestPollingRegistries() {
        return newestWhoseSpecHas("\"poll\":\"P");
    }

    private Uni<List<Revision>> newestWhoseSpecHas(String json) {
        return list(
                "from Revision r where r.spec like ?1 and r.orchestratorId is not null and r.number = (select"
                        + " max(r2.number) from Revision r2 where r2.orchestratorId = r.orchestratorId"
                        + " and r2.namespace = r.namespace and r2.app = r.app)",
                "%" + json + "%");
    }

    public Uni<Revision> ofDeployment(UUID deploymentId) {
        return find("deploymentId", deploymentId).firstResult();
    }
}
