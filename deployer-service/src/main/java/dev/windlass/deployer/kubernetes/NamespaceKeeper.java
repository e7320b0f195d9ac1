package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates an app's namespace when it is missing, labelled for Pod Security admission (enforce {@code baseline},
 * warn and audit {@code restricted}) and as managed by Windlass. An existing namespace is never relabelled.
 *
 * <p>The namespace is created with a plain create, not a server-side apply: apply is a PATCH, and the right to patch
 * namespaces would let the deployer relabel (and weaken the Pod Security of) every namespace of the cluster. So the
 * credentials need only {@code get} and {@code create} on namespaces.
 *
 * <p>A namespace seen to exist is remembered for the client that saw it (a new client, made when the orchestrator's
 * connection changes, starts afresh), so an app's next revision makes no request for it. One deleted since fails the
 * next apply with 404; {@link RevisionApplier} then forgets it and fails transiently, and the retry creates it again.
 */
public final class NamespaceKeeper {

    /** The namespaces each client has seen to exist; a client no longer used is dropped with its entry. */
    private final Map<KubernetesClient, Set<String>> seen = Collections.synchronizedMap(new WeakHashMap<>());

    /** Pod Security level enforced in namespaces Windlass creates. */
    public static final String ENFORCE_LEVEL = "baseline";
    /** Pod Security level warned about and audited in namespaces Windlass creates. */
    public static final String WARN_LEVEL = "restricted";

    private static final String POD_SECURITY = "pod-security.kubernetes.io/";

    public NamespaceKeeper() {}

    /** The labels of a namespace Windlass creates. */
    public static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>(WindlassLabels.managed());
        labels.put(POD_SECURITY + "enforce", ENFORCE_LEVEL);
        labels.put(POD_SECURITY + "warn", WARN_LEVEL);
        labels.put(POD_SECURITY + "audit", WARN_LEVEL);
        return labels;
    }

    /**
     * Makes sure {@code namespace} exists; returns it when this call created it. Credentials that may not read
     * namespaces are taken to work in an existing one: if it is missing, the first object fails with 404.
     */
    public Optional<ObjectRef> ensure(KubernetesClient client, String namespace) {
        if (known(client, namespace)) {
            return Optional.empty();
        }
        try {
            if (client.namespaces().withName(namespace).get() != null) {
                remember(client, namespace);
                return Optional.empty();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return Optional.empty();
            }
            throw ClusterFailures.translate("read namespace " + namespace, e);
        }
        Namespace created = new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .withLabels(labels())
                .endMetadata()
                .build();
        try {
            client.namespaces().resource(created).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                remember(client, namespace);
                return Optional.empty(); // created meanwhile by someone else
            }
            ClusterException failure = ClusterFailures.translate("create namespace " + namespace, e);
            if (failure.getStatus() == 403) {
                throw new ClusterException(
                        "namespace " + namespace + " does not exist and these credentials may not create it: "
                                + failure.getMessage(),
                        403,
                        false,
                        failure);
            }
            throw failure;
        }
        remember(client, namespace);
        return Optional.of(new ObjectRef("Namespace", null, namespace));
    }

    /** Whether {@code client} has seen {@code namespace} exist (so {@link #ensure} makes no request). */
    public boolean known(KubernetesClient client, String namespace) {
        Set<String> namespaces = seen.get(client);
        return namespaces != null && namespaces.contains(namespace);
    }

    /** Forgets that {@code namespace} exists: the next {@link #ensure} through {@code client} reads it again. */
    public void forget(KubernetesClient client, String namespace) {
        Set<String> namespaces = seen.get(client);
        if (namespaces != null) {
            namespaces.remove(namespace);
        }
    }

    private void remember(KubernetesClient client, String namespace) {
        seen.computeIfAbsent(client, c -> ConcurrentHashMap.newKeySet()).add(namespace);
    }
}
