package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** No event may carry a credential: no field anywhere in the orchestrator event looks like one. */
class NoCredentialsTest {

    private static final Pattern CREDENTIAL =
            Pattern.compile("(?i).*(token|password|secret|key|cert|credential|ca|skip).*");

    @Test
    void orchestratorEventHasNoCredentialLikeField() {
        List<String> names = new ArrayList<>();
        collect(OrchestratorChanged.class, "", names, new HashSet<>());
        assertThat(names).contains("connection.status", "actor.subject");
        assertThat(names)
                .noneMatch(name -> CREDENTIAL
                        .matcher(name.substring(name.lastIndexOf('.') + 1))
                        .matches());
    }

    @Test
    void orchestratorSchemaHasNoCredentialLikeProperty() throws Exception {
        JsonNode schema = SchemaDriftTest.schemaOf(EventType.ORCHESTRATOR_CHANGED);
        List<String> properties = new ArrayList<>();
        collect(schema, properties);
        assertThat(properties)
                .contains("serverVersion")
                .noneMatch(name -> CREDENTIAL.matcher(name).matches());
    }

    private static void collect(Class<?> type, String prefix, List<String> names, Set<Class<?>> seen) {
        if (!type.isRecord() || !seen.add(type)) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + component.getName();
            names.add(name);
            collect(component.getType(), name + ".", names, seen);
            Type generic = component.getGenericType();
            if (generic instanceof ParameterizedType parameterized) {
                for (Type argument : parameterized.getActualTypeArguments()) {
                    if (argument instanceof Class<?> element) {
                        collect(element, name + ".", names, seen);
                    }
                }
            }
        }
    }

    private static void collect(JsonNode node, List<String> properties) {
        node.path("properties").fieldNames().forEachRemaining(properties::add);
        node.elements().forEachRemaining(child -> collect(child, properties));
    }
}
