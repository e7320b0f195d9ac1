package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * One shared informer per orchestrator and namespace on the Deployments and Pods Windlass manages there (label
 * {@code app.kubernetes.io/managed-by=windlass}), started when the first listener of that namespace arrives and
 * stopped when the last one leaves: a hundred people looking at apps of one namespace cost one list and one watch
 * per kind, not a hundred, and nothing is polled. A listener hears the name of its app each time one of the app's
 * Deployments or Pods is added, changed or deleted.
 *
 * <p>When the orchestrator's client is retired (its connection changed, or it was deleted) the informers stop and
 * every listener's stream completes; a client that reconnects joins informers of the new client. Without the right
 * to watch Pods (an older RBAC set-up), only Deployment changes are heard, with a warning in the log.
 */
final class AppInformers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AppInformers.class);

    private final ClientCache clients;
    private final Executor executor;
    private final Map<Key, Shared> shared = new HashMap<>();
    private int started;

    AppInformers(ClientCache clients, Executor executor) {
        this.clients = clients;
        this.executor = executor;
    }

    /**
     * The app's name each time one of its Deployments or Pods changes, until the subscriber cancels or the client
     * is retired; fails with a {@link ClusterException} when the namespace cannot be watched at all.
     */
    Multi<String> changes(ClusterConnection cluster, String namespace, String app) {
        return Multi.createFrom()
                .<String>emitter(emitter -> {
                    Shared joined;
                    try {
                        joined = join(cluster, namespace);
                    } catch (KubernetesClientException e) {
                        emitter.fail(ClusterFailures.translate("watch namespace " + namespace, e));
                        return;
                    }
                    Object id = new Object();
                    joined.listeners.put(id, new Listener(app, emitter));
                    emitter.onTermination(() -> leave(joined, id));
                })
                .runSubscriptionOn(executor);
    }

    /** How many namespaces are watched now (for tests). */
    synchronized int watched() {
        return shared.size();
    }

    /** How many informers were started so far, over all namespaces (for tests). */
    synchronized int started() {
        return started;
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(shared.values()).forEach(this::retire);
    }

    private synchronized Shared join(ClusterConnection cluster, String namespace) {
        Key key = new Key(cluster.name(), namespace);
        Shared existing = shared.get(key);
        if (existing != null) {
            return existing;
        }
        KubernetesClient client = clients.client(cluster);
        Shared created = new Shared(key);
        try {
            created.informers.add(client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withLabels(WindlassLabels.managed())
                    .inform(handler(created)));
            try {
                created.informers.add(client.pods()
                        .inNamespace(namespace)
                        .withLabels(WindlassLabels.managed())
                        .inform(handler(created)));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e;
                }
                LOG.warnf(
                        "orchestrator %s: no right to watch pods in %s, so app status follows only Deployment"
                                + " changes there (grant pods: watch, see docs/kubernetes-objects.md)",
                        cluster.name(), namespace);
            }
        } catch (RuntimeException e) {
            created.informers.forEach(SharedIndexInformer::close);
            throw e;
        }
        created.retirement = clients.onRetired(cluster.name(), () -> retire(created));
        started += created.informers.size();
        shared.put(key, created);
        return created;
    }

    private synchronized void leave(Shared from, Object id) {
        from.listeners.remove(id);
        if (from.listeners.isEmpty() && shared.get(from.key) == from) {
            shared.remove(from.key);
            stop(from);
        }
    }

    /**
     * Ends every stream of a retired client's informers at once, then stops the informers on the executor: stopping
     * an informer whose client is already closed can take a while, and whoever retired the client (an orchestrator
     * change being handled) must not wait for it.
     */
    private void retire(Shared retired) {
        synchronized (this) {
            if (shared.get(retired.key) == retired) {
                shared.remove(retired.key);
            }
        }
        new ArrayList<>(retired.listeners.values()).forEach(listener -> listener.emitter.complete());
        try {
            executor.execute(() -> stop(retired));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stop(retired); // shutting down
        }
    }

    private static void stop(Shared stopped) {
        stopped.informers.forEach(SharedIndexInformer::close);
        if (stopped.retirement != null) {
            try {
                stopped.retirement.close();
            } catch (Exception e) {
                LOG.debugf("closing a retirement listener: %s", e.getMessage());
            }
        }
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Shared target) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                target.changed(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                target.changed(after);
            }

            @Override
            public void onDelete(T object, boolean unknownFinalState) {
                target.changed(object);
            }
        };
    }

    private record Key(String orchestrator, String namespace) {}

    private record Listener(String app, MultiEmitter<? super String> emitter) {}

    private static final class Shared {
        private final Key key;
        private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
        private final Map<Object, Listener> listeners = new ConcurrentHashMap<>();
        private AutoCloseable retirement;

        private Shared(Key key) {
            this.key = key;
        }

        private void changed(HasMetadata object) {
            Map<String, String> labels = object.getMetadata().getLabels();
            String app = labels == null ? null : labels.get(WindlassLabels.NAME);
            if (app == null) {
                return;
            }
            listeners.values().stream()
                    .filter(listener -> listener.app.equals(app))
                    .forEach(listener -> listener.emitter.emit(app));
        }
    }
}
