package dev.windlass.events;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Compares a payload record with its JSON Schema, recursively: property names as Jackson writes them, the
 * {@code required} lists against {@link Required}, enum constants, and the JSON type of every field.
 */
final class RecordSchemaComparator {

    private static final ObjectMapper MAPPER = EventJson.mapper();

    private final JsonNode root;
    private final List<String> differences = new ArrayList<>();

    private RecordSchemaComparator(JsonNode root) {
        this.root = root;
    }

    /** Every difference found, each naming its path; empty when record and schema agree. */
    static List<String> differences(Class<?> record, JsonNode schema) {
        RecordSchemaComparator comparator = new RecordSchemaComparator(schema);
        comparator.compareRecord(record, schema, "$");
        return comparator.differences;
    }

    private void compareRecord(Class<?> type, JsonNode schemaNode, String path) {
        JsonNode schema = resolve(schemaNode);
        if (!type.isRecord()) {
            differences.add(path + ": " + type.getSimpleName() + " is not a record");
            return;
        }
        expectType(schema, "object", path);
        Map<String, JavaType> javaProperties = jacksonProperties(type);
        Set<String> schemaProperties = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(schemaProperties::add);
        report(path, "property", javaProperties.keySet(), schemaProperties);
        Set<String> javaRequired = Arrays.stream(type.getRecordComponents())
                .filter(component -> component.isAnnotationPresent(Required.class))
                .map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> schemaRequired = new TreeSet<>();
        schema.path("required").forEach(name -> schemaRequired.add(name.asText()));
        report(path, "required property", javaRequired, schemaRequired);
        javaProperties.forEach((name, javaType) -> {
            if (schemaProperties.contains(name)) {
                compareValue(javaType, schema.path("properties").path(name), path + "." + name);
            }
        });
    }

    private void compareValue(JavaType javaType, JsonNode schemaNode, String path) {
        JsonNode schema = resolve(schemaNode);
        Class<?> raw = javaType.getRawClass();
        if (raw == String.class) {
            expectType(schema, "string", path);
            if (schema.has("format")) {
                differences.add(path + ": a String but the schema has format " + schema.get("format"));
            }
        } else if (raw == UUID.class) {
            expectFormat(schema, "uuid", path);
        } else if (raw == Instant.class) {
            expectFormat(schema, "date-time", path);
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            expectType(schema, "integer", path);
        } else if (raw == Boolean.class || raw == boolean.class) {
            expectType(schema, "boolean", path);
        } else if (raw.isEnum()) {
            expectType(schema, "string", path);
            Set<String> constants = Arrays.stream(raw.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> allowed = new TreeSet<>();
            schema.path("enum").forEach(value -> allowed.add(value.asText()));
            report(path, "enum value", constants, allowed);
        } else if (Collection.class.isAssignableFrom(raw)) {
            expectType(schema, "array", path);
            compareValue(javaType.getContentType(), schema.path("items"), path + "[]");
        } else if (Map.class.isAssignableFrom(raw)) {
            expectType(schema, "object", path);
            if (!javaType.getKeyType().hasRawClass(String.class)) {
                differences.add(path + ": map keys must be strings");
            }
            compareValue(javaType.getContentType(), schema.path("additionalProperties"), path + ".*");
        } else if (raw.isRecord()) {
            compareRecord(raw, schema, path);
        } else {
            differences.add(path + ": no JSON mapping known for " + raw.getName());
        }
    }

    private Map<String, JavaType> jacksonProperties(Class<?> type) {
        BeanDescription description = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
        return description.findProperties().stream()
                .collect(Collectors.toMap(
                        BeanPropertyDefinition::getName,
                        BeanPropertyDefinition::getPrimaryType,
                        (a, b) -> a,
                        java.util.TreeMap::new));
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                differences.add("unsupported $ref " + ref);
                return current;
            }
            current = root.at(ref.substring(1));
        }
        return current;
    }

    private void expectType(JsonNode schema, String type, String path) {
        if (!type.equals(schema.path("type").asText())) {
            differences.add(
                    path + ": expected JSON type " + type + " but the schema says " + describe(schema.path("type")));
        }
    }

    private void expectFormat(JsonNode schema, String format, String path) {
        expectType(schema, "string", path);
        if (!format.equals(schema.path("format").asText())) {
            differences.add(
                    path + ": expected format " + format + " but the schema says " + describe(schema.path("format")));
        }
    }

    private static String describe(JsonNode node) {
        return node.isMissingNode() ? "nothing" : node.toString();
    }

    private void report(String path, String what, Set<String> inJava, Set<String> inSchema) {
        for (String name : inJava) {
            if (!inSchema.contains(name)) {
                differences.add(path + ": " + what + " '" + name + "' is in the record but not in the schema");
            }
        }
        for (String name : inSchema) {
            if (!inJava.contains(name)) {
                differences.add(path + ": " + what + " '" + name + "' is in the schema but not in the record");
            }
        }
    }
}
