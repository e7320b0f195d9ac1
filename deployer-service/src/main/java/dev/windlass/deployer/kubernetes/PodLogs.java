package dev.windlass.deployer.kubernetes;

import dev.windlass.cluster.Reads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last lines a container of one of an app's Pods wrote, read through the API server's {@code pods/log} (which
 * asks the node's kubelet): only a Pod carrying the app's selector labels, at most {@link #MAX_BYTES}, with every
 * secret value the app was given replaced by {@code ****}. Blocking.
 */
public final class PodLogs {

    /** The most a log answer holds, whatever {@code tailLines} asks for. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** The most a followed log sends before the deployer stops following it (8 MiB). */
    public static final long MAX_FOLLOW_BYTES = 8L * 1024 * 1024;

    private static final String MASK = "****";

    private PodLogs() {}

    /**
     * The log {@code request} names, its previous run's when it says so; a ClusterException 404 when the Pod is not
     * the app's or has no such container.
     */
    public static String read(KubernetesClient client, LogRequest request) {
        String namespace = request.namespace();
        String pod = request.pod();
        boolean previous = request.previous();
        String name = container(client, namespace, request.app(), pod, request.container());
        String log;
        try {
            var logs = previous
                    ? client.pods()
                            .inNamespace(namespace)
                            .withName(pod)
                            .inContainer(name)
                            .terminated()
                    : client.pods()
                            .inNamespace(namespace)
                            .withName(pod)
                            .inContainer(name)
                            .limitBytes(MAX_BYTES);
            // no wait for the Pod to be ready: a crash-looping Pod is exactly the one whose log is wanted
            try (InputStream in = logs.tailingLines(request.tailLines())
                    .withReadyWaitTimeout(0)
                    .getLogInputStream()) {
                log = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            }
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate(
                    "read the " + (previous ? "previous " : "") + "log of " + namespace + "/" + pod + "/" + name, e);
        } catch (IOException e) {
            throw ClusterFailures.translate("read the log of " + namespace + "/" + pod + "/" + name, e);
        }
        return redact(log, request.secretValues());
    }

    /**
     * The name of {@code container} of one of the app's Pods (the Pod's first when null); a ClusterException 404 when
     * the Pod is not the app's or has no such container.
     */
    static String container(KubernetesClient client, String namespace, String app, String pod, String container) {
        Pod live;
        try {
            live = Reads.get(
                    () -> client.pods().inNamespace(namespace).withName(pod).get());
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("read pod " + namespace + "/" + pod, e);
        }
        if (live == null || !belongsTo(live, app)) {
            // another app's Pod is as unknown as a missing one
            throw new ClusterException("app " + app + " has no pod " + pod + " in " + namespace, 404, false, null);
        }
        List<Container> containers = Objects.requireNonNullElse(live.getSpec().getContainers(), List.<Container>of());
        String name = container != null
                ? container
                : containers.isEmpty() ? null : containers.get(0).getName();
        if (name == null || containers.stream().noneMatch(c -> name.equals(c.getName()))) {
            throw new ClusterException(
                    "pod " + pod + " has no container " + name + " (it has "
                            + String.join(
                                    ", ",
                                    containers.stream().map(Container::getName).toList()) + ")",
                    404,
                    false,
                    null);
        }
        return name;
    }

    /**
     * The lines the container {@code request} names writes from now on (its current run), after its last
     * {@code tailLines}, each masked like {@link #read}, until the container stops, the caller closes the returned
     * watch's stream, or {@link #MAX_FOLLOW_BYTES} have been read (then one last line says so). {@code lines} gets
     * each line on the calling thread, which blocks meanwhile; returns when the log ends.
     */
    static void follow(
            KubernetesClient client,
            LogRequest request,
            java.util.function.Consumer<io.fabric8.kubernetes.client.dsl.LogWatch> opened,
            java.util.function.Consumer<String> lines) {
        String namespace = request.namespace();
        String pod = request.pod();
        String name = container(client, namespace, request.app(), pod, request.container());
        try (io.fabric8.kubernetes.client.dsl.LogWatch watch = client.pods()
                        .inNamespace(namespace)
                        .withName(pod)
                        .inContainer(name)
                        .tailingLines(request.tailLines())
                        .withReadyWaitTimeout(0)
                        .watchLog();
                java.io.BufferedReader reader = new java.io.BufferedReader(
                        new java.io.InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
            opened.accept(watch);
            long read = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                read += line.length() + 1L;
                if (read > MAX_FOLLOW_BYTES) {
                    lines.accept("[windlass: stopped following after " + MAX_FOLLOW_BYTES
                            + " bytes; open the log again to go on]");
                    return;
                }
                lines.accept(redact(line, request.secretValues()));
            }
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("follow the log of " + namespace + "/" + pod + "/" + name, e);
        } catch (IOException e) {
            // the watch was closed under the reader (the follower left): the log ends here
        }
    }

    /** Whether the Pod carries every selector label of the app. */
    static boolean belongsTo(Pod pod, String app) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null
                && labels.entrySet().containsAll(WindlassLabels.selector(app).entrySet());
    }

    /** {@code text} with every non-empty value of {@code secrets} replaced by {@code ****}, longest first. */
    public static String redact(String text, Collection<String> secrets) {
        String redacted = text;
        for (String secret : secrets.stream()
                .filter(s -> s != null && !s.isEmpty())
                .sorted((a, b) -> b.length() - a.length())
                .toList()) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }
}
