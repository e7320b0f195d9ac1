package dev.windlass.events.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.windlass.events.EventType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Validates a {@code data} document against its type's JSON Schema (draft 2020-12) from the class path. */
public final class PayloadSchemas {

    /** Prefix of the rule of every schema violation; the JSON Schema keyword follows. */
    public static final String RULE_PREFIX = "schema.";

    private static final Set<String> KEYWORDS_NAMING_A_PROPERTY =
            Set.of("required", "dependentRequired", "propertyNames", "additionalProperties");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    /**
     * Loaded once, when the class is first used: a schema missing from the class path (a packaging error)
     * fails loudly then, instead of turning every event into a violation.
     */
    private static final Map<EventType<?>, JsonSchema> SCHEMAS = EventType.all().stream()
            .collect(Collectors.toUnmodifiableMap(
                    Function.identity(),
                    type -> FACTORY.getSchema(SchemaLocation.of("classpath:" + type.schemaResource()), CONFIG)));

    private PayloadSchemas() {}

    /** The violations of a {@code data} document; empty when it conforms. */
    public static List<Violation> validate(EventType<?> type, JsonNode data) {
        Set<ValidationMessage> messages = schema(type).validate(data);
        return messages.stream().map(PayloadSchemas::toViolation).toList();
    }

    private static JsonSchema schema(EventType<?> type) {
        return SCHEMAS.get(type);
    }

    private static Violation toViolation(ValidationMessage message) {
        String path = path(message.getInstanceLocation());
        if (KEYWORDS_NAMING_A_PROPERTY.contains(message.getType()) && message.getProperty() != null) {
            path = JsonPaths.property(path, message.getProperty());
        }
        return new Violation(path, RULE_PREFIX + message.getType(), text(message));
    }

    private static String path(JsonNodePath location) {
        String path = JsonPaths.ROOT;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index
                    ? JsonPaths.index(path, index)
                    : JsonPaths.property(path, String.valueOf(element));
        }
        return path;
    }

    /** The library's message without its leading location, which the violation carries separately. */
    private static String text(ValidationMessage message) {
        String full = message.getMessage();
        String location = message.getInstanceLocation().toString();
        if (full.startsWith(location + ": ")) {
            return full.substring(location.length() + 2);
        }
        return full;
    }
}
