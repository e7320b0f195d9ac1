package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Server-side applies one object under Windlass's field manager; applying the same object twice changes nothing on
 * the server. An app's own objects are applied without forcing first: when another field manager changed a field
 * Windlass sets (a {@code kubectl scale}, an edit), the API server's conflict is kept as a note and the apply is
 * repeated with force, so a take-over is never silent. Failures become {@link ClusterException}s carrying the API
 * server's message; values of a Secret never appear in them.
 */
public final class ServerSideApplier {

    /** The content type of a server-side apply. */
    private static final String APPLY_PATCH = "application/apply-patch+yaml";

    private final String fieldManager;

    public ServerSideApplier(String fieldManager) {
        this.fieldManager = fieldManager;
    }

    /** The field manager every apply runs under. */
    public String fieldManager() {
        return fieldManager;
    }

    /**
     * Applies an object the app owns (checked by the caller); returns the API server's conflict message when fields
     * of another manager had to be taken over, empty when nothing conflicted.
     */
    public Optional<String> applyOwned(KubernetesClient client, HasMetadata object) {
        try {
            if (byStatus(object)) {
                applyJudgedByStatus(client, object);
            } else {
                client.resource(object).fieldManager(fieldManager).serverSideApply();
            }
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw failure(object, e);
            }
            apply(client, object);
            String note = ObjectRefs.describe(object) + ": " + conflict(e);
            return Optional.of(
                    object instanceof Secret secret && secret.getData() != null
                            ? redact(note, secret.getData())
                            : note);
        } catch (IllegalStateException e) {
            throw failure(object, e);
        }
    }

    /**
     * Whether an apply of {@code object} is sent as a plain request and judged by its status: a namespaced object of
     * a kind the client knows by its class. The API server answers an apply with the whole object as stored (managed
     * fields and all); on this, the deploy path, nothing reads it, and reading it into a typed object cost more than
     * sending the request. Anything else goes through the client's typed apply.
     */
    private static boolean byStatus(HasMetadata object) {
        return object instanceof Namespaced
                && !(object instanceof GenericKubernetesResource)
                && object.getMetadata() != null
                && object.getMetadata().getNamespace() != null;
    }

    /**
     * The client's own apply request (PATCH, {@code application/apply-patch+yaml}, under the field manager, not
     * forced) through its HTTP client, so its authentication, retries of unanswered requests, request timeout and
     * interceptors (the request metrics) apply; a status other than 2xx becomes the {@link KubernetesClientException}
     * the typed apply throws, with the API server's {@code Status}.
     */
    private void applyJudgedByStatus(KubernetesClient client, HasMetadata object) {
        Class<? extends HasMetadata> type = object.getClass();
        String group = HasMetadata.getGroup(type);
        String version = HasMetadata.getVersion(type);
        String url = client.getMasterUrl().toString().replaceAll("/+$", "")
                + (group == null || group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version)
                + "/namespaces/" + object.getMetadata().getNamespace() + "/" + HasMetadata.getPlural(type) + "/"
                + object.getMetadata().getName() + "?fieldManager="
                + URLEncoder.encode(fieldManager, StandardCharsets.UTF_8);
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(url)
                .method(
                        "PATCH",
                        APPLY_PATCH,
                        client.getKubernetesSerialization().asJson(object))
                .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS)
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while applying " + ObjectRefs.describe(object), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof KubernetesClientException || cause instanceof IllegalStateException) {
                throw (RuntimeException) cause;
            }
            throw new KubernetesClientException("PATCH " + url + ": " + cause.getMessage(), cause);
        }
        if (!response.isSuccessful()) {
            Status status = statusOf(client, response);
            throw new KubernetesClientException(status.getMessage(), response.code(), status);
        }
    }

    /** The API server's {@code Status} of a failed request; one naming only the code when the body is not one. */
    private static Status statusOf(KubernetesClient client, HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body != null && body.length > 0) {
            try {
                Status status = client.getKubernetesSerialization()
                        .unmarshal(new String(body, StandardCharsets.UTF_8), Status.class);
                if (status != null) {
                    return status;
                }
            } catch (RuntimeException e) {
                // not a Status: the code alone says it
            }
        }
        return new StatusBuilder().withCode(response.code()).build();
    }

    /** Applies a typed object, taking over conflicting fields; returns the object as the server stored it. */
    public <T extends HasMetadata> T apply(KubernetesClient client, T object) {
        try {
            return client.resource(object)
                    .fieldManager(fieldManager)
                    .forceConflicts()
                    .serverSideApply();
        } catch (KubernetesClientException | IllegalStateException e) {
            throw failure(object, e);
        }
    }

    /** Applies a custom resource whose type the client does not know. */
    public GenericKubernetesResource apply(
            KubernetesClient client, ResourceDefinitionContext type, GenericKubernetesResource object) {
        try {
            return client.genericKubernetesResources(type)
                    .inNamespace(object.getMetadata().getNamespace())
                    .resource(object)
                    .fieldManager(fieldManager)
                    .forceConflicts()
                    .serverSideApply();
        } catch (KubernetesClientException e) {
            throw failure(object, e);
        }
    }

    private static String conflict(KubernetesClientException e) {
        Status status = e.getStatus();
        return status != null && status.getMessage() != null ? status.getMessage() : "HTTP 409";
    }

    private static ClusterException failure(HasMetadata object, RuntimeException e) {
        ClusterException failure = ClusterFailures.translate("apply " + ObjectRefs.describe(object), e);
        if (object instanceof Secret secret && secret.getData() != null) {
            String redacted = redact(failure.getMessage(), secret.getData());
            if (!redacted.equals(failure.getMessage())) {
                return new ClusterException(redacted, failure.getStatus(), failure.isTransientFailure(), null);
            }
        }
        return failure;
    }

    /** Replaces every Secret value, encoded or decoded, that appears in {@code message}. */
    static String redact(String message, Map<String, String> base64Data) {
        String redacted = message;
        for (String encoded : base64Data.values()) {
            if (encoded == null || encoded.isEmpty()) {
                continue;
            }
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            redacted = redacted.replace(encoded, "****");
            if (!decoded.isEmpty()) {
                redacted = redacted.replace(decoded, "****");
            }
        }
        return redacted;
    }
}
