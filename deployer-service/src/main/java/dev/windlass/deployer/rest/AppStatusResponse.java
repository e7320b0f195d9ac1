package dev.windlass.deployer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.deployer.kubernetes.LiveObject;
import dev.windlass.deployer.service.AppStatusService.AppStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/apps/{orchestrator}/{namespace}/{app}/status}: the app's health, its sync state and its live object
 * tree.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppStatusResponse(
        String orchestrator,
        String namespace,
        String app,
        int revision,
        HealthResponse health,
        SyncResponse sync,
        List<ObjectResponse> objects) {

    /**
     * InSync, OutOfSync or Unknown, whether the revision asks for self-heal, and each object that differs: its field
     * paths (never values) and why.
     */
    @RegisterForReflection
    public record SyncResponse(String status, boolean selfHeal, List<DriftResponse> objects) {}

    /** One object that differs from the revision, or could not be compared. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DriftResponse(String kind, String namespace, String name, List<String> fields, String reason) {}

    /** A health state and, when there is something to say, why. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthResponse(String status, String message) {}

    /** One live object; {@code health} absent for kinds without a health rule. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectResponse(
            String kind,
            String namespace,
            String name,
            HealthResponse health,
            Map<String, String> details,
            List<ObjectResponse> children) {

        static ObjectResponse from(LiveObject object) {
            return new ObjectResponse(
                    object.kind(),
                    object.namespace(),
                    object.name(),
                    object.health() == null
                            ? null
                            : new HealthResponse(
                                    object.health().status().name(),
                                    object.health().message()),
                    object.details(),
                    object.children().stream().map(ObjectResponse::from).toList());
        }
    }

    static AppStatusResponse from(AppStatus status) {
        return new AppStatusResponse(
                status.orchestrator(),
                status.namespace(),
                status.app(),
                status.revision(),
                new HealthResponse(status.health().name(), status.message()),
                new SyncResponse(
                        status.sync().status().name(),
                        status.sync().selfHeal(),
                        status.sync().objects().stream()
                                .map(d -> new DriftResponse(d.kind(), d.namespace(), d.name(), d.fields(), d.reason()))
                                .toList()),
                status.objects().stream().map(ObjectResponse::from).toList());
    }
}
