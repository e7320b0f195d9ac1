package dev.windlass.common.schema;

/** What a service's database schema is, compared with the newest migration the service ships. */
public enum SchemaVerdict {
    /** Every shipped migration is applied (or a newer one, from a newer release): nothing to run. */
    CURRENT,
    /** No Flyway history table: an empty database. */
    FRESH,
    /** The newest applied migration is older than the newest shipped one. */
    BEHIND,
    /** The history records a failed migration; Flyway reports it and refuses to start. */
    FAILED;

    /** Whether Flyway has to run before the service may answer requests. */
    public boolean needsMigration() {
        return this != CURRENT;
    }
}
