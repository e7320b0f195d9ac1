package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * One watch of Windlass's Deployments per client and namespace, shared by every rollout followed there: a deploy
 * joins the namespace's running watch instead of opening one of its own (a new connection, with its TLS handshake,
 * and a new watch in the API server per deploy). The watch starts at the collection's current version (one LIST of
 * at most one item, so no synthetic events for existing objects), lives until the server ends it or, once nobody
 * follows anything in the namespace, until {@code linger} has passed; a watch that ends tells every subscriber, who
 * reads its Deployment again and joins the next one. A new client (the orchestrator's connection changed) gets
 * watches of its own.
 */
final class DeploymentWatches {

    private static final Logger LOG = Logger.getLogger(DeploymentWatches.class);

    private final ScheduledExecutorService executor;
    private final Duration watchTimeout;
    private final Duration linger;
    private final Runnable onOpened;
    private final Map<ClientNamespace, Shared> watches = new ConcurrentHashMap<>();

    DeploymentWatches(ScheduledExecutorService executor, Duration watchTimeout, Duration linger, Runnable onOpened) {
        this.executor = executor;
        this.watchTimeout = watchTimeout;
        this.linger = linger;
        this.onOpened = onOpened;
    }

    /** What a subscriber hears of its Deployment. Called on the watch's thread, one call at a time. */
    interface Listener {

        void changed(Watcher.Action action, Deployment deployment);

        /** The watch ended (the server's timeout, a dropped connection, an error); {@code lived}: for how long. */
        void ended(Duration lived);
    }

    /** One subscriber's place in a shared watch. */
    interface Subscription extends AutoCloseable {

        /**
         * Completes with the resource version the watch started at once it runs (at once when it already did), or
         * fails with why it could not be opened.
         */
        CompletionStage<String> established();

        @Override
        void close();
    }

    /** Follows Deployment {@code name} in {@code namespace} through {@code client}'s shared watch there. */
    Subscription subscribe(KubernetesClient client, String namespace, String name, Listener listener) {
        while (true) {
            Shared shared = watches.computeIfAbsent(new ClientNamespace(client, namespace), Shared::new);
            Subscription subscription = shared.add(name, listener);
            if (subscription != null) {
                return subscription;
            }
            // it was ending: it has left the map, the next turn makes a new one
            watches.remove(shared.key, shared);
        }
    }

    /** How many watches are open now (tests). */
    int open() {
        return (int) watches.values().stream().filter(Shared::running).count();
    }

    private final class Shared implements Watcher<Deployment> {

        private final ClientNamespace key;
        private final Map<String, Set<Listener>> listeners = new HashMap<>();
        private final CompletableFuture<String> established = new CompletableFuture<>();
        private boolean started;
        private boolean ended;
        private Watch watch;
        private long openedAt;
        private ScheduledFuture<?> lingering;

        Shared(ClientNamespace key) {
            this.key = key;
        }

        /** Adds a listener; null when this watch is ending and takes nobody any more. */
        synchronized Subscription add(String name, Listener listener) {
            if (ended) {
                return null;
            }
            listeners.computeIfAbsent(name, n -> new HashSet<>()).add(listener);
            if (lingering != null) {
                lingering.cancel(false);
                lingering = null;
            }
            if (!started) {
                started = true;
                executor.execute(this::open);
            }
            return new Subscription() {
                @Override
                public CompletionStage<String> established() {
                    return established;
                }

                @Override
                public void close() {
                    remove(name, listener);
                }
            };
        }

        synchronized boolean running() {
            return watch != null && !ended;
        }

        private synchronized void remove(String name, Listener listener) {
            Set<Listener> named = listeners.get(name);
            if (named != null && named.remove(listener) && named.isEmpty()) {
                listeners.remove(name);
            }
            if (listeners.isEmpty() && !ended && lingering == null) {
                lingering = RolloutWatcher.later(executor, this::lingered, linger);
            }
        }

        private void lingered() {
            Watch closing;
            synchronized (this) {
                if (!listeners.isEmpty() || ended) {
                    return;
                }
                ended = true;
                closing = watch;
                watch = null;
            }
            watches.remove(key, this);
            if (closing != null) {
                closing.close();
            }
        }

        private void open() {
            Watch opened;
            String version;
            try {
                version = key.client()
                        .apps()
                        .deployments()
                        .inNamespace(key.namespace())
                        .withLabels(WindlassLabels.managed())
                        .list(new ListOptionsBuilder().withLimit(1L).build())
                        .getMetadata()
                        .getResourceVersion();
                opened = key.client()
                        .apps()
                        .deployments()
                        .inNamespace(key.namespace())
                        .withLabels(WindlassLabels.managed())
                        .watch(
                                new ListOptionsBuilder()
                                        .withResourceVersion(version)
                                        .withAllowWatchBookmarks(false)
                                        .withTimeoutSeconds(Math.max(1, watchTimeout.toSeconds()))
                                        .build(),
                                this);
            } catch (RuntimeException e) {
                synchronized (this) {
                    ended = true;
                }
                watches.remove(key, this);
                established.completeExceptionally(e);
                return;
            }
            boolean keep;
            synchronized (this) {
                keep = !ended;
                if (keep) {
                    watch = opened;
                    openedAt = System.nanoTime();
                }
            }
            if (!keep) {
                opened.close();
                established.completeExceptionally(new IllegalStateException("the watch ended as it opened"));
                return;
            }
            onOpened.run();
            established.complete(version);
        }

        @Override
        public void eventReceived(Action action, Deployment deployment) {
            List<Listener> named;
            synchronized (this) {
                Set<Listener> found = listeners.get(deployment.getMetadata().getName());
                named = found == null ? List.of() : new ArrayList<>(found);
            }
            for (Listener listener : named) {
                listener.changed(action, deployment);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            LOG.debugf("watch of Deployments in %s ended (%s)", key.namespace(), cause.getMessage());
            closed();
        }

        @Override
        public void onClose() {
            closed();
        }

        private void closed() {
            List<Listener> all = new ArrayList<>();
            Duration lived;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                watch = null;
                lived = Duration.ofNanos(System.nanoTime() - openedAt);
                listeners.values().forEach(all::addAll);
            }
            watches.remove(key, this);
            for (Listener listener : all) {
                listener.ended(lived);
            }
        }
    }
}
