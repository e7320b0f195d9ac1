package dev.windlass.registry.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.registry.service.Violation;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem: what kind, a short title, the status, what happened here, and for validation each field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)")
public record ProblemDetail(
        @Schema(examples = "urn:windlass:problem:validation")
        String type,

        @Schema(examples = "Invalid request") String title,
        @Schema(examples = "400") int status,

        @Schema(examples = "apiServerUrl must be an https URL")
        String detail,

        @Schema(examples = "/api/orchestrators") String instance,

        @Schema(description = "For validation problems: every broken rule")
        List<Violation> violations) {

    /** The media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
