package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side applies one object under Windlass's field manager; applying the same object twice changes nothing on
 * the server. An app's own objects are applied without forcing first: when another field manager changed a field
 * Windlass sets (a {@code kubectl scale}, an edit), the API server's conflict is kept as a note and the apply is
 * repeated with force, so a take-over is never silent. Failures become {@link ClusterException}s carrying the API
 * server's message; values of a Secret never appear in them.
 */
public final class ServerSideApplier {

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
            client.resource(object).fieldManager(fieldManager).serverSideApply();
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
