package dev.windlass.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.windlass.cluster.Reads;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * <strong>A stand-in, not a kubelet.</strong> The dev-stack API server has no node, so {@code pods/log} has nowhere
 * to go. This registers a Node whose status points the API server at a small HTTPS server of its own (address
 * {@code 127.0.0.1}, {@code daemonEndpoints.kubeletEndpoint.port}) and answers the kubelet's
 * {@code /containerLogs/{namespace}/{pod}/{container}} path with lines a test gave it, honouring {@code tailLines},
 * {@code previous} and {@code limitBytes}; with {@code follow} it sends what there is and then each line
 * {@link #append appended} later, for up to {@value #FOLLOW_SECONDS} seconds or until the reader goes. Pods that set
 * {@code spec.nodeName} to {@link #nodeName()} then have their logs read through the real API server, as clients read
 * a real cluster's. The API server does not verify a kubelet's serving certificate unless it is given
 * {@code --kubelet-certificate-authority} (the dev stack does not), so the certificate is self-issued.
 */
public final class KubeletStandIn implements AutoCloseable {

    private final KubernetesClient admin;
    private final String nodeName;
    private final HttpsServer server;
    /** How long a followed log stays open at most. */
    static final int FOLLOW_SECONDS = 60;

    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    private final Object appended = new Object();
    private volatile boolean running = true;

    private KubeletStandIn(KubernetesClient admin, String nodeName, HttpsServer server) {
        this.admin = admin;
        this.nodeName = nodeName;
        this.server = server;
    }

    /** Starts serving on a free port of 127.0.0.1 and registers Node {@code nodeName} pointing at it. */
    public static KubeletStandIn start(KubernetesClient admin, String nodeName) {
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls()));
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "kubelet-stand-in");
            thread.setDaemon(true);
            return thread;
        }));
        KubeletStandIn kubelet = new KubeletStandIn(admin, nodeName, server);
        server.createContext("/containerLogs/", kubelet::containerLogs);
        server.start();
        kubelet.register();
        return kubelet;
    }

    /** The Node's name: a Pod whose {@code spec.nodeName} is this has its logs served here. */
    public String nodeName() {
        return nodeName;
    }

    /** The lines the container wrote (its previous run's when {@code previous}); replaces what was given before. */
    public void logs(String namespace, String pod, String container, boolean previous, List<String> lines) {
        logs.put(key(namespace, pod, container, previous), List.copyOf(lines));
    }

    /** One more line the container wrote in its current run; followers of its log get it at once. */
    public void append(String namespace, String pod, String container, String line) {
        logs.merge(key(namespace, pod, container, false), List.of(line), (before, added) -> {
            List<String> all = new java.util.ArrayList<>(before);
            all.addAll(added);
            return List.copyOf(all);
        });
        synchronized (appended) {
            appended.notifyAll();
        }
    }

    /** Forgets every container log of the Pod (it is gone). */
    public void forget(String namespace, String pod) {
        logs.keySet().removeIf(key -> key.startsWith(namespace + "/" + pod + "/"));
    }

    @Override
    public void close() {
        running = false;
        synchronized (appended) {
            appended.notifyAll();
        }
        server.stop(0);
        Reads.get(() -> admin.nodes().withName(nodeName).delete());
    }

    private void register() {
        admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(nodeName)
                        .addToLabels(NodeSimulator.LABEL, "true")
                        .addToAnnotations("windlass.dev/description", "kubelet stand-in of the dev stack: serves logs")
                        .endMetadata()
                        .build())
                .serverSideApply();
        Node node = admin.nodes().withName(nodeName).get();
        admin.nodes()
                .resource(new NodeBuilder(node)
                        .withNewStatus()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress("127.0.0.1")
                        .endAddress()
                        .withNewDaemonEndpoints()
                        .withNewKubeletEndpoint()
                        .withPort(server.getAddress().getPort())
                        .endKubeletEndpoint()
                        .endDaemonEndpoints()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .withReason("KubeletReady")
                        .withMessage("kubelet stand-in: serves container logs, runs no containers")
                        .endCondition()
                        .endStatus()
                        .build())
                .updateStatus();
    }

    private void containerLogs(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getRawPath().split("/");
            // ["", "containerLogs", namespace, pod, container]
            if (parts.length != 5) {
                answer(exchange, 404, "no such path");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean previous = "true".equals(query.get("previous"));
            List<String> lines = logs.get(key(parts[2], parts[3], parts[4], previous));
            if (lines == null) {
                answer(
                        exchange,
                        404,
                        previous
                                ? "previous terminated container \"" + parts[4] + "\" in pod \"" + parts[3]
                                        + "\" not found"
                                : "container \"" + parts[4] + "\" in pod \"" + parts[3] + "\" is not available");
                return;
            }
            int from = 0;
            if (query.containsKey("tailLines")) {
                from = Math.max(0, lines.size() - Integer.parseInt(query.get("tailLines")));
            }
            if ("true".equals(query.get("follow")) && !previous) {
                follow(exchange, key(parts[2], parts[3], parts[4], false), from);
                return;
            }
            StringBuilder text = new StringBuilder();
            for (String line : lines.subList(from, lines.size())) {
                text.append(line).append('\n');
            }
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            if (query.containsKey("limitBytes")) {
                int limit = Integer.parseInt(query.get("limitBytes"));
                if (body.length > limit) {
                    body = Arrays.copyOf(body, limit);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Sends the lines from {@code from} on, then each appended one, until the reader goes or time is up. */
    private void follow(HttpExchange exchange, String key, int from) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(FOLLOW_SECONDS);
        int sent = from;
        try (OutputStream out = exchange.getResponseBody()) {
            while (running && System.nanoTime() < until) {
                List<String> lines = logs.getOrDefault(key, List.of());
                if (lines.size() > sent) {
                    for (String line : lines.subList(sent, lines.size())) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    sent = lines.size();
                    continue;
                }
                synchronized (appended) {
                    try {
                        appended.wait(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String key(String namespace, String pod, String container, boolean previous) {
        return namespace + "/" + pod + "/" + container + (previous ? "#previous" : "");
    }

    /** A serving certificate for 127.0.0.1 from a CA made for this stand-in. */
    private static SSLContext tls() {
        CertificateAuthority authority =
                CertificateAuthority.create("windlass-kubelet-stand-in-ca", CertificateAuthority.KeyType.EC_P256);
        CertificateAuthority.Issued serving =
                authority.issueServing("kubelet-stand-in", List.of("localhost"), List.of("127.0.0.1"));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "stand-in".toCharArray();
            store.setKeyEntry("kubelet", serving.keys().getPrivate(), password, new Certificate[] {
                serving.certificate(), authority.certificate()
            });
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not set up the kubelet stand-in's TLS", e);
        }
    }
}
