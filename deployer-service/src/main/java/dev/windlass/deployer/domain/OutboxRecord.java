package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A Kafka record written in the same transaction as the change it announces, published later by the relay. */
@Entity
@Table(name = "outbox")
public class OutboxRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    /** The record key bytes; null for a record without key. */
    @Column(name = "record_key")
    public byte[] recordKey;

    /** The record headers as a JSON object of base64 values. */
    @Column(nullable = false)
    public String headers;

    /** The record value, sealed. */
    @Column(nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Failed attempts that may not succeed by waiting for the broker (see {@code OutboxFailures}). */
    @Column(nullable = false)
    public int attempts;

    /** Not read by the relay before this time after a failed attempt; null when none failed. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** When the row was put aside for good; the relay never reads a quarantined row. */
    @Column(name = "quarantined_at")
    public Instant quarantinedAt;

    /** Why the last attempt failed. */
    @Column(name = "last_error")
    public String lastError;
}
