package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.ApprovalsSpec;
import dev.windlass.events.spec.ImageUpdatePolicy;
import dev.windlass.events.validation.ImageReference;
import dev.windlass.events.validation.KubernetesNames;
import dev.windlass.events.validation.Quantity;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fails when a payload record and its shipped JSON Schema drift apart, in either direction. */
class SchemaDriftTest {

    static Stream<EventType<?>> types() {
        return EventType.all().stream();
    }

    static JsonNode schemaOf(EventType<?> type) throws IOException {
        try (InputStream in = SchemaDriftTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            assertThat(in)
                    .as("schema %s on the class path", type.schemaResource())
                    .isNotNull();
            return JsonEdits.MAPPER.readTree(in);
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void recordAndSchemaAgree(EventType<?> type) throws IOException {
        assertThat(RecordSchemaComparator.differences(type.payloadType(), schemaOf(type)))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("types")
    void schemaDeclaresDraft202012AndItsVersionedId(EventType<?> type) throws IOException {
        JsonNode schema = schemaOf(type);
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        String file = type.schemaResource().substring("schemas/".length());
        assertThat(schema.path("$id").asText()).isEqualTo("https://windlass.dev/schemas/" + file);
        assertThat(file).endsWith("." + type.name().substring(type.name().lastIndexOf('.') + 1) + ".json");
        assertThat(schema.path("description").asText()).contains(type.name());
    }

    @ParameterizedTest
    @MethodSource("types")
    void schemaPatternsAreExactlyTheJavaGrammars(EventType<?> type) throws Exception {
        Set<String> known = new HashSet<>();
        for (Field field : KubernetesNames.class.getFields()) {
            if (field.getName().endsWith("_PATTERN") && Modifier.isStatic(field.getModifiers())) {
                known.add("^" + field.get(null) + "$");
            }
        }
        known.add("^" + Quantity.PATTERN + "$");
        known.add("^" + ImageReference.PATTERN + "$");
        known.add("^" + ImageUpdatePolicy.PATTERN + "$");
        known.add("^" + ApprovalsSpec.DURATION_PATTERN + "$");
        List<String> patterns = new ArrayList<>();
        collectPatterns(schemaOf(type), patterns);
        assertThat(patterns)
                .isNotEmpty()
                .allSatisfy(pattern -> assertThat(known).contains(pattern));
    }

    private static void collectPatterns(JsonNode node, List<String> patterns) {
        if (node.has("pattern")) {
            patterns.add(node.get("pattern").asText());
        }
        node.elements().forEachRemaining(child -> collectPatterns(child, patterns));
    }

    /**
     * The spec is read strictly (see docs/events.md): every object the spec's schema describes, at any depth, is
     * closed with {@code additionalProperties: false}, while the envelope and the actor stay open. Free-form maps
     * ({@code env}, {@code labels}) have a value schema instead and are not records.
     */
    @Test
    void theSpecSchemaIsClosedAtEveryDepthAndTheEnvelopeOpen() throws IOException {
        JsonNode schema = schemaOf(EventType.DEPLOYMENT_REQUESTED);
        Set<String> open = new TreeSet<>();
        Set<String> seen = new HashSet<>();
        collectOpenRecords(schema, schema.path("$defs").path("AppSpec"), "AppSpec", open, seen);
        assertThat(seen).contains("AppSpec", "PortSpec", "ProbeSpec", "ResourceAmounts", "NetworkPolicySpec");
        assertThat(open).as("spec objects open to unknown properties").isEmpty();
        assertThat(schema.has("additionalProperties")).isFalse();
        assertThat(schema.path("$defs").path("Actor").has("additionalProperties"))
                .isFalse();
    }

    private static void collectOpenRecords(
            JsonNode root, JsonNode node, String name, Set<String> open, Set<String> seen) {
        if (!seen.add(name)) {
            return;
        }
        if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
            open.add(name);
        }
        List<JsonNode> children = new ArrayList<>();
        node.path("properties").elements().forEachRemaining(children::add);
        for (JsonNode child : children) {
            JsonNode items = child.has("items") ? child.get("items") : child;
            if (items.has("$ref")) {
                String ref = items.get("$ref").asText();
                String target = ref.substring(ref.lastIndexOf('/') + 1);
                collectOpenRecords(root, root.path("$defs").path(target), target, open, seen);
            }
        }
    }

    // The comparator itself must notice drift, or the test above proves nothing.

    private static List<String> driftAfter(Consumer<ObjectNode> change) throws IOException {
        ObjectNode schema = (ObjectNode) schemaOf(EventType.DEPLOYMENT_REQUESTED);
        change.accept(schema);
        return RecordSchemaComparator.differences(DeploymentRequested.class, schema);
    }

    private static ObjectNode def(ObjectNode schema, String name) {
        return (ObjectNode) schema.path("$defs").path(name);
    }

    @Test
    void noticesAFieldMissingFromTheSchema() throws IOException {
        assertThat(driftAfter(schema -> ((ObjectNode) def(schema, "PortSpec").get("properties")).remove("nodePort")))
                .containsExactly("$.spec.ports[]: property 'nodePort' is in the record but not in the schema");
    }

    @Test
    void noticesAFieldOnlyTheSchemaHas() throws IOException {
        assertThat(driftAfter(schema -> ((ObjectNode) schema.get("properties"))
                        .putObject("priority")
                        .put("type", "integer")))
                .containsExactly("$: property 'priority' is in the schema but not in the record");
    }

    @Test
    void noticesRequiredListsThatDisagree() throws IOException {
        assertThat(driftAfter(schema -> ((ArrayNode) def(schema, "VolumeSpec").get("required")).add("storageClass")))
                .containsExactly(
                        "$.spec.volumes[]: required property 'storageClass' is in the schema but not in the record");
        assertThat(driftAfter(schema -> ((ArrayNode) schema.get("required")).remove(0)))
                .containsExactly("$: required property 'deploymentId' is in the record but not in the schema");
    }

    @Test
    void noticesEnumAndTypeChanges() throws IOException {
        assertThat(driftAfter(schema ->
                        ((ArrayNode) ((ObjectNode) schema.get("properties").get("action")).get("enum")).remove(2)))
                .containsExactly("$.action: enum value 'DELETE' is in the record but not in the schema");
        assertThat(driftAfter(schema -> ((ObjectNode) def(schema, "AppSpec").get("properties"))
                        .putObject("replicas")
                        .put("type", "string")))
                .containsExactly("$.spec.replicas: expected JSON type integer but the schema says \"string\"");
        assertThat(driftAfter(schema -> ((ObjectNode) schema.get("properties").get("requestedAt")).remove("format")))
                .containsExactly("$.requestedAt: expected format date-time but the schema says nothing");
    }
}
