package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One subscriber's tracking of one revision: listens to the namespace's Deployments on the object cache, which hands
 * it the cached state first and every change after it (so nothing between the two is missed), and ends the stream on
 * the first final state, a permanent failure or the deadline. A Deployment the cache does not hold yet (its apply's
 * watch event still on its way) is given {@link #ABSENT_GRACE} to arrive before it is read from the API server, so a
 * just-applied Deployment is never taken for a missing one. Each attempt has a number; callbacks of an attempt that is
 * no longer the current one are ignored, and so are states older than one already seen.
 */
final class RolloutTracking {

    private static final Logger LOG = Logger.getLogger(RolloutTracking.class);

    /** How long a Deployment the cache does not hold may take to arrive before the API server is asked. */
    static final Duration ABSENT_GRACE = Duration.ofSeconds(2);

    private final RolloutWatcher watcher;
    private final ClusterConnection cluster;
    private final String namespace;
    private final String app;
    private final int revision;
    private final Duration deadline;
    private final MultiEmitter<? super RolloutUpdate> emitter;

    private boolean finished;
    private int generation;
    private ObjectCache.Listening listening;
    private int failures;
    private ScheduledFuture<?> deadlineTimer;
    private AutoCloseable retirement;
    private Deployment last;
    private String lastMessage;
    private ClusterException lastError;
    /** The client this tracking follows with; another one in the cache means its material changed. */
    private final AtomicReference<KubernetesClient> client = new AtomicReference<>();

    RolloutTracking(
            RolloutWatcher watcher,
            ClusterConnection cluster,
            String namespace,
            String app,
            int revision,
            Duration deadline,
            MultiEmitter<? super RolloutUpdate> emitter) {
        this.watcher = watcher;
        this.cluster = cluster;
        this.namespace = namespace;
        this.app = app;
        this.revision = revision;
        this.deadline = deadline;
        this.emitter = emitter;
    }

    void start() {
        emitter.onTermination(this::stop);
        synchronized (this) {
            deadlineTimer = watcher.later(this::deadlineReached, deadline);
            retirement = watcher.clients.onRetired(cluster.name(), this::clientRetired);
        }
        watcher.executor.execute(this::follow);
    }

    /** Listens to the namespace's Deployments (starting its informers if this is their first use). */
    private void follow() {
        int number;
        synchronized (this) {
            if (finished) {
                return;
            }
            number = ++generation;
        }
        KubernetesClient current;
        try {
            // a StaleConnectionException when the material changed: whoever follows the rollout fetches it again
            current = watcher.clients.sameClient(cluster, client);
        } catch (ClusterException e) {
            fail(e);
            return;
        }
        ObjectCache.Listening joined;
        try {
            joined = watcher.cache.listen(current, cluster.name(), namespace, new Listener(number));
        } catch (RuntimeException e) {
            retryOrFail(ClusterFailures.translate("watch Deployments in " + namespace, e));
            return;
        }
        if (!keep(joined, number)) {
            return;
        }
        Deployment seen;
        synchronized (this) {
            seen = last;
        }
        watcher.afterRead.accept(seen);
        if (seen == null) {
            watcher.later(() -> absent(number, current), ABSENT_GRACE);
        }
    }

    /** Keeps the listening when it is still the current attempt's; closes it otherwise. */
    private boolean keep(ObjectCache.Listening joined, int number) {
        synchronized (this) {
            if (!finished && number == generation) {
                if (listening != null) {
                    listening.close();
                }
                listening = joined;
                lastError = null;
                return true;
            }
        }
        joined.close();
        return false;
    }

    /** The cache has not heard of the Deployment within the grace: the API server says whether it exists. */
    private void absent(int number, KubernetesClient current) {
        synchronized (this) {
            if (!isCurrent(number) || last != null) {
                return;
            }
        }
        Deployment seen;
        try {
            seen = read(current);
        } catch (RuntimeException e) {
            retryOrFail(ClusterFailures.translate("read Deployment " + namespace + "/" + app, e));
            return;
        }
        if (seen == null) {
            finish(notFound());
        } else {
            observe(seen);
        }
    }

    private Deployment read(KubernetesClient current) {
        return current.apps().deployments().inNamespace(namespace).withName(app).get();
    }

    private RolloutUpdate notFound() {
        return new RolloutUpdate(
                RolloutState.FAILED, "NotFound: Deployment " + namespace + "/" + app + " does not exist");
    }

    /** Whether resource version {@code a} is newer than {@code b}; true when either cannot be compared. */
    static boolean isAfter(String a, String b) {
        try {
            return Long.parseLong(a) > Long.parseLong(b);
        } catch (NumberFormatException | NullPointerException e) {
            return true;
        }
    }

    /** A transient failure is tried again after a backoff (until the deadline); any other ends the stream. */
    private void retryOrFail(ClusterException error) {
        if (!error.isTransientFailure()) {
            fail(error);
            return;
        }
        Duration delay;
        synchronized (this) {
            lastError = error;
            failures++;
            delay = watcher.backoff.backoff(failures);
        }
        LOG.debugf("rollout of %s/%s: %s; trying again", namespace, app, error.getMessage());
        if (!isFinished()) {
            watcher.later(this::follow, delay);
        }
    }

    /**
     * The orchestrator's client was closed, and with it the namespace's informers: the next attempt finds another
     * client in the cache and ends the stream as stale.
     */
    private void clientRetired() {
        ObjectCache.Listening left;
        synchronized (this) {
            if (finished) {
                return;
            }
            generation++;
            left = listening;
            listening = null;
        }
        if (left != null) {
            left.close();
        }
        watcher.later(this::follow, Duration.ZERO);
    }

    private synchronized void observe(Deployment deployment) {
        if (finished
                || (last != null
                        && !isAfter(
                                deployment.getMetadata().getResourceVersion(),
                                last.getMetadata().getResourceVersion())
                        && !deployment
                                .getMetadata()
                                .getResourceVersion()
                                .equals(last.getMetadata().getResourceVersion()))) {
            return; // an older state than one already seen (the replay and the informer's events may cross)
        }
        last = deployment;
        RolloutUpdate update = RolloutEvaluator.evaluate(deployment, revision);
        if (update.isFinal()) {
            finish(update);
        } else if (!update.message().equals(lastMessage)) {
            lastMessage = update.message();
            emitter.emit(update);
        }
    }

    /**
     * The deadline passed. The verdict rests on the last state heard while the Deployments are watched; while their
     * watch is being re-established, on a fresh read, and when that read fails too, the stream fails as transient:
     * a rollout that could not be followed is not called failed.
     */
    private void deadlineReached() {
        Deployment seen;
        ClusterException error;
        ObjectCache.Listening following;
        synchronized (this) {
            if (finished) {
                return;
            }
            seen = last;
            error = lastError;
            following = listening;
        }
        KubernetesClient current = client.get();
        if (error == null && (following == null || !following.watching()) && current != null) {
            try {
                seen = read(current);
                if (seen == null) {
                    finish(notFound());
                    return;
                }
                observe(seen);
                if (isFinished()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the API server away, or the client retired meanwhile: a verdict needs a state that is current
                error = ClusterFailures.translate("read Deployment " + namespace + "/" + app, e);
            }
        }
        if (error != null) {
            fail(new ClusterException(
                    "rollout of revision " + revision + " of " + namespace + "/" + app
                            + " could not be followed within " + deadline + ": " + error.getMessage(),
                    error.getStatus(),
                    true,
                    error));
            return;
        }
        finish(new RolloutUpdate(
                RolloutState.FAILED, RolloutEvaluator.deadlineExceeded(app, revision, deadline, seen, podProblems())));
    }

    /** What the revision's pods show, when these credentials may list them. */
    private List<String> podProblems() {
        KubernetesClient current = client.get();
        if (current == null) {
            return List.of();
        }
        try {
            List<Pod> pods = current.pods()
                    .inNamespace(namespace)
                    .withLabels(WindlassLabels.of(app, revision))
                    .list()
                    .getItems();
            return PodDiagnosis.problems(pods);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private synchronized void finish(RolloutUpdate update) {
        if (finished) {
            return;
        }
        release();
        emitter.emit(update);
        emitter.complete();
    }

    private synchronized void fail(ClusterException error) {
        if (finished) {
            return;
        }
        release();
        emitter.fail(error);
    }

    private synchronized boolean isFinished() {
        return finished;
    }

    private synchronized void stop() {
        if (!finished) {
            release();
        }
    }

    private void release() {
        finished = true;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        if (retirement != null) {
            try {
                retirement.close();
            } catch (Exception e) {
                LOG.debug("could not stop listening for client retirement", e);
            }
        }
        if (listening != null) {
            listening.close();
            listening = null;
        }
    }

    private synchronized boolean isCurrent(int number) {
        return !finished && number == generation;
    }

    /** What the cache hears of this app's Deployment, tagged with the attempt's number; Pods and other apps ignored. */
    private final class Listener implements ResourceEventHandler<HasMetadata> {

        private final int number;

        Listener(int number) {
            this.number = number;
        }

        private boolean ours(HasMetadata object) {
            return object instanceof Deployment
                    && app.equals(object.getMetadata().getName())
                    && isCurrent(number);
        }

        @Override
        public void onAdd(HasMetadata object) {
            if (ours(object)) {
                observe((Deployment) object);
            }
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            onAdd(after);
        }

        @Override
        public void onDelete(HasMetadata object, boolean unknownFinalState) {
            if (ours(object)) {
                finish(new RolloutUpdate(
                        RolloutState.FAILED, "Deleted: Deployment " + namespace + "/" + app + " was deleted"));
            }
        }
    }
}
