package dev.windlass.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, served as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String requestId) {

    /** The media type of every error body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of the generic {@code about:blank} type, whose title is the status reason. */
    public static Problem of(int status, String detail, String instance, String requestId) {
        return new Problem("about:blank", ProblemStatus.reason(status), status, detail, instance, requestId);
    }
}
