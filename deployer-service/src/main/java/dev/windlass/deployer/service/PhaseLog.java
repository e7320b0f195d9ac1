package dev.windlass.deployer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.PhaseEntry;
import dev.windlass.deployer.messaging.EventMapper;
import dev.windlass.deployer.repository.PhaseRepository;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.ObjectRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Moves a deployment into a phase inside the caller's transaction: the row, one history entry and one status
 * event in the outbox, together or not at all.
 */
@ApplicationScoped
public class PhaseLog {

    /** Longest message a status event may carry (the event contract's limit). */
    static final int MAX_MESSAGE_LENGTH = 4096;

    /** Most objects one status event may list (the event contract's limit). */
    static final int MAX_OBJECTS = 500;

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final TypeReference<List<ObjectRef>> OBJECTS = new TypeReference<>() {};

    private final PhaseRepository phases;
    private final Outbox outbox;
    private final DeployMetrics metrics;

    public PhaseLog(PhaseRepository phases, Outbox outbox, DeployMetrics metrics) {
        this.phases = phases;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    /** Enters {@code phase}; the deployment must be managed by the current session. */
    public Uni<Void> enter(Deployment d, DeploymentPhase phase, String text, List<ObjectRef> objects) {
        Entered entered = entered(d, d.phase, d.updatedAt, phase, text, objects, Instant.now());
        return phases.persist(entered.entry()).chain(() -> outbox.append(entered.event()));
    }

    /**
     * The same entry as {@link #enter}, for a deployment a guarded statement has already moved on ({@code d} as it is
     * now, its message {@link #fit} and its time the move's; {@code from} and {@code lastChange} as it was): its
     * history entry and status event written with {@code connection}, inside that statement's transaction.
     */
    public Uni<Void> entered(
            SqlConnection connection,
            Deployment d,
            DeploymentState from,
            Instant lastChange,
            DeploymentPhase phase,
            List<ObjectRef> objects) {
        Entered entered = entered(d, from, lastChange, phase, d.message, objects, d.updatedAt);
        PhaseEntry entry = entered.entry();
        return connection
                .preparedQuery("insert into deployment_phases (deployment_id, phase, message, revision, objects,"
                        + " occurred_at) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(Arrays.asList(
                        entry.deploymentId,
                        entry.phase.name(),
                        entry.message,
                        entry.revision,
                        entry.objects,
                        Sql.timestamp(entry.occurredAt))))
                .chain(() -> outbox.append(connection, entered.event()));
    }

    /** A history entry and the status event that announces it. */
    private record Entered(PhaseEntry entry, EventEnvelope<?> event) {}

    /**
     * Counts the move from {@code from} (last changed at {@code lastChange}) to {@code phase} at {@code now} and sets
     * the deployment's phase, message and time; the history entry and status event of the move.
     */
    private Entered entered(
            Deployment d,
            DeploymentState from,
            Instant lastChange,
            DeploymentPhase phase,
            String text,
            List<ObjectRef> objects,
            Instant now) {
        String message = fit(text);
        List<ObjectRef> touched = objects == null ? List.of() : objects;
        if (touched.size() > MAX_OBJECTS) {
            touched = touched.subList(0, MAX_OBJECTS);
        }
        metrics.entered(d.action, from, phase, lastChange, d.requestedAt, now);
        d.phase = DeploymentState.of(phase);
        d.message = message;
        d.updatedAt = now;
        PhaseEntry entry = new PhaseEntry();
        entry.deploymentId = d.id;
        entry.phase = phase;
        entry.message = message;
        entry.revision = d.revision;
        entry.objects = touched.isEmpty() ? null : write(touched);
        entry.occurredAt = now;
        var event = EventEnvelope.of(
                EventType.DEPLOYMENT_STATUS,
                UUID.randomUUID(),
                CloudEventHeaders.SOURCE_DEPLOYER,
                EventMapper.status(d, phase, message, touched, now));
        return new Entered(entry, event);
    }

    /**
     * Changes the message of the deployment's current phase (a retry going on, say) without a new history entry; a
     * status event of the same phase carries it. The deployment must be managed by the current session.
     */
    public Uni<Void> note(Deployment d, String text) {
        Instant now = Instant.now();
        d.message = fit(text);
        d.updatedAt = now;
        DeploymentPhase phase = d.phase.phase();
        return outbox.append(EventEnvelope.of(
                EventType.DEPLOYMENT_STATUS,
                UUID.randomUUID(),
                CloudEventHeaders.SOURCE_DEPLOYER,
                EventMapper.status(d, phase, d.message, List.of(), now)));
    }

    /** A message that fits a status event: never blank, cut at the contract's length. */
    static String fit(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }

    /** The objects of a history entry. */
    public static List<ObjectRef> objects(PhaseEntry entry) {
        if (entry.objects == null) {
            return List.of();
        }
        try {
            return JSON.readValue(entry.objects, OBJECTS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(List<ObjectRef> objects) {
        try {
            return JSON.writeValueAsString(objects);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
