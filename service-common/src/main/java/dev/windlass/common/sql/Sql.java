package dev.windlass.common.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Values as the plain reactive PostgreSQL client binds and reads them, for the statements that go around an ORM (the
 * deployer's moves on the hot path, every statement of the registry): a {@code timestamptz} is an {@link OffsetDateTime}.
 */
public final class Sql {

    private Sql() {}

    /** An instant as a {@code timestamptz} parameter; null stays null. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A {@code timestamptz} read back as an instant; null stays null. */
    public static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
