package dev.windlass.registry.rest;

import dev.windlass.registry.service.PreconditionRequiredException;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.Violation;
import jakarta.ws.rs.core.EntityTag;

/** Entity tags are the orchestrator's version as a strong tag, e.g. {@code "3"}. */
final class ETags {

    static final String IF_MATCH = "If-Match";

    private ETags() {}

    static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The version an {@code If-Match} header names; null for {@code *} or a missing header (when optional). */
    static Long version(String ifMatch, boolean required) {
        if (ifMatch == null || ifMatch.isBlank()) {
            if (required) {
                throw new PreconditionRequiredException(
                        "Send If-Match with the ETag of the orchestrator you read, so a concurrent change is not"
                                + " overwritten");
            }
            return null;
        }
        String value = ifMatch.strip();
        if (value.equals("*")) {
            return null;
        }
        if (value.length() > 2 && value.startsWith("\"") && value.endsWith("\"")) {
            try {
                return Long.parseLong(value.substring(1, value.length() - 1));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new ValidationFailedException(new Violation(
                IF_MATCH, "etag", "If-Match must be the ETag of a response, such as \"3\" (a weak tag never matches)"));
    }
}
