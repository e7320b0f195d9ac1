package dev.windlass.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Edits records through their JSON form, so tests can change one field of a large record. */
public final class JsonEdits {

    public static final ObjectMapper MAPPER = EventJson.mapper();

    private JsonEdits() {}

    public static ObjectNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A copy of {@code value} with one edit applied to its JSON tree. */
    @SuppressWarnings("unchecked")
    public static <T> T edit(T value, Consumer<ObjectNode> edit) {
        ObjectNode tree = tree(value);
        edit.accept(tree);
        try {
            return (T) MAPPER.treeToValue(tree, value.getClass());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object at {@code index} of the array field {@code name}. */
    public static ObjectNode element(ObjectNode parent, String name, int index) {
        return (ObjectNode) ((ArrayNode) parent.get(name)).get(index);
    }

    /** The object field {@code name}, created when absent. */
    public static ObjectNode object(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        return child instanceof ObjectNode existing ? existing : parent.putObject(name);
    }
}
