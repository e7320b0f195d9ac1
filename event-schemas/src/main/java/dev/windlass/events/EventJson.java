package dev.windlass.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The one Jackson configuration for event payloads: ISO instants, tolerant of unknown fields, no nulls. */
public final class EventJson {

    /** Deepest JSON nesting accepted; Windlass payloads nest far less, so deeper input is hostile or broken. */
    public static final int MAX_NESTING_DEPTH = 32;

    private static final ObjectMapper SHARED = mapper();

    private EventJson() {}

    /**
     * A new mapper with the event configuration. Create it once per application and share it; it is
     * thread-safe once configured.
     */
    public static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
    }

    /**
     * A strict reader for untrusted input: duplicate keys and trailing content are errors, so the schema
     * and the typed record always see the same document.
     */
    public static ObjectReader strictReader() {
        return SHARED.reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Serializes a payload to UTF-8 JSON bytes. */
    public static byte[] toBytes(Object payload) {
        try {
            return SHARED.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("payload cannot be written as JSON", e);
        }
    }

    /** The shared instance used inside this module; callers must not reconfigure it. */
    static ObjectMapper shared() {
        return SHARED;
    }
}
