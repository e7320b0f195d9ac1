package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.PhaseEntry;
import dev.windlass.deployer.domain.Revision;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.deployer.repository.DeploymentRepository.Filter;
import dev.windlass.deployer.repository.PhaseRepository;
import dev.windlass.deployer.repository.RevisionRepository;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.validation.Rules;
import dev.windlass.events.validation.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The API's read use cases: lists, one deployment with its history, an app's revisions. */
@ApplicationScoped
public class QueryService {

    /** One deployment with its phase history and, when it has a revision, the revision's masked spec. */
    public record DeploymentDetails(Deployment deployment, List<PhaseEntry> phases, AppSpec spec) {}

    /** One revision with its masked spec and the outcome of the deployment that made it. */
    public record RevisionDetails(Revision revision, AppSpec spec, Deployment deployment) {}

    /**
     * What an app should have on its cluster now: the objects its newest revision recorded, and that revision's
     * spec with its secret values (for comparing with the cluster; never for an answer).
     */
    public record AppObjects(AppRef app, int revision, List<ObjectRef> objects, AppSpec spec) {}

    /** One page of deployments. */
    public record Page(List<Deployment> items, int page, int size, long total) {}

    private final DeploymentRepository deployments;
    private final PhaseRepository phases;
    private final RevisionRepository revisions;
    private final SpecStore specs;
    private final ReadScope scope;
    private final AppRows appRows;
    private final DeployerConfig.Api api;

    public QueryService(
            DeploymentRepository deployments,
            PhaseRepository phases,
            RevisionRepository revisions,
            SpecStore specs,
            ReadScope scope,
            AppRows appRows,
            DeployerConfig config) {
        this.deployments = deployments;
        this.phases = phases;
        this.revisions = revisions;
        this.specs = specs;
        this.scope = scope;
        this.appRows = appRows;
        this.api = config.api();
    }

