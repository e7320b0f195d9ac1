package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.PayloadSchemas;
import dev.windlass.events.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of every published version stays valid: schemas and rules may only grow more tolerant
 * within a version. Examples live in {@code src/test/resources/examples/<ce type>/}; a type that is no
 * longer published keeps its examples only if a still-published type of the same name accepts them.
 */
class ExamplesCompatibilityTest {

    private static final Path EXAMPLES = Path.of("src/test/resources/examples");

    record Example(EventType<?> type, Path file) {
        @Override
        public String toString() {
            return type.name() + "/" + file.getFileName();
        }
    }

    static Stream<Example> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<Path> json = files.filter(file -> file.toString().endsWith(".json"))
                    .sorted()
                    .toList();
            return json.stream().map(file -> {
                String typeName = EXAMPLES.relativize(file).getName(0).toString();
                EventType<?> type = EventType.byName(typeName)
                        .orElseThrow(() -> new AssertionError("examples for an unpublished type: " + typeName));
                return new Example(type, file);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void currentSchemaAcceptsExample(Example example) throws IOException {
        var data = JsonEdits.MAPPER.readTree(Files.readAllBytes(example.file()));
        assertThat(PayloadSchemas.validate(example.type(), data)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void consumersAcceptExample(Example example) throws IOException {
        assertThat(validate(example.type(), Files.readAllBytes(example.file())).violations())
                .isEmpty();
    }

    @Test
    void everyPublishedTypeHasExamples() throws IOException {
        List<EventType<?>> covered = examples().map(Example::type).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EventType.all());
    }

    private static <T> ValidationResult<T> validate(EventType<T> type, byte[] value) throws IOException {
        T data = JsonEdits.MAPPER.readValue(value, type.payloadType());
        return EventValidator.validate(
                type,
                value,
                EventEnvelope.of(type, UUID.randomUUID(), "/examples", data).headers());
    }
}
