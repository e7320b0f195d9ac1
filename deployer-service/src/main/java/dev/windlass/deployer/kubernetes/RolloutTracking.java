package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One subscriber's tracking of one revision: reads the Deployment, watches it from that version, watches again when
 * a watch ends, and ends the stream on the first final state, a permanent failure or the deadline. Each watch has a
 * number; callbacks of a watch that is no longer the current one are ignored.
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
    private Watch watch;
    private long watchStarted;
    private int failures;
    private ScheduledFuture<?> deadlineTimer;
    private AutoCloseable retirement;
    private Deployment last;
    private String lastMessage;
    private ClusterException lastError;
    private volatile KubernetesClient client;

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
            deadlineTimer =
                    watcher.executor.schedule(this::deadlineReached, deadline.toMillis(), TimeUnit.MILLISECONDS);
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
        Deployment current;
        try {
            client = watcher.clients.client(cluster);
            current = client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(app)
                    .get();
        } catch (KubernetesClientException e) {
            retryOrFail("read", e);
            return;
        } catch (ClusterException e) {
            fail(e);
            return;
        }
        if (current == null) {
            finish(new RolloutUpdate(
                    RolloutState.FAILED, "NotFound: Deployment " + namespace + "/" + app + " does not exist"));
            return;
        }
        observe(current);
        if (isFinished()) {
            return;
        }
        try {
            Watch opened = client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(app)
                    .watch(
                            new ListOptionsBuilder()
                                    .withResourceVersion(current.getMetadata().getResourceVersion())
                                    .withTimeoutSeconds(Math.max(1, watcher.watchTimeout.toSeconds()))
                                    .build(),
                            new Listener(number));
            watcher.watchOpened();
            keep(opened, number);
        } catch (KubernetesClientException e) {
            retryOrFail("watch", e);
        }
    }

    private void keep(Watch opened, int number) {
        synchronized (this) {
            if (!finished && number == generation) {
                watch = opened;
                watchStarted = System.nanoTime();
                lastError = null;
                return;
            }
        }
        opened.close();
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

    /** The current watch ended: watch again, backing off when watches keep ending at once. */
    private void watchEnded(int number) {
        Duration delay;
        synchronized (this) {
            if (finished || number != generation) {
                return;
            }
            watch = null;
            boolean quick = System.nanoTime() - watchStarted < QUICK_CLOSE.toNanos();
            failures = quick ? failures + 1 : 0;
            delay = failures == 0 ? Duration.ZERO : watcher.backoff.backoff(failures);
        }
        watchAgainAfter(delay);
    }

    /** The orchestrator's client was closed, and with it the current watch, which may never say so. */
    private void clientRetired() {
        Watch closed;
        synchronized (this) {
            if (finished) {
                return;
            }
            generation++;
            closed = watch;
            watch = null;
        }
        if (closed != null) {
            closed.close();
        }
        watchAgainAfter(Duration.ZERO);
    }

    private void watchAgainAfter(Duration delay) {
        if (!isFinished()) {
            watcher.executor.schedule(this::watchFromCurrentState, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void observe(Deployment deployment) {
        if (finished) {
            return;
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
        KubernetesClient current = client;
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
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    /** Callbacks of one watch, tagged with its number. */
    private final class Listener implements Watcher<Deployment> {

        private final int number;

        Listener(int number) {
            this.number = number;
        }

        @Override
        public void eventReceived(Action action, Deployment deployment) {
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
        public void onClose(WatcherException cause) {
            LOG.debugf("watch of Deployment %s/%s ended (%s)", namespace, app, cause.getMessage());
            watchEnded(number);
        }

        @Override
        public void onClose() {
            watchEnded(number);
        }
    }

    private synchronized boolean isCurrent(int number) {
        return !finished && number == generation;
    }
}
