package dev.windlass.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** CloudEvents 1.0 Kafka binary-mode header names, and the header set of one event. */
public final class CloudEventHeaders {

    /** CloudEvents spec version header. */
    public static final String SPEC_VERSION = "ce_specversion";

    /** Event id header: a UUID, the consumers' idempotency key. */
    public static final String ID = "ce_id";

    /** Producer header, a URI reference such as {@code /windlass/deployer-service}. */
    public static final String SOURCE = "ce_source";

    /** Event type header, e.g. {@code dev.windlass.deployment.requested.v1}. */
    public static final String TYPE = "ce_type";

    /** Event time header, RFC 3339. */
    public static final String TIME = "ce_time";

    /** Subject header: the same value as the Kafka key. */
    public static final String SUBJECT = "ce_subject";

    /** Content type header (binary mode maps {@code datacontenttype} to it). */
    public static final String CONTENT_TYPE = "content-type";

    /** The only supported CloudEvents version. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    /** The only supported data content type. */
    public static final String APPLICATION_JSON = "application/json";

    /** {@code ce_source} of events the deployer publishes. */
    public static final String SOURCE_DEPLOYER = "/windlass/deployer-service";

    /** {@code ce_source} of events the registry publishes. */
    public static final String SOURCE_REGISTRY = "/windlass/registry-service";

    private CloudEventHeaders() {}

    /** The header set of one event, in a stable order, values UTF-8. */
    public static Map<String, byte[]> of(EventType<?> type, UUID id, String source, String subject, Instant time) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, utf8(SPEC_VERSION_1_0));
        headers.put(ID, utf8(Objects.requireNonNull(id, "id").toString()));
        headers.put(SOURCE, utf8(Objects.requireNonNull(source, "source")));
        headers.put(TYPE, utf8(type.name()));
        headers.put(TIME, utf8(DateTimeFormatter.ISO_INSTANT.format(Objects.requireNonNull(time, "time"))));
        if (subject != null) {
            headers.put(SUBJECT, utf8(subject));
        }
        headers.put(CONTENT_TYPE, utf8(APPLICATION_JSON));
        return Collections.unmodifiableMap(headers);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
