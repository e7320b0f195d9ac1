package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.Violation;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/events.md stays true: its examples validate and it names every topic, type, header and channel. */
class DocsTest {

    private static final Path DOC = Path.of("../docs/events.md");
    private static final Pattern EXAMPLE =
            Pattern.compile("<!-- example: (\\S+) -->\\s*```json\\s*(.*?)```", Pattern.DOTALL);

    private static String doc() throws IOException {
        return Files.readString(DOC, StandardCharsets.UTF_8);
    }

    @Test
    void everyDocumentedExampleIsAValidEventOfItsType() throws IOException {
        Matcher matcher = EXAMPLE.matcher(doc());
        List<EventType<?>> documented = new ArrayList<>();
        while (matcher.find()) {
            EventType<?> type = EventType.byName(matcher.group(1)).orElseThrow();
            assertThat(validate(type, matcher.group(2).getBytes(StandardCharsets.UTF_8)))
                    .as("example of %s", type)
                    .isEmpty();
            documented.add(type);
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(EventType.all());
    }

    @Test
    void namesEveryContractConstant() throws Exception {
        String doc = doc();
        List<String> constants = new ArrayList<>();
        for (Class<?> holder : List.of(Topics.class, Channels.class, CloudEventHeaders.class, DeadLetter.class)) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    constants.add((String) field.get(null));
                }
            }
        }
        EventType.all().forEach(type -> constants.add(type.name()));
        assertThat(constants)
                .hasSizeGreaterThan(25)
                .allSatisfy(constant -> assertThat(doc).contains(constant));
    }

    private static <T> List<Violation> validate(EventType<T> type, byte[] value) throws IOException {
        T data = JsonEdits.MAPPER.readValue(value, type.payloadType());
        return EventValidator.validate(
                        type,
                        value,
                        EventEnvelope.of(type, UUID.randomUUID(), "/docs", data).headers())
                .violations();
    }
}
