package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The app changes heard from the namespace's informers in the {@link ObjectCache}, on the Deployments and Pods Windlass
 * manages there (label {@code app.kubernetes.io/managed-by=windlass}): one registration per orchestrator and namespace,
 * made when the first listener of that namespace arrives and given up when the last one leaves, so a hundred people
 * looking at apps of one namespace cost nothing more than the cache's one list and one watch per kind, and nothing is
 * polled. A listener hears the name of its app each time one of the app's Deployments or Pods is added, changed or
 * deleted.
 *
 * <p>When the orchestrator's client is retired (its connection changed, or it was deleted) every listener's stream
 * completes; a client that reconnects joins informers of the new client. Without the right to watch Pods (an older
 * RBAC set-up), only Deployment changes are heard, with a warning in the log.
 */
final class AppInformers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AppInformers.class);

    private final ClientCache clients;
    private final ObjectCache cache;
    private final Executor executor;
    /**
     * Guards {@link #shared} and the listeners added to or taken from it. It is held only for those map and listener
     * changes, never while an informer starts or stops: a client can be retired on the event loop, which must not wait
     * for an API server to answer a first list.
     */
    private final Object lock = new Object();

    private final Map<Key, Shared> shared = new HashMap<>();

    AppInformers(ClientCache clients, ObjectCache cache, Executor executor) {
        this.clients = clients;
        this.cache = cache;
        this.executor = executor;
    }

    /**
     * The app's name each time one of its Deployments or Pods changes, until the subscriber cancels or the client
     * is retired; fails with a {@link ClusterException} when the namespace cannot be watched at all.
     */
    Multi<String> changes(ClusterConnection cluster, String namespace, String app) {
        return Multi.createFrom()
                .<String>emitter(emitter -> {
                    Object id = new Object();
                    Shared joined;
                    try {
                        joined = join(cluster, namespace, id, new Listener(app, emitter));
                    } catch (ClusterException e) {
                        emitter.fail(e);
                        return;
                    } catch (KubernetesClientException e) {
                        emitter.fail(ClusterFailures.translate("watch namespace " + namespace, e));
                        return;
                    }
                    emitter.onTermination(() -> leave(joined, id));
                })
                .runSubscriptionOn(executor);
    }

    /** How many namespaces are listened to now, their informers started (for tests). */
    int watched() {
        synchronized (lock) {
            return (int) shared.values().stream()
                    .filter(watched -> watched.ready.isDone())
                    .count();
        }
    }

    @Override
    public void close() {
        List<Shared> all;
        synchronized (lock) {
            all = new ArrayList<>(shared.values());
        }
        all.forEach(this::retire);
    }

    /**
     * Adds {@code listener} to the informers of the namespace, starting them if it is the first: the first follower
     * starts them outside the lock while later ones wait for that start (on the executor, like the first).
     */
    private Shared join(ClusterConnection cluster, String namespace, Object id, Listener listener) {
        Key key = new Key(cluster.name(), namespace);
        Shared joined;
        boolean first;
        synchronized (lock) {
            joined = shared.get(key);
            first = joined == null;
            if (first) {
                joined = new Shared(key);
                shared.put(key, joined);
            }
            joined.listeners.put(id, listener);
        }
        if (first) {
            start(joined, cluster, namespace);
        } else {
            try {
                joined.ready.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return joined;
    }

    private void start(Shared created, ClusterConnection cluster, String namespace) {
        try {
            KubernetesClient client = clients.client(cluster);
            created.retirement = clients.onRetired(cluster.name(), () -> retire(created));
            created.listening = cache.listen(client, cluster.name(), namespace, handler(created));
        } catch (RuntimeException e) {
            synchronized (lock) {
                shared.remove(created.key, created);
            }
            stop(created);
            created.ready.completeExceptionally(e);
            throw e;
        }
        if (created.retired) {
            stop(created); // retired while starting: what started since is stopped as well
        }
        created.ready.complete(null);
    }

    private void leave(Shared from, Object id) {
        boolean last;
        synchronized (lock) {
            from.listeners.remove(id);
            last = from.listeners.isEmpty() && shared.remove(from.key, from);
        }
        if (last) {
            stopLater(from); // the last follower may leave on the event loop (a closed stream)
        }
    }

    /** Ends every stream of a retired client's listeners at once; the registrations are given up on the executor. */
    private void retire(Shared retired) {
        List<Listener> listeners;
        synchronized (lock) {
            shared.remove(retired.key, retired);
            retired.retired = true;
            listeners = new ArrayList<>(retired.listeners.values());
        }
        listeners.forEach(listener -> listener.emitter.complete());
        stopLater(retired);
    }

    /** Gives the registration up on the executor, so that whoever left does not wait for it. */
    private void stopLater(Shared stopped) {
        try {
            executor.execute(() -> stop(stopped));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stop(stopped); // shutting down
        }
    }

    private static void stop(Shared stopped) {
        for (AutoCloseable handle : new AutoCloseable[] {stopped.listening, stopped.retirement}) {
            if (handle != null) {
                try {
                    handle.close();
                } catch (Exception e) {
                    LOG.debugf("giving up a registration: %s", e.getMessage());
                }
            }
        }
    }

    private static ResourceEventHandler<HasMetadata> handler(Shared target) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                target.changed(object);
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                target.changed(after);
            }

            @Override
            public void onDelete(HasMetadata object, boolean unknownFinalState) {
                target.changed(object);
            }
        };
    }

    private record Key(String orchestrator, String namespace) {}

    private record Listener(String app, MultiEmitter<? super String> emitter) {}

    private static final class Shared {
        private final Key key;
        private final Map<Object, Listener> listeners = new ConcurrentHashMap<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private volatile AutoCloseable listening;
        private volatile AutoCloseable retirement;
        private volatile boolean retired;

        private Shared(Key key) {
            this.key = key;
        }

        private void changed(HasMetadata object) {
            Map<String, String> labels = object.getMetadata().getLabels();
            String app = labels == null ? null : labels.get(WindlassLabels.NAME);
            if (app == null || !WindlassLabels.MANAGER.equals(labels.get(WindlassLabels.MANAGED_BY))) {
                return;
            }
            listeners.values().stream()
                    .filter(listener -> listener.app.equals(app))
                    .forEach(listener -> listener.emitter.emit(app));
        }
    }
}
