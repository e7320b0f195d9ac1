package dev.windlass.events.validation;

import static dev.windlass.events.CloudEventHeaders.CONTENT_TYPE;
import static dev.windlass.events.CloudEventHeaders.ID;
import static dev.windlass.events.CloudEventHeaders.SOURCE;
import static dev.windlass.events.CloudEventHeaders.SPEC_VERSION;
import static dev.windlass.events.CloudEventHeaders.SUBJECT;
import static dev.windlass.events.CloudEventHeaders.TIME;
import static dev.windlass.events.CloudEventHeaders.TYPE;

import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Checks the CloudEvents binary-mode headers of one record and reads its attributes. */
final class HeaderRules {

    /** Longest accepted {@code ce_source} or {@code ce_subject}. */
    static final int MAX_ATTRIBUTE_LENGTH = 1024;

    private static final String HEADERS = "headers";

    /** The attributes read from valid headers; {@code time} and {@code subject} may be null. */
    record Attributes(UUID id, String source, String subject, Instant time) {}

    private final Map<String, byte[]> headers;
    private final Checker at;

    private HeaderRules(Map<String, byte[]> headers, List<Violation> sink) {
        this.headers = headers == null ? Map.of() : headers;
        this.at = new Checker(sink, HEADERS);
    }

    /** Checks the headers, adding violations to {@code sink}; the attributes are meaningful only if none. */
    static Attributes check(EventType<?> expected, Map<String, byte[]> headers, List<Violation> sink) {
        return new HeaderRules(headers, sink).check(expected);
    }

    private Attributes check(EventType<?> expected) {
        String specVersion = required(SPEC_VERSION);
        if (specVersion != null && !specVersion.equals(CloudEventHeaders.SPEC_VERSION_1_0)) {
            at.field(SPEC_VERSION).fail(Rules.HEADER_VALUE, "must be 1.0");
        }
        UUID id = uuid(required(ID));
        String source = source(required(SOURCE));
        String type = required(TYPE);
        if (type != null && !type.equals(expected.name())) {
            String known = EventType.byName(type).isPresent() ? "another Windlass event type" : "an unknown type";
            at.field(TYPE).fail(Rules.EVENT_TYPE, "must be " + expected.name() + ", not " + known);
        }
        contentType(required(CONTENT_TYPE));
        Instant time = time(optional(TIME));
        String subject = optional(SUBJECT);
        if (subject != null) {
            at.field(SUBJECT).maxLength(subject, MAX_ATTRIBUTE_LENGTH);
        }
        return new Attributes(id, source, subject, time);
    }

    private String required(String name) {
        if (!headers.containsKey(name) || headers.get(name) == null) {
            at.field(name).fail(Rules.REQUIRED, "is required");
            return null;
        }
        return optional(name);
    }

    private String optional(String name) {
        byte[] raw = headers.get(name);
        if (raw == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            at.field(name).fail(Rules.MALFORMED, "must be UTF-8 text");
            return null;
        }
    }

    private UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(value);
            if (id.toString().equals(value.toLowerCase(Locale.ROOT))) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        at.field(ID).fail(Rules.UUID, "must be a UUID such as 0b0f0c57-4c3a-4b8e-9d54-0d5c1c0f9a1e");
        return null;
    }

    private String source(String value) {
        if (value == null) {
            return null;
        }
        Checker source = at.field(SOURCE);
        if (value.isEmpty()) {
            source.fail(Rules.URI, "must be a non-empty URI reference");
            return null;
        }
        if (!source.maxLength(value, MAX_ATTRIBUTE_LENGTH)) {
            return null;
        }
        try {
            new URI(value);
            return value;
        } catch (URISyntaxException e) {
            source.fail(Rules.URI, "must be a URI reference such as /windlass/deployer-service");
            return null;
        }
    }

    private void contentType(String value) {
        if (value == null) {
            return;
        }
        String mediaType = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(CloudEventHeaders.APPLICATION_JSON)) {
            at.field(CONTENT_TYPE)
                    .fail(Rules.HEADER_VALUE, "must be application/json (binary mode; structured mode is not used)");
        }
    }

    private Instant time(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            at.field(TIME).fail(Rules.TIMESTAMP, "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z");
            return null;
        }
    }
}