    /**
     * A page of the deployments the caller may read, newest first; {@code size} null means the default, above the
     * maximum is refused.
     */
    @WithSession
    public Uni<Page> list(Caller caller, Filter filter, Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? api.defaultPageSize() : size;
        List<Violation> violations = new ArrayList<>();
        // page × size must stay an int (the first row's index): the registry bounds its pages the same way
        int maxPage = Integer.MAX_VALUE / (api.maxPageSize() + 1);
        if (p < 0 || p > maxPage) {
            violations.add(new Violation("page", Rules.RANGE, "must be between 0 and " + maxPage));
        }
        if (s < 1 || s > api.maxPageSize()) {
            violations.add(new Violation("size", Rules.RANGE, "must be between 1 and " + api.maxPageSize()));
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ValidationFailedException(violations));
        }
        return scope.resolve(filter)
                .flatMap(resolved -> scope.of(caller, resolved.orchestratorId())
                        .flatMap(where -> deployments.search(resolved, where, p, s)))
                .map(found -> new Page(found.items(), p, s, found.total()));
    }

    /** One deployment the caller may read; one it may not is not found, like one that does not exist. */
    @WithSession
    public Uni<DeploymentDetails> get(Caller caller, UUID id) {
        return readable(caller, id)
                .onItem()
                .ifNull()
                .failWith(() -> new NotFoundException("no deployment has id " + id))
                .flatMap(d -> phases.history(id)
                        .flatMap(history -> revisions
                                .ofDeployment(id)
                                .map(r -> new DeploymentDetails(d, history, r == null ? null : specs.masked(r)))));
    }

    /**
     * The app's revisions, newest first; not found when the app has none, not allowed (naming the namespace) when the
     * caller may not read there.
     */
    @WithSession
    public Uni<List<RevisionDetails>> revisions(Caller caller, String orchestrator, String namespace, String app) {
        return scope.readableApp(caller, orchestrator, namespace, app)
                .flatMap(ref -> revisions.ofApp(ref))
                .flatMap(list -> {
                    if (list.isEmpty()) {
                        return Uni.createFrom()
                                .failure(new NotFoundException(
                                        "app " + namespace + "/" + app + " on " + orchestrator + " has no revisions"));
                    }
                    List<UUID> ids = list.stream().map(r -> r.deploymentId).toList();
                    return deployments.list("id in ?1", ids).map(found -> {
                        Map<UUID, Deployment> byId =
                                found.stream().collect(Collectors.toMap(d -> d.id, Function.identity()));
                        return list.stream()
                                .map(r -> new RevisionDetails(r, specs.masked(r), byId.get(r.deploymentId)))
                                .toList();
                    });
                });
    }

    /**
     * The objects the app should have on its cluster: those its newest revision recorded (the revision of a
     * deployment in flight included). Not found when the app was never deployed there, or was undeployed since; not
     * allowed, naming the namespace, when the caller may not read there.
     */
    public Uni<AppObjects> appObjects(Caller caller, String orchestrator, String namespace, String app) {
        return scope.readableApp(caller, orchestrator, namespace, app)
                .flatMap(ref -> appRows.recorded(ref).flatMap(recorded -> {
                    Deployment latest = recorded.latest();
                    String named = "app " + namespace + "/" + app + " on " + orchestrator;
                    if (latest == null) {
                        return Uni.createFrom().failure(new NotFoundException(named + " was never deployed"));
                    }
                    if (latest.action == DeploymentAction.DELETE && latest.phase == DeploymentState.DELETED) {
                        return Uni.createFrom().failure(new NotFoundException(named + " was undeployed"));
                    }
                    for (Revision r : recorded.withObjects()) {
                        List<ObjectRef> objects = RevisionObjects.read(r.objectRefs);
                        if (!objects.isEmpty()) {
                            // only the revision answered with is opened
                            return Uni.createFrom().item(new AppObjects(ref, r.number, objects, specs.restore(r)));
                        }
                    }
                    return Uni.createFrom().failure(new NotFoundException(named + " has no objects recorded yet"));
                }));
    }

    /** The apps whose health is followed: every app whose newest deployment is not an undeploy. */
    @WithSession
    public Uni<List<AppRef>> deployedApps() {
        return deployments
                .deployedApps()
                .map(list -> list.stream().map(AppRef::of).toList());
    }

    /** An app whose newest revision takes pushed images on its own: that revision's spec and the newest deployment. */
    public record ImageUpdateCandidate(AppRef app, int revision, AppSpec spec, Deployment latest) {}

    /** The apps whose newest revision has image update settings and which are not undeployed. */
    @WithSession
    public Uni<List<ImageUpdateCandidate>> imageUpdateCandidates() {
        return withNewestDeployment(
                revisions.newestWithImageUpdates(),
                (r, latest) -> latest != null && latest.action != DeploymentAction.DELETE
                        ? new ImageUpdateCandidate(r.appRef(), r.number, specs.masked(r), latest)
                        : null);
    }

    /** The apps whose newest revision polls its registry for new images and which are not undeployed. */
    @WithSession
    public Uni<List<ImageUpdateCandidate>> imagePollCandidates() {
        return withNewestDeployment(revisions.newestPollingRegistries(), (r, latest) -> {
            if (latest == null || latest.action == DeploymentAction.DELETE) {
                return null;
            }
            AppSpec spec = specs.masked(r);
            return spec.imageUpdates() != null && spec.imageUpdates().poll() != null
                    ? new ImageUpdateCandidate(r.appRef(), r.number, spec, latest)
                    : null;
        });
    }

    /** An app self-heal looks at, with its newest deployment. */
    public record SelfHealCandidate(AppRef app, Deployment latest) {}

    /**
     * The apps self-heal looks at: those whose newest revision asks for it and whose newest deployment applied that
     * revision and succeeded (an app being deployed, failed or undeployed is left alone).
     */
    @WithSession
    public Uni<List<SelfHealCandidate>> selfHealCandidates() {
        return withNewestDeployment(
                revisions.newestWithSelfHeal(),
                (r, latest) -> latest != null
                                && latest.phase == DeploymentState.SUCCEEDED
                                && latest.action != DeploymentAction.DELETE
                                && latest.revision != null
                                && latest.revision == r.number
                        ? new SelfHealCandidate(r.appRef(), latest)
                        : null);
    }

    /** Each revision with its app's newest deployment, as {@code candidate} makes of them (null: left out). */
    private <T> Uni<List<T>> withNewestDeployment(
            Uni<List<Revision>> newest, java.util.function.BiFunction<Revision, Deployment, T> candidate) {
        return newest.onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(
                        r -> deployments.latestOfApp(r.appRef()).map(latest -> candidate.apply(r, latest)))
                .collect()
                .asList();
    }

    /** Whether a deployment has this id and the caller may read it. */
    @WithSession
    public Uni<Boolean> readableById(Caller caller, UUID id) {
        return readable(caller, id).map(d -> d != null);
    }

    /** The deployment, or null when there is none or the caller may not read it. */
    private Uni<Deployment> readable(Caller caller, UUID id) {
        return deployments
                .findById(id)
                .flatMap(d -> d == null
                        ? Uni.createFrom().nullItem()
                        : scope.mayRead(caller, AppRef.of(d).orchestratorRef(), d.namespace)
                                .map(may -> may ? d : null));
    }

    /** The deployment's phases recorded after the history entry {@code afterId}. */
    @WithSession
    public Uni<List<PhaseEntry>> since(UUID id, long afterId) {
        return phases.since(id, afterId);
    }
}
