package dev.windlass.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The ServiceAccount Kubernetes mounts into a pod, read explicitly: token, CA and namespace from the mount directory,
 * the API server's address from the service environment ({@code KUBERNETES_SERVICE_HOST}, {@code _PORT}). Never a
 * kubeconfig file or the machine's {@code ~/.kube/config}: IN_CLUSTER means the pod's own identity and nothing else.
 */
public final class ServiceAccountMount {

    /** Where Kubernetes mounts a pod's ServiceAccount. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    /** What the mount provides. {@link #toString()} never shows the token. */
    public record Identity(String apiServerUrl, String token, String caCertificatePem, String namespace) {

        @Override
        public String toString() {
            return "Identity[apiServerUrl=" + apiServerUrl + ", namespace=" + namespace + ", token redacted]";
        }
    }

    private final Path directory;
    private final Map<String, String> environment;

    public ServiceAccountMount(Path directory, Map<String, String> environment) {
        this.directory = directory;
        this.environment = Map.copyOf(environment);
    }

    /** The pod's own mount and environment. */
    public static ServiceAccountMount ofThisPod() {
        return new ServiceAccountMount(DEFAULT_DIRECTORY, System.getenv());
    }

    /** The directory read. */
    public Path directory() {
        return directory;
    }

    /** Reads the identity; the token is read anew on each call (the kubelet rotates it). */
    public Identity read() {
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        Path token = directory.resolve("token");
        if (host == null || host.isBlank() || !Files.isReadable(token)) {
            throw new CredentialsException("IN_CLUSTER needs the service to run in a Kubernetes pod with a"
                    + " ServiceAccount token mounted at " + directory
                    + " and KUBERNETES_SERVICE_HOST set; none is here");
        }
        try {
            String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            Path ca = directory.resolve("ca.crt");
            Path namespace = directory.resolve("namespace");
            return new Identity(
                    url,
                    Files.readString(token, StandardCharsets.UTF_8).strip(),
                    Files.isReadable(ca) ? Files.readString(ca, StandardCharsets.US_ASCII) : null,
                    Files.isReadable(namespace)
                            ? Files.readString(namespace, StandardCharsets.UTF_8)
                                    .strip()
                            : null);
        } catch (IOException e) {
            throw new CredentialsException("the ServiceAccount mounted at " + directory + " cannot be read");
        }
    }
}
