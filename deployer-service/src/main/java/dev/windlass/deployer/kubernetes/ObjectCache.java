package dev.windlass.deployer.kubernetes;

import dev.windlass.cluster.Reads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * What Windlass knows of a namespace's objects without asking the API server each time, as Argo CD keeps its cluster
 * cache: per orchestrator client and namespace, one informer (a list, then a watch) on every kind Windlass renders
 * that Kubernetes itself serves — Deployments, Services, Secrets, PersistentVolumeClaims, Ingresses, NetworkPolicies,
 * all of them and not only Windlass's, because the owner check must see the objects of others — and one on Windlass's
 * Pods. The owner check before an apply, an app's live objects and health, and the live status's change signals read
 * it instead of one GET per object.
 *
 * <p>Objects are kept lean ({@link LeanStore}): Secrets without their values, no object with the copy {@code kubectl
 * apply} keeps in an annotation, managed fields only as the managers' names. A kind whose informer
 * cannot run — no right to list or watch it (403), an API server that does not answer, a watch being re-established —
 * is read from the API server as before, object by object, so the cache only ever saves requests. A namespace's
 * informers start on its first use, blocking until each kind's first list, and stop when the client is retired (the
 * orchestrator's connection changed or it was deleted) or after {@code idle} without use while nobody follows it.
 *
 * <p>What the cache says trails the API server by the watch's delivery time (milliseconds on a healthy cluster): an
 * object created that recently by someone else is not seen yet. A read before each apply had the same kind of window,
 * from the read to the apply; docs/kubernetes-objects.md, "How objects are applied", says what this means.
 */
