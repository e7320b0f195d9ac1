package dev.windlass.events;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.windlass.events.validation.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter record contract: the original key and value bytes (secret values in the clear replaced, see {@link
 * RequestTrust#withoutPlaintextSecrets}), every original header but the requester's token, plus {@code windlass-dlq-*}
 * headers saying where the record came from and why it can never succeed.
 */
public final class DeadLetter {

    /** The dead-letter topic for deploy requests. */
    public static final String TOPIC = Topics.DEPLOY_REQUESTS_DLQ;

    /** JSON array of violations, each {@code {"path","rule","message"}}. */
    public static final String REASON_HEADER = "windlass-dlq-reason";

    /** Topic the record was consumed from. */
    public static final String SOURCE_TOPIC_HEADER = "windlass-dlq-source-topic";

    /** Partition the record was consumed from, decimal. */
    public static final String SOURCE_PARTITION_HEADER = "windlass-dlq-source-partition";

    /** Offset the record was consumed at, decimal. */
    public static final String SOURCE_OFFSET_HEADER = "windlass-dlq-source-offset";

    /** When the consumer gave up on the record, RFC 3339. */
    public static final String FAILED_AT_HEADER = "windlass-dlq-failed-at";

    /** Most violations copied into the reason header; a longer list is cut and ends with a summary entry. */
    public static final int MAX_REASON_VIOLATIONS = 50;

    private static final TypeReference<List<Violation>> VIOLATIONS = new TypeReference<>() {};

    private DeadLetter() {}

    /** The headers of the dead-letter record: the original ones but credentials, then the {@code windlass-dlq-*} ones. */
    public static Map<String, byte[]> headers(
            Map<String, byte[]> original,
            List<Violation> reason,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            Instant failedAt) {
        Map<String, byte[]> headers = new LinkedHashMap<>(original == null ? Map.of() : original);
        // a dead letter keeps no credential: the topic is read by operators, and the token may still be valid
        headers.keySet().removeIf(RequestTrust::isCredentialHeader);
        headers.put(REASON_HEADER, reason(reason));
        headers.put(SOURCE_TOPIC_HEADER, utf8(sourceTopic));
        headers.put(SOURCE_PARTITION_HEADER, utf8(Integer.toString(sourcePartition)));
        headers.put(SOURCE_OFFSET_HEADER, utf8(Long.toString(sourceOffset)));
        headers.put(FAILED_AT_HEADER, utf8(DateTimeFormatter.ISO_INSTANT.format(failedAt)));
        return Collections.unmodifiableMap(headers);
    }

    /** The reason header value for a list of violations. */
    public static byte[] reason(List<Violation> violations) {
        List<Violation> kept = violations;
        if (violations.size() > MAX_REASON_VIOLATIONS) {
            kept = new ArrayList<>(violations.subList(0, MAX_REASON_VIOLATIONS - 1));
            kept.add(new Violation(
                    "$", "truncated", (violations.size() - kept.size()) + " more violations are not listed"));
        }
        return EventJson.toBytes(kept);
    }

    /** The violations in a dead-letter record's headers; empty when the header is absent or unreadable. */
    public static List<Violation> reasonOf(Map<String, byte[]> headers) {
        byte[] raw = headers == null ? null : headers.get(REASON_HEADER);
        if (raw == null) {
            return List.of();
        }
        try {
            return List.copyOf(EventJson.shared().readValue(raw, VIOLATIONS));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static byte[] utf8(String value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
