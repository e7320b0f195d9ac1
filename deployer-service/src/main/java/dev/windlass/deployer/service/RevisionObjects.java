package dev.windlass.deployer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.kubernetes.PruneScope;
import dev.windlass.events.EventJson;
import dev.windlass.events.deployment.ObjectRef;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The objects a revision records (the {@code object_refs} column) and the prune scope they give a new revision. */
final class RevisionObjects {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final TypeReference<List<ObjectRef>> OBJECTS = new TypeReference<>() {};

    private RevisionObjects() {}

    /**
     * The prune scope of a new revision of an app whose revisions recorded {@code recorded} (one JSON array per
     * revision, a null for a revision from before the deployer recorded them): every kind when any is null, else
     * the union of what they recorded.
     */
    static PruneScope scope(Collection<String> recorded) {
        Set<ObjectRef> earlier = new LinkedHashSet<>();
        for (String objects : recorded) {
            if (objects == null) {
                return PruneScope.everything();
            }
            earlier.addAll(read(objects));
        }
        return PruneScope.of(earlier);
    }

    /** {@code recorded} (null: none) widened by {@code objects}, as the column stores it. */
    static String widen(String recorded, Collection<ObjectRef> objects) {
        Set<ObjectRef> all = new LinkedHashSet<>(recorded == null ? List.of() : read(recorded));
        all.addAll(objects);
        try {
            return JSON.writeValueAsString(List.copyOf(all));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ObjectRef> read(String recorded) {
        try {
            return JSON.readValue(recorded, OBJECTS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