final class ObjectCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ObjectCache.class);

    /** The built-in kinds Windlass renders, every object of each in the namespace (not only Windlass's). */
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(
            Deployment.class,
            Service.class,
            Secret.class,
            PersistentVolumeClaim.class,
            Ingress.class,
            NetworkPolicy.class);

    /** Every informer of a namespace: {@link #KINDS} and Windlass's Pods. */
    private static final List<Class<? extends HasMetadata>> ALL =
            Stream.concat(KINDS.stream(), Stream.of(Pod.class)).toList();

    /** The annotation {@code kubectl apply} keeps a whole copy of the object in; nothing here reads it. */
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /** How long a kind whose informer did not start is read one by one before its informer is tried again. */
    private static final Duration RESTART_AFTER = Duration.ofSeconds(30);

    private final ClientCache clients;
    private final ScheduledExecutorService executor;
    private final Duration idle;
    private final Duration startTimeout;
    private final Map<ClientNamespace, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private final ScheduledFuture<?> sweeping;

    /**
     * A cache whose namespaces are dropped after {@code idle} without use; a namespace's informers wait at most
     * {@code startTimeout} for their first list.
     */
    ObjectCache(ClientCache clients, ScheduledExecutorService executor, Duration idle, Duration startTimeout) {
        this.clients = clients;
        this.executor = executor;
        this.idle = idle;
        this.startTimeout = startTimeout;
        long sweep = Math.max(1, idle.toMillis() / 2);
        this.sweeping = executor.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** A namespace's objects as seen through {@code client}, which talks to orchestrator {@code orchestrator}. */
    interface View {

        /**
         * The object of {@code type} named {@code name}, null when there is none: from the cache when its kind is
         * watched there now, otherwise read from the API server (which may fail with a KubernetesClientException).
         */
        <T extends HasMetadata> T get(Class<T> type, String name);

        /** Windlass's Pods with all of {@code labels}, from the cache when Pods are watched there, else listed. */
        List<Pod> pods(Map<String, String> labels);

        /** The view that reads every object from the API server: one GET per object, one list per Pod query. */
        static View reading(KubernetesClient client, String namespace) {
            return new View() {
                @Override
                public <T extends HasMetadata> T get(Class<T> type, String name) {
                    return Reads.get(() -> client.resources(type)
                            .inNamespace(namespace)
                            .withName(name)
                            .get());
                }

                @Override
                public List<Pod> pods(Map<String, String> labels) {
                    return Reads.get(() -> client.pods()
                            .inNamespace(namespace)
                            .withLabels(labels)
                            .list()
                            .getItems());
                }
            };
        }
    }

    /**
     * The view of {@code namespace} through {@code client}: its informers started if this is the namespace's first
     * use (blocking, at most the start timeout), or their start awaited when another caller began it.
     */
    View view(KubernetesClient client, String orchestrator, String namespace) {
        Entry entry;
        try {
            entry = entry(client, orchestrator, namespace);
        } catch (RuntimeException e) {
            LOG.debugf("orchestrator %s: no cache of %s (%s), reading", orchestrator, namespace, e.getMessage());
            return View.reading(client, namespace);
        }
        entry.lastUsed = System.nanoTime();
        return entry;
    }

    /**
     * Hears every add, change and delete of the namespace's Deployments and Windlass's Pods through {@code client} until
     * the returned handle is closed; the namespace's informers stay while someone listens. Existing objects are heard as
     * added. Fails with a {@link ClusterException} when the namespace's Deployments cannot be watched; Pods that cannot
     * be are not heard (the warning is in the log).
     */
    Listening listen(
            KubernetesClient client, String orchestrator, String namespace, ResourceEventHandler<HasMetadata> handler) {
        Entry entry = entry(client, orchestrator, namespace);
        return entry.listen(handler);
    }

    /** One listener's place on a namespace's informers. */
    interface Listening extends AutoCloseable {

        /**
         * Whether the namespace's Deployments are watched at this moment: false while their watch is re-established
         * (the API server away, a dropped connection) and after the client's retirement, when what was heard may be
         * out of date.
         */
        boolean watching();

        @Override
        void close();
    }

    /** How many namespaces are cached now. */
    int cached() {
        return entries.size();
    }

    /** How many objects the cached namespaces' informers hold now, over all kinds. */
    long objects() {
        long count = 0;
        for (Entry entry : entries.values()) {
            count += entry.objects();
        }
        return count;
    }

    /**
     * Reports the cache's size at {@code /q/metrics}: {@code windlass_kubernetes_cache_namespaces} and {@code
     * windlass_kubernetes_cache_objects}, the memory it takes growing with the second.
     */
    void meter(MeterRegistry meters) {
        Gauge.builder("windlass.kubernetes.cache.namespaces", this, ObjectCache::cached)
                .description("Namespaces whose objects the deployer keeps from watches, per orchestrator client")
                .register(meters);
        Gauge.builder("windlass.kubernetes.cache.objects", this, ObjectCache::objects)
                .description("Objects the deployer keeps from watches, over all cached namespaces and kinds")
                .register(meters);
    }

    /** How many namespaces' informers were started so far (tests). */
    int started() {
        return started.get();
    }

    @Override
    public void close() {
        sweeping.cancel(false);
        new ArrayList<>(entries.values()).forEach(Entry::drop);
    }

    private Entry entry(KubernetesClient client, String orchestrator, String namespace) {
        ClientNamespace key = new ClientNamespace(client, namespace);
        while (true) {
            Entry created = new Entry(key, orchestrator);
            Entry entry = entries.putIfAbsent(key, created);
            if (entry == null) {
                created.start();
                return created;
            }
            try {
                entry.ready.join();
            } catch (CompletionException e) {
                continue; // that start failed as a whole and left the cache: this caller starts a new one
            }
            entry.restartLeftOut();
            return entry;
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Entry entry : entries.values()) {
            if (entry.listeners.isEmpty() && now - entry.lastUsed > idle.toNanos()) {
                entry.drop();
            }
        }
    }

    private final class Entry implements View {

        private final ClientNamespace key;
        private final String orchestrator;
        private final View reading;
        private final Map<Class<?>, SharedIndexInformer<? extends HasMetadata>> informers = new HashMap<>();
        private final Map<Object, ResourceEventHandler<HasMetadata>> listeners = new ConcurrentHashMap<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final Set<Class<?>> warned = ConcurrentHashMap.newKeySet();
        /** Why each kind left out did not start, as the API server said it. */
        private final Map<Class<?>, Throwable> failures = new ConcurrentHashMap<>();

        private volatile long lastUsed = System.nanoTime();
        /** When kinds were last started (guarded by {@link #informers}). */
        private long lastRestart = System.nanoTime();

        private volatile AutoCloseable retirement;
        private volatile boolean dropped;

        Entry(ClientNamespace key, String orchestrator) {
            this.key = key;
            this.orchestrator = orchestrator;
            this.reading = View.reading(key.client(), key.namespace());
        }

        /** Starts every kind's informer and waits for their first lists; a kind that fails is left out for now. */
        private void start() {
            try {
                retirement = clients.onRetired(orchestrator, this::drop);
                startKinds(ALL);
                started.incrementAndGet();
            } catch (RuntimeException e) {
                drop();
                ready.completeExceptionally(e);
                throw e;
            }
            if (dropped) {
                stop(); // retired while starting
            }
            ready.complete(null);
        }

        /**
         * Starts again, at most once per {@link #RESTART_AFTER}, the kinds left out (refused, or the API server did
         * not answer) or whose informer stopped for good: rights granted later, or an API server back, are used.
         */
        private void restartLeftOut() {
            long now = System.nanoTime();
            List<Class<? extends HasMetadata>> missing;
            synchronized (informers) {
                if (now - lastRestart < RESTART_AFTER.toNanos() || dropped) {
                    return;
                }
                missing = ALL.stream()
                        .filter(kind -> !informers.containsKey(kind)
                                || !informers.get(kind).isRunning())
                        .toList();
                lastRestart = now;
                missing.forEach(kind -> {
                    SharedIndexInformer<? extends HasMetadata> gone = informers.remove(kind);
                    if (gone != null) {
                        gone.close();
                    }
                });
            }
            if (!missing.isEmpty()) {
                startKinds(missing);
            }
        }

        /** Starts the informers of {@code kinds} side by side and waits, at most the start timeout, for their lists. */
        private void startKinds(List<Class<? extends HasMetadata>> kinds) {
            Map<Class<?>, SharedIndexInformer<? extends HasMetadata>> starting = new LinkedHashMap<>();
            for (Class<? extends HasMetadata> kind : kinds) {
                SharedIndexInformer<? extends HasMetadata> informer = newInformer(kind);
                if (kind == Deployment.class || kind == Pod.class) {
                    relay(informer);
                }
                starting.put(kind, informer);
            }
            Map<Class<?>, CompletableFuture<Void>> firstLists = new LinkedHashMap<>();
            starting.forEach(
                    (kind, informer) -> firstLists.put(kind, informer.start().toCompletableFuture()));
            long deadline = System.nanoTime() + startTimeout.toNanos();
            Map<Class<?>, Throwable> failed = new LinkedHashMap<>();
            firstLists.forEach((kind, firstList) -> {
                SharedIndexInformer<? extends HasMetadata> informer = starting.get(kind);
                try {
                    firstList.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    synchronized (informers) {
                        if (dropped) {
                            informer.close(); // retired meanwhile: stop() has run or runs without it
                        } else {
                            informers.put(kind, informer);
                        }
                    }
                    failures.remove(kind);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    informer.close();
                } catch (ExecutionException | TimeoutException e) {
                    informer.close();
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    failures.put(kind, cause);
                    failed.put(kind, cause);
                }
            });
            if (!failed.isEmpty()) {
                leftOut(failed);
            }
        }

        /** A not yet started informer on {@code kind} in the namespace: Secrets without values, Windlass's Pods only. */
        private SharedIndexInformer<? extends HasMetadata> newInformer(Class<? extends HasMetadata> kind) {
            KubernetesClient client = key.client();
            if (kind == Pod.class) {
                return lean(client.pods()
                        .inNamespace(key.namespace())
                        .withLabels(WindlassLabels.managed())
                        .runnableInformer(0));
            }
            return lean(client.resources(kind).inNamespace(key.namespace()).runnableInformer(0));
        }

        private static <T extends HasMetadata> SharedIndexInformer<T> lean(SharedIndexInformer<T> informer) {
            return informer.itemStore(new LeanStore<>());
        }

        /** Says once per namespace and kind which kinds are read one by one, and why. */
        private void leftOut(Map<Class<?>, Throwable> failed) {
            List<String> refused = new ArrayList<>();
            List<String> unanswered = new ArrayList<>();
            String reason = null;
            for (Map.Entry<Class<?>, Throwable> failure : failed.entrySet()) {
                String name = HasMetadata.getPlural(failure.getKey().asSubclass(HasMetadata.class));
                if (!warned.add(failure.getKey())) {
                    continue;
                }
                if (failure.getValue() instanceof KubernetesClientException e && e.getCode() == 403) {
                    refused.add(name);
                } else {
                    unanswered.add(name);
                    reason = failure.getValue().getMessage();
                }
            }
            if (!refused.isEmpty()) {
                LOG.warnf(
                        "orchestrator %s: no right to list and watch %s in %s, so they are read one by one instead"
                                + " (grant list and watch on them; see docs/kubernetes-objects.md)",
                        orchestrator, String.join(", ", refused), key.namespace());
            }
            if (!unanswered.isEmpty()) {
                LOG.warnf(
                        "orchestrator %s: %s in %s are read one by one for now, their watches did not start: %s",
                        orchestrator, String.join(", ", unanswered), key.namespace(), reason);
            }
        }

        /** Passes what the informer (of Deployments or Pods) hears on to everyone listening to the namespace. */
        @SuppressWarnings("unchecked")
        private void relay(SharedIndexInformer<? extends HasMetadata> informer) {
            ((SharedIndexInformer<HasMetadata>) informer).addEventHandler(new ResourceEventHandler<HasMetadata>() {
                @Override
                public void onAdd(HasMetadata object) {
                    listeners.values().forEach(listener -> listener.onAdd(object));
                }

                @Override
                public void onUpdate(HasMetadata before, HasMetadata after) {
                    listeners.values().forEach(listener -> listener.onUpdate(before, after));
                }

                @Override
                public void onDelete(HasMetadata object, boolean unknownFinalState) {
                    listeners.values().forEach(listener -> listener.onDelete(object, unknownFinalState));
                }
            });
        }

        private Listening listen(ResourceEventHandler<HasMetadata> handler) {
            if (running(Deployment.class) == null) {
                Throwable cause = failures.get(Deployment.class);
                throw cause instanceof RuntimeException failure
                        ? ClusterFailures.translate("watch Deployments in " + key.namespace(), failure)
                        : new ClusterException(
                                "cannot watch Deployments in " + key.namespace() + ": " + cause, 503, true, cause);
            }
            Object id = new Object();
            listeners.put(id, handler);
            for (Class<?> kind : List.of(Deployment.class, Pod.class)) {
                SharedIndexInformer<? extends HasMetadata> informer = running(kind);
                if (informer != null) {
                    informer.getStore().list().forEach(handler::onAdd);
                }
            }
            return new Listening() {
                @Override
                public boolean watching() {
                    return current(Deployment.class) != null;
                }

                @Override
                public void close() {
                    listeners.remove(id);
                    lastUsed = System.nanoTime();
                }
            };
        }

        private long objects() {
            synchronized (informers) {
                return informers.values().stream()
                        .mapToLong(informer -> informer.getStore().list().size())
                        .sum();
            }
        }

        private SharedIndexInformer<? extends HasMetadata> running(Class<?> kind) {
            synchronized (informers) {
                return informers.get(kind);
            }
        }

        /** The informer of {@code kind} when it runs and watches now: its store as current as the watch. */
        private SharedIndexInformer<? extends HasMetadata> current(Class<?> kind) {
            SharedIndexInformer<? extends HasMetadata> informer = running(kind);
            return informer != null && !dropped && informer.isWatching() && informer.hasSynced() ? informer : null;
        }

        @Override
        public <T extends HasMetadata> T get(Class<T> type, String name) {
            SharedIndexInformer<? extends HasMetadata> informer = current(type);
            if (informer == null) {
                return reading.get(type, name);
            }
            return type.cast(informer.getStore().getByKey(key.namespace() + "/" + name));
        }

        @Override
        public List<Pod> pods(Map<String, String> labels) {
            SharedIndexInformer<? extends HasMetadata> informer = current(Pod.class);
            if (informer == null) {
                return reading.pods(labels);
            }
            return informer.getStore().list().stream()
                    .map(Pod.class::cast)
                    .filter(pod -> matches(pod, labels))
                    .toList();
        }

        private static boolean matches(Pod pod, Map<String, String> labels) {
            Map<String, String> own =
                    Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
            return labels.entrySet().stream().allMatch(label -> label.getValue().equals(own.get(label.getKey())));
        }

        /** Leaves the cache and stops the informers on the executor (whoever retired the client must not wait). */
        private void drop() {
            dropped = true;
            entries.remove(key, this);
            try {
                executor.execute(this::stop);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                stop(); // shutting down
            }
        }

        private void stop() {
            List<SharedIndexInformer<? extends HasMetadata>> all;
            synchronized (informers) {
                all = new ArrayList<>(informers.values());
            }
            all.forEach(SharedIndexInformer::close);
            AutoCloseable handle = retirement;
            if (handle != null) {
                try {
                    handle.close();
                } catch (Exception e) {
                    LOG.debugf("closing a retirement listener: %s", e.getMessage());
                }
            }
        }
    }

    /**
     * An informer's store that keeps what Windlass reads of an object and drops the rest as it arrives: a Secret's
     * values, the whole copy of the object {@code kubectl apply} keeps in an annotation, and of the managed fields only
     * the managers' names (the owner's description names them). An object in the namespace costs the cache its
     * metadata, spec and status, nothing more.
     */
    static final class LeanStore<T extends HasMetadata> implements ItemStore<T> {

        private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

        /** {@code object} without what the cache does not keep (changed in place: it was just read). */
        static <T extends HasMetadata> T lean(T object) {
            ObjectMeta metadata = object.getMetadata();
            if (metadata.getManagedFields() != null) {
                metadata.setManagedFields(metadata.getManagedFields().stream()
                        .map(ManagedFieldsEntry::getManager)
                        .filter(Objects::nonNull)
                        .distinct()
                        .map(manager -> new ManagedFieldsEntryBuilder()
                                .withManager(manager)
                                .build())
                        .toList());
            }
            if (metadata.getAnnotations() != null && metadata.getAnnotations().containsKey(LAST_APPLIED)) {
                Map<String, String> annotations = new HashMap<>(metadata.getAnnotations());
                annotations.remove(LAST_APPLIED);
                metadata.setAnnotations(annotations);
            }
            if (object instanceof Secret secret) {
                secret.setData(null);
                secret.setStringData(null);
            }
            return object;
        }

        @Override
        public String getKey(T object) {
            return store.getKey(object);
        }

        @Override
        public T put(String key, T object) {
            return store.put(key, lean(object));
        }

        @Override
        public T remove(String key) {
            return store.remove(key);
        }

        @Override
        public Stream<String> keySet() {
            return store.keySet();
        }

        @Override
        public Stream<T> values() {
            return store.values();
        }

        @Override
        public int size() {
            return store.size();
        }

        @Override
        public T get(String key) {
            return store.get(key);
        }
    }
}
