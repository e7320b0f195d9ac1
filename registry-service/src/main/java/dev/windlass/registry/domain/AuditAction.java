package dev.windlass.registry.domain;

/** What an audit entry records. */
public enum AuditAction {
    CREATED,
    UPDATED,
    DELETED,
    /** Someone asked to delete it once its apps are undeployed (the apps listed). */
    DELETION_REQUESTED,
    /** That deletion stopped: an undeploy failed (the reason given); the orchestrator stays. */
    DELETION_STOPPED,
    /** A connection test someone asked for, with its result. */
    CONNECTION_TESTED,
    /** A periodic re-check found a different connection status. */
    CONNECTION_CHANGED,
    /** Stored credentials were re-encrypted with the active key. */
    CREDENTIALS_REENCRYPTED
}
