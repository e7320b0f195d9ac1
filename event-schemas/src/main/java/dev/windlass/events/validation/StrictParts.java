package dev.windlass.events.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.events.EventType;
import dev.windlass.events.spec.AppSpec;
import java.util.List;

/**
 * The parts of an event read strictly, where an unknown field is refused rather than ignored. Only the
 * {@code spec} of a deploy request: its fields are instructions for the cluster, and one the deployer does not
 * know would be dropped from the deploy without a word. Envelopes and the other events stay tolerant, so that
 * metadata can be added within a version (see docs/events.md, "Strict and tolerant reading").
 */
final class StrictParts {

    private StrictParts() {}

    /** The unknown fields in the strict parts of {@code data}; empty for a type read tolerantly throughout. */
    static List<Violation> unknownFields(EventType<?> type, JsonNode data) {
        if (type == EventType.DEPLOYMENT_REQUESTED) {
            return UnknownFields.check(data.get("spec"), AppSpec.class, "spec");
        }
        return List.of();
    }
}
