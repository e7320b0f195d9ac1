package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Follows one revision's rollout by watching the app's Deployment: each change is evaluated, progress is emitted
 * when it changes, and the first final state (or the deadline) ends the stream. When the server ends a watch
 * (timeout, 410 Gone, a dropped connection) the tracker reads the Deployment again and watches from there.
 */
public final class RolloutWatcher {

    private static final Logger LOG = Logger.getLogger(RolloutWatcher.class);
    private static final Duration QUICK_CLOSE = Duration.ofSeconds(1);

    private final ScheduledExecutorService executor;
    private final Duration watchTimeout;
    private final Retry backoff;
    private final AtomicInteger watchesOpened = new AtomicInteger();

    /**
     * @param executor runs the blocking reads, the watch starts and the deadline timer
     * @param watchTimeout how long the server keeps one watch open before the tracker re-watches
     * @param backoff delays between attempts after failures
     */
    public RolloutWatcher(ScheduledExecutorService executor, Duration watchTimeout, Retry backoff) {
        this.executor = executor;
        this.watchTimeout = watchTimeout;
        this.backoff = backoff;
    }

    /** Updates of revision {@code revision} of {@code app} until it succeeds, fails or {@code deadline} passes. */
    public Multi<RolloutUpdate> track(
            KubernetesClient client, String namespace, String app, int revision, Duration deadline) {
        return Multi.createFrom()
                .emitter(emitter -> new Tracking(client, namespace, app, revision, deadline, emitter).start());
    }

    /** How many watches this tracker has opened, re-watches included. */
    int watchesOpened() {
        return watchesOpened.get();
    }

    /** One subscriber's tracking of one revision. */
    private final class Tracking implements Watcher<Deployment> {

        private final KubernetesClient client;
        private final String namespace;
        private final String app;
        private final int revision;
        private final Duration deadline;
        private final MultiEmitter<? super RolloutUpdate> emitter;

        private boolean finished;
        private Watch watch;
        private ScheduledFuture<?> deadlineTimer;
        private long watchStarted;
        private int failures;
        private Deployment last;
        private String lastMessage;
        private ClusterException lastError;

        Tracking(
                KubernetesClient client,
                String namespace,
                String app,
                int revision,
                Duration deadline,
                MultiEmitter<? super RolloutUpdate> emitter) {
            this.client = client;
            this.namespace = namespace;
            this.app = app;
            this.revision = revision;
            this.deadline = deadline;
            this.emitter = emitter;
        }

        void start() {
            emitter.onTermination(this::stop);
            synchronized (this) {
                deadlineTimer = executor.schedule(this::deadlineReached, deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
            executor.execute(this::watchFromCurrentState);
        }

        private void watchFromCurrentState() {
            if (isFinished()) {
                return;
            }
            Deployment current;
            try {
                current = client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(app)
                        .get();
            } catch (KubernetesClientException e) {
                retryOrFail("read", e);
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
                                        .withResourceVersion(
                                                current.getMetadata().getResourceVersion())
                                        .withTimeoutSeconds(Math.max(1, watchTimeout.toSeconds()))
                                        .build(),
                                this);
                watchesOpened.incrementAndGet();
                keep(opened);
            } catch (KubernetesClientException e) {
                retryOrFail("watch", e);
            }
        }

        private synchronized void keep(Watch opened) {
            if (finished) {
                opened.close();
                return;
            }
            watch = opened;
            watchStarted = System.nanoTime();
            lastError = null;
        }

        private void retryOrFail(String verb, KubernetesClientException e) {
            ClusterException error = ClusterFailures.translate(verb + " Deployment " + namespace + "/" + app, e);
            if (!error.isTransientFailure()) {
                fail(error);
                return;
            }
            synchronized (this) {
                lastError = error;
                failures++;
            }
            LOG.debugf("rollout of %s/%s: %s; trying again", namespace, app, error.getMessage());
            rewatchAfter(backoff.backoff(failures));
        }

        private void rewatchAfter(Duration delay) {
            if (isFinished()) {
                return;
            }
            executor.schedule(this::watchFromCurrentState, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void eventReceived(Action action, Deployment deployment) {
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
            Duration delay;
            synchronized (this) {
                if (finished) {
                    return;
                }
                watch = null;
                boolean quick = System.nanoTime() - watchStarted < QUICK_CLOSE.toNanos();
                failures = quick ? failures + 1 : 0;
                delay = failures == 0 ? Duration.ZERO : backoff.backoff(failures);
            }
            LOG.debugf("watch of Deployment %s/%s ended (%s); watching again", namespace, app, cause.getMessage());
            rewatchAfter(delay);
        }

        @Override
        public void onClose() {
            // closed by this tracker
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
            StringBuilder message = new StringBuilder(RolloutEvaluator.PROGRESS_DEADLINE_EXCEEDED)
                    .append(": revision ")
                    .append(revision)
                    .append(" of ")
                    .append(app)
                    .append(" not available within ")
                    .append(deadline);
            if (seen != null) {
                message.append(" (")
                        .append(RolloutEvaluator.progress(seen, revision))
                        .append(')');
            }
            podProblems().forEach(problem -> message.append("; ").append(problem));
            finish(new RolloutUpdate(RolloutState.FAILED, message.toString()));
        }

        /** What the revision's pods show, when these credentials may list them. */
        private List<String> podProblems() {
            try {
                List<Pod> pods = client.pods()
                        .inNamespace(namespace)
                        .withLabels(WindlassLabels.of(app, revision))
                        .list()
                        .getItems();
                return PodDiagnosis.problems(pods);
            } catch (KubernetesClientException e) {
                return List.of();
            }
        }

        private synchronized void finish(RolloutUpdate update) {
            if (finished) {
                return;
            }
            finished = true;
            release();
            emitter.emit(update);
            emitter.complete();
        }

        private synchronized void fail(ClusterException error) {
            if (finished) {
                return;
            }
            finished = true;
            release();
            emitter.fail(error);
        }

        private synchronized boolean isFinished() {
            return finished;
        }

        private synchronized void stop() {
            finished = true;
            release();
        }

        private void release() {
            if (deadlineTimer != null) {
                deadlineTimer.cancel(false);
            }
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
    }
}
