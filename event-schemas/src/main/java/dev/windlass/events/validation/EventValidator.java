package dev.windlass.events.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every consumer runs first: raw record value and headers in, a typed event or its violations out.
 * Checks, in order, size, CloudEvents headers, JSON, the JSON Schema (with the unknown fields of the parts read
 * strictly, see {@link StrictParts}) and the semantic rules; it never
 * throws, whatever the bytes.
 */
public final class EventValidator {

    /** Largest accepted record value, so that a record always fits the broker's default 1 MB limit. */
    public static final int MAX_PAYLOAD_BYTES = 1_000_000;

    private static final String ADDITIONAL_PROPERTIES = PayloadSchemas.RULE_PREFIX + "additionalProperties";

    private EventValidator() {}

    /** Validates one Kafka record expected to carry an event of {@code type}. */
    public static <T> ValidationResult<T> validate(EventType<T> type, byte[] value, Map<String, byte[]> headers) {
        try {
            return validateOrThrow(type, value, headers);
        } catch (RuntimeException e) {
            return invalid(JsonPaths.ROOT, Rules.UNREADABLE, "could not be read as " + type.name());
        }
    }

    /**
     * The semantic violations of a payload already in memory, e.g. before a producer writes it to its
     * outbox. Reports under the payload's field names ({@code spec.image}).
     */
    public static <T> List<Violation> check(EventType<T> type, T payload) {
        List<Violation> violations = new ArrayList<>();
        Checker root = new Checker(violations, JsonPaths.ROOT);
        if (root.present(payload)) {
            PayloadRules.of(type).check(payload, root);
        }
        return List.copyOf(violations);
    }

    private static <T> ValidationResult<T> validateOrThrow(
            EventType<T> type, byte[] value, Map<String, byte[]> headers) {
        List<Violation> violations = new ArrayList<>();
        HeaderRules.Attributes attributes = HeaderRules.check(type, headers, violations);
        if (value == null || value.length == 0) {
            violations.add(new Violation(JsonPaths.ROOT, Rules.REQUIRED, "the record has no value"));
        } else if (value.length > MAX_PAYLOAD_BYTES) {
            violations.add(
                    new Violation(JsonPaths.ROOT, Rules.TOO_LARGE, "must be at most " + MAX_PAYLOAD_BYTES + " bytes"));
        }
        if (!violations.isEmpty()) {
            return new ValidationResult.Invalid<>(violations);
        }
        JsonNode tree;
        try {
            tree = EventJson.strictReader().readTree(value);
        } catch (IOException e) {
            return invalid(JsonPaths.ROOT, Rules.MALFORMED, "must be one well-formed JSON document in UTF-8");
        }
        if (tree == null || !tree.isObject()) {
            return invalid(JsonPaths.ROOT, Rules.MALFORMED, "must be a JSON object");
        }
        List<Violation> schemaViolations = schemaAndStrictFields(type, tree);
        if (!schemaViolations.isEmpty()) {
            return new ValidationResult.Invalid<>(schemaViolations);
        }
        T data;
        try {
            data = EventJson.strictReader().treeToValue(tree, type.payloadType());
        } catch (IOException | IllegalArgumentException e) {
            return invalid(
                    JsonPaths.ROOT,
                    Rules.UNREADABLE,
                    "does not map to " + type.payloadType().getSimpleName());
        }
        List<Violation> semanticViolations = check(type, data);
        if (!semanticViolations.isEmpty()) {
            return new ValidationResult.Invalid<>(semanticViolations);
        }
        Instant time = attributes.time() != null ? attributes.time() : type.timeOf(data);
        String subject = attributes.subject() != null ? attributes.subject() : type.keyOf(data);
        return new ValidationResult.Valid<>(
                new EventEnvelope<>(attributes.id(), type, attributes.source(), subject, time, data));
    }

    /**
     * The schema's violations with the unknown fields of the strict parts first. The schema refuses those fields
     * too ({@code additionalProperties: false}); its duplicate of a field reported here, which cannot suggest the
     * field meant, is left out.
     */
    private static List<Violation> schemaAndStrictFields(EventType<?> type, JsonNode tree) {
        List<Violation> violations = new ArrayList<>(StrictParts.unknownFields(type, tree));
        Set<String> unknown = violations.stream().map(Violation::path).collect(Collectors.toSet());
        for (Violation violation : PayloadSchemas.validate(type, tree)) {
            if (!(ADDITIONAL_PROPERTIES.equals(violation.rule()) && unknown.contains(violation.path()))) {
                violations.add(violation);
            }
        }
        return violations;
    }

    private static <T> ValidationResult<T> invalid(String path, String rule, String message) {
        return new ValidationResult.Invalid<>(List.of(new Violation(path, rule, message)));
    }
}
