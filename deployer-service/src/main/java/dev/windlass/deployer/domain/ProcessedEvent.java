package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A consumed event id; stored with the event's effect so that a redelivery changes nothing. */
@Entity
@Table(name = "processed_events")
public class ProcessedEvent {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    public static ProcessedEvent of(UUID eventId, String eventType, Instant at) {
        ProcessedEvent event = new ProcessedEvent();
        event.eventId = eventId;
        event.eventType = eventType;
        event.processedAt = at;
        return event;
    }
}
