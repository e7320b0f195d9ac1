package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.repository.ImageRegistryRepository;
import dev.windlass.deployer.service.ImageRegistries.Access;
import dev.windlass.deployer.service.ImageUpdates.Push;
import dev.windlass.deployer.service.ImageUpdates.Result;
import dev.windlass.deployer.service.QueryService.ImageUpdateCandidate;
import dev.windlass.events.spec.ImageUpdatePolicy;
import dev.windlass.events.validation.ImageReference;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Polling for new images, for registries that cannot send webhooks: every app whose newest revision has {@code
 * spec.imageUpdates.poll} has its repository's tags read that often, and the tag its policy chooses ({@link
 * ImageUpdatePolicy#choose}) is offered to it as a push would be — the same decision, approvals and update as a
 * webhook's. Under {@code force} the running tag's digest is read instead: the first poll of a tag without a digest
 * only records it, a later poll that finds another digest updates the app.
 *
 * <p>Every {@code image-updates.poll-tick} each replica looks for apps whose poll is due and takes each by moving its
 * next poll forward in one statement, so that of the replicas only one polls an app. A tick polls one repository once
 * however many apps run it. How each registry is reached is {@link ImageRegistries}'; what each poll found is kept
 * with the app ({@link #pollOf}).
 */
@ApplicationScoped
public class ImagePolls {

    private static final Logger LOG = Logger.getLogger(ImagePolls.class);

    private final QueryService queries;
    private final ImageUpdates updates;
    private final ImageRegistries registries;
    private final ImageRegistryRepository polls;
    private final OciRegistryClient client;
    private final ReadScope scope;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final Duration tick;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The reason each app's polls last failed for, so that a lasting failure is logged once. */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    private long timer = -1;

    public ImagePolls(
            QueryService queries,
            ImageUpdates updates,
            ImageRegistries registries,
            ImageRegistryRepository polls,
            OciRegistryClient client,
            ReadScope scope,
            ContextRunner runner,
            Vertx vertx,
            MeterRegistry meters,
            DeployerConfig config) {
        this.queries = queries;
        this.updates = updates;
        this.registries = registries;
        this.polls = polls;
        this.client = client;
        this.scope = scope;
        this.runner = runner;
        this.vertx = vertx;
        this.meters = meters;
        this.tick = config.imageUpdates().pollTick();
    }

    void start(@Observes StartupEvent start) {
        if (tick.isZero() || tick.isNegative()) {
            return;
        }
        timer = vertx.setPeriodic(tick.toMillis(), ignored -> {
            // one tick at a time: a slow registry must not pile ticks up
            if (running.compareAndSet(false, true)) {
                pollDue().subscribe().with(polled -> running.set(false), failure -> {
                    running.set(false);
                    LOG.warnf("image polls failed: %s", failure.getMessage());
                });
            }
        });
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** What an app's last poll found, and when it polls next. */
    public record PollState(Instant nextPollAt, Instant polledAt, String outcome) {}

    /** Polls every app whose poll is due; how many were polled. */
    public Uni<Integer> pollDue() {
        Instant now = Instant.now();
        Map<String, Uni<List<String>>> tagsThisTick = new ConcurrentHashMap<>();
        return runner.onNewContext(queries::imagePollCandidates)
                .onItem()
                .transformToMulti(candidates -> Multi.createFrom().iterable(candidates))
                .filter(candidate -> ImageUpdates.running(candidate).isPresent())
                .onItem()
                .transformToUniAndConcatenate(candidate -> runner.onNewContext(() -> take(candidate, now))
                        .flatMap(taken -> taken
                                ? poll(candidate, tagsThisTick)
                                : Uni.createFrom().item(false)))
                .filter(Boolean::booleanValue)
                .collect()
                .asList()
                .map(List::size);
    }

    @WithTransaction
    Uni<Boolean> take(ImageUpdateCandidate candidate, Instant now) {
        Duration every = candidate.spec().imageUpdates().pollInterval().orElseThrow();
        return polls.takePoll(candidate.app().key(), now, now.plus(every));
    }

    private Uni<Boolean> poll(ImageUpdateCandidate candidate, Map<String, Uni<List<String>>> tagsThisTick) {
        ImageReference image = ImageUpdates.running(candidate).orElseThrow();
        ImageUpdatePolicy policy = candidate.spec().imageUpdates().parsedPolicy();
        String host = image.registryHost();
        String repository = image.fullRepository();
        Uni<Access> access = registries.access(host);
        Uni<Found> found;
        if (policy.kind() == ImageUpdatePolicy.Kind.NONE) {
            found = Uni.createFrom().item(new Found(null, null, "its policy is none"));
        } else if (policy.kind() == ImageUpdatePolicy.Kind.FORCE) {
            found = forced(candidate, image, access);
        } else {
            found = tagsThisTick
                    .computeIfAbsent(
                            host + "/" + repository,
                            key -> access.flatMap(a -> client.tags(a, repository))
                                    .memoize()
                                    .indefinitely())
                    .map(tags -> policy.choose(image, tags)
                            .map(tag -> new Found(tag, null, null))
                            .orElseGet(() -> new Found(
                                    null, null, "no tag of " + tags.size() + " that " + policy.text() + " takes")));
        }
        return found.flatMap(f -> f.tag() == null
                        ? Uni.createFrom().item(f)
                        : updates.offer(candidate, new Push(host, repository, f.tag(), f.digest()))
                                .map(result -> f.withOutcome(describe(result))))
                .onFailure()
                .recoverWithItem(e -> failed(candidate, e))
                .invoke(f -> {
                    if (!f.failed()) {
                        lastFailure.remove(candidate.app().key());
                    }
                })
                .flatMap(f -> runner.onNewContext(() -> record(candidate, f)))
                .invoke(f -> count(f))
                .replaceWith(true);
    }

    /** Under force: the running tag's digest now, offered when it differs from the one running or last seen. */
    private Uni<Found> forced(ImageUpdateCandidate candidate, ImageReference image, Uni<Access> access) {
        String tag = image.tag() == null ? ImageUpdatePolicy.DEFAULT_TAG : image.tag();
        return access.flatMap(a -> client.digest(a, image.fullRepository(), tag))
                .flatMap(digest -> {
                    if (digest.isEmpty()) {
                        return Uni.createFrom().item(new Found(null, null, "the registry gave no digest of " + tag));
                    }
                    if (image.digest() != null) {
                        return Uni.createFrom().item(new Found(tag, digest.get(), null).seen(digest.get()));
                    }
                    return runner.onNewContext(() -> seen(candidate))
                            .map(seen -> seen == null
                                    ? new Found(null, null, "recorded " + tag + " at " + digest.get())
                                            .seen(digest.get())
                                    : seen.equals(digest.get())
                                            ? new Found(null, null, tag + " is still " + seen)
                                            : new Found(tag, digest.get(), null).seen(digest.get()));
                });
    }

    @WithSession
    Uni<String> seen(ImageUpdateCandidate candidate) {
        return polls.seenDigest(candidate.app().key());
    }

    @WithTransaction
    Uni<Found> record(ImageUpdateCandidate candidate, Found found) {
        return polls.polled(candidate.app().key(), Instant.now(), found.outcome(), found.seenDigest())
                .replaceWith(found);
    }

    /** The app's poll: when it polls next, when it last did and what it found; empty when it never polled. */
    @WithSession
    public Uni<Optional<PollState>> pollOf(Caller caller, String orchestrator, String namespace, String app) {
        return scope.readableApp(caller, orchestrator, namespace, app)
                .flatMap(ref -> polls.pollOf(ref.key()))
                .map(row ->
                        Optional.ofNullable(row).map(r -> new PollState(instant(r[0]), instant(r[1]), (String) r[2])));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return (Instant) value;
    }

    private Found failed(ImageUpdateCandidate candidate, Throwable failure) {
        String why = failure instanceof RegistryPollException
                ? failure.getMessage()
                : "the poll failed (" + failure.getClass().getSimpleName() + ")";
        // said once per app while the reason stays the same: a registry that is away fails every poll
        String key = candidate.app().key();
        if (!why.equals(lastFailure.put(key, why))) {
            LOG.infof("image poll of %s: %s", key, why);
        }
        return new Found(null, null, why, null, true);
    }

    private static String describe(Result result) {
        return switch (result.outcome()) {
            case UPDATING -> "updating to " + result.image() + " (deployment " + result.deployment() + ")";
            case AWAITING_APPROVAL -> "found " + result.image() + ": waiting for approvals";
            case NOT_TAKEN -> result.image() == null ? "nothing newer taken" : "found " + result.image() + " again";
        };
    }

    private void count(Found found) {
        String outcome = found.tag() != null ? "offered" : found.failed() ? "failed" : "nothing-new";
        meters.counter("windlass.image.polls", "outcome", outcome).increment();
    }

    /** What a poll found: a tag (and digest) to offer, or why there is none; the digest to remember. */
    record Found(String tag, String digest, String outcome, String seenDigest, boolean failed) {

        Found(String tag, String digest, String outcome) {
            this(tag, digest, outcome, null, false);
        }

        Found seen(String digest) {
            return new Found(tag, this.digest, outcome, digest, failed);
        }

        Found withOutcome(String text) {
            return new Found(tag, digest, text, seenDigest, failed);
        }
    }
}
