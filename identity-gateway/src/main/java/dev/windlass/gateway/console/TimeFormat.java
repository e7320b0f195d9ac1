package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times as the console shows them: {@code 2026-11-22 03:21:49 UTC} (the full RFC 3339 value stays in datetime). */
@TemplateExtension
public final class TimeFormat {

    private static final DateTimeFormatter READABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private TimeFormat() {}

    /** {@code {value.readable}}: an RFC 3339 time shortened to the second, in UTC; anything else as it is. */
    public static String readable(String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        try {
            return READABLE.format(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return value;
        }
    }
}
