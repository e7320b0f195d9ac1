package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One subscriber's tracking of one revision: joins the namespace's shared watch ({@link DeploymentWatches}), then
 * reads the Deployment (so no change after the read can be missed), joins the next watch and reads again when one
 * ends, and ends the stream on the first final state, a permanent failure or the deadline. Each attempt has a
 * number; callbacks of an attempt that is no longer the current one are ignored, and so are states older than one
 * already seen.
 */
final class RolloutTracking {

    private static final Logger LOG = Logger.getLogger(RolloutTracking.class);
    private static final Duration QUICK_CLOSE = Duration.ofSeconds(1);

    private final RolloutWatcher watcher;
    private final ClusterConnection cluster;
    private final String namespace;
    private final String app;
    private final int revision;
    private final Duration deadline;
    private final MultiEmitter<? super RolloutUpdate> emitter;

    private boolean finished;
    private int generation;
    private DeploymentWatches.Subscription subscription;
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
        watcher.executor.execute(this::watchFromCurrentState);
    }

    private void watchFromCurrentState() {
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
        // joined first, read second: every change after the read reaches the listener, whenever the shared watch
        // started (a read made before joining a running watch would miss a change made in between)
        DeploymentWatches.Subscription joined =
                watcher.watches.subscribe(current, namespace, app, new Listener(number));
        joined.established()
                .whenComplete((startedAt, failure) ->
                        watcher.executor.execute(() -> joined(number, joined, current, failure)));
    }

    /** The shared watch runs (or could not be opened): keep the place in it and read the Deployment's state. */
    private void joined(
            int number, DeploymentWatches.Subscription joined, KubernetesClient current, Throwable failure) {
        if (!keep(joined, number)) {
            return;
        }
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            drop(number);
            if (cause instanceof KubernetesClientException e) {
                retryOrFail("watch", e);
            } else {
                retryOrFail("watch", new KubernetesClientException(cause.getMessage(), cause));
            }
            return;
        }
        try {
            Deployment seen = read(current);
            watcher.afterRead.accept(seen);
            if (seen == null) {
                finish(notFound());
            } else {
                observe(seen);
            }
        } catch (KubernetesClientException e) {
            drop(number);
            retryOrFail("read", e);
        }
    }

    private Deployment read(KubernetesClient current) {
        return current.apps().deployments().inNamespace(namespace).withName(app).get();
    }

    private RolloutUpdate notFound() {
        return new RolloutUpdate(
                RolloutState.FAILED, "NotFound: Deployment " + namespace + "/" + app + " does not exist");
    }

    /** Keeps the subscription when it is still the current one; closes it otherwise. */
    private boolean keep(DeploymentWatches.Subscription joined, int number) {
        synchronized (this) {
            if (!finished && number == generation) {
                if (subscription != joined) {
                    if (subscription != null) {
                        subscription.close();
                    }
                    subscription = joined;
                    lastError = null;
                }
                return true;
            }
        }
        joined.close();
        return false;
    }

    /** Leaves the current shared watch (it failed or ended) so that the next attempt joins another. */
    private void drop(int number) {
        DeploymentWatches.Subscription left;
        synchronized (this) {
            if (number != generation) {
                return;
            }
            left = subscription;
            subscription = null;
        }
        if (left != null) {
            left.close();
        }
    }

    /** Whether resource version {@code a} is newer than {@code b}; true when either cannot be compared. */
    static boolean isAfter(String a, String b) {
        try {
            return Long.parseLong(a) > Long.parseLong(b);
        } catch (NumberFormatException | NullPointerException e) {
            return true;
        }
    }

    private void retryOrFail(String verb, KubernetesClientException e) {
        ClusterException error = ClusterFailures.translate(verb + " Deployment " + namespace + "/" + app, e);
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
        watchAgainAfter(delay);
    }

    /** The shared watch ended: join the next one, backing off when watches keep ending at once. */
    private void watchEnded(int number, Duration lived) {
        Duration delay;
        synchronized (this) {
            if (finished || number != generation) {
                return;
            }
            subscription = null;
            boolean quick = lived.compareTo(QUICK_CLOSE) < 0;
            failures = quick ? failures + 1 : 0;
            delay = failures == 0 ? Duration.ZERO : watcher.backoff.backoff(failures);
        }
        watchAgainAfter(delay);
    }

    /**
     * The orchestrator's client was closed, and with it the shared watch, which may never say so: the next attempt
     * finds another client in the cache and ends the stream as stale.
     */
    private void clientRetired() {
        DeploymentWatches.Subscription left;
        synchronized (this) {
            if (finished) {
                return;
            }
            generation++;
            left = subscription;
            subscription = null;
        }
        if (left != null) {
            left.close();
        }
        watchAgainAfter(Duration.ZERO);
    }

    private void watchAgainAfter(Duration delay) {
        if (!isFinished()) {
            watcher.later(this::watchFromCurrentState, delay);
        }
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
            return; // an older state than one already seen (the shared watch started before it was read)
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

    private void deadlineReached() {
        Deployment seen;
        ClusterException error;
        synchronized (this) {
            if (finished) {
                return;
            }
            seen = last;
            error = lastError;
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
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** What the shared watch says of this app's Deployment, tagged with the attempt's number. */
    private final class Listener implements DeploymentWatches.Listener {

        private final int number;

        Listener(int number) {
            this.number = number;
        }

        @Override
        public void changed(Watcher.Action action, Deployment deployment) {
            if (!isCurrent(number)) {
                return;
            }
            switch (action) {
                case ADDED, MODIFIED -> observe(deployment);
                case DELETED ->
                    finish(new RolloutUpdate(
                            RolloutState.FAILED, "Deleted: Deployment " + namespace + "/" + app + " was deleted"));
                default -> {
                    // bookmarks and errors carry no state of the Deployment
                }
            }
        }

        @Override
        public void ended(Duration lived) {
            LOG.debugf("the watch following Deployment %s/%s ended", namespace, app);
            watchEnded(number, lived);
        }
    }

    private synchronized boolean isCurrent(int number) {
        return !finished && number == generation;
    }
}
