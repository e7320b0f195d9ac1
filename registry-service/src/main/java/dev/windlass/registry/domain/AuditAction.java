package dev.windlass.registry.domain;

/** What an audit entry records. */
public enum AuditAction {
    CREATED,
    UPDATED,
    DELETED,
    /** A connection test someone asked for, with its result. */
    CONNECTION_TESTED,
    /** A periodic re-check found a different connection status. */
    CONNECTION_CHANGED,
    /** Stored credentials were re-encrypted with the active key. */
    CREDENTIALS_REENCRYPTED
}
