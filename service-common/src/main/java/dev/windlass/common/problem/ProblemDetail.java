package dev.windlass.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem: its kind, a title, the status, what happened here, and for validation every broken rule. */
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(
        @Schema(examples = "urn:windlass:problem:validation")
        String type,

        @Schema(examples = "Invalid request") String title,
        @Schema(examples = "400") int status,

        @Schema(examples = "name must be a DNS label") String detail,

        @Schema(examples = "/api/orchestrators") String instance,

        @Schema(description = "For validation problems: every broken rule, each with the field, the rule and a message")
        List<?> violations) {

    /** The media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
