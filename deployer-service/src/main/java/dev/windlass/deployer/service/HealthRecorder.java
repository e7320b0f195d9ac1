package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.app.AppHealthChanged;
import dev.windlass.events.app.HealthStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The health last published for each deployed app, one row per app ({@code app_health}), and the only writer of
 * health events: an event is written to the outbox only by the transaction that changes the app's row, with the row
 * locked, so replicas that assess the same change publish it once and in order.
 */
@ApplicationScoped
public class HealthRecorder {

    /** Longest message an event carries (the schema's limit). */
    static final int MAX_MESSAGE_LENGTH = 4096;

    private final Outbox outbox;

    public HealthRecorder(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Records the app's health as {@code status} assessed it; publishes an {@link AppHealthChanged} when it differs
     * from the one recorded before (or none was). True when this call published.
     */
    @WithTransaction
    @WakesOutboxRelay
    public Uni<Boolean> record(AppRef app, AppStatusService.AppStatus status, Instant at) {
        String key = app.key();
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "insert into app_health (app_key, health, revision, changed_at)"
                                        + " values (?1, '', ?2, ?3) on conflict do nothing")
                        .setParameter(1, key)
                        .setParameter(2, status.revision())
                        .setParameter(3, at)
                        .executeUpdate()
                        .flatMap(ignored -> session.createNativeQuery(
                                        "select health from app_health where app_key = ?1 for update", String.class)
                                .setParameter(1, key)
                                .getResultList())
                        .flatMap(found -> {
                            String before = found.isEmpty() ? "" : found.get(0);
                            if (before.equals(status.health().name())) {
                                return Uni.createFrom().item(false);
                            }
                            return session.createNativeQuery("update app_health set health = ?2, revision = ?3,"
                                            + " changed_at = ?4 where app_key = ?1")
                                    .setParameter(1, key)
                                    .setParameter(2, status.health().name())
                                    .setParameter(3, status.revision())
                                    .setParameter(4, at)
                                    .executeUpdate()
                                    .flatMap(updated -> outbox.append(EventEnvelope.of(
                                            EventType.APP_HEALTH_CHANGED,
                                            UUID.randomUUID(),
                                            CloudEventHeaders.SOURCE_DEPLOYER,
                                            event(
                                                    app,
                                                    status,
                                                    before.isEmpty() ? null : HealthStatus.valueOf(before),
                                                    at))))
                                    .replaceWith(true);
                        }));
    }

    /**
     * Forgets the apps that are no longer deployed — every recorded app not in {@code deployed} whose health was
     * recorded before {@code before} (an app deployed since the caller read {@code deployed} is kept) — so that a
     * later deploy of one starts with no previous health; how many were forgotten. Rows are read and deleted by key,
     * whichever replica recorded them, so an app undeployed while no replica followed it is forgotten too.
     */
    @WithTransaction
    public Uni<Integer> forgetAllBut(Set<String> deployed, Instant before) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select app_key from app_health where changed_at < ?1", String.class)
                        .setParameter(1, before)
                        .getResultList()
                        .flatMap(keys -> Multi.createFrom()
                                .iterable(keys.stream()
                                        .filter(key -> !deployed.contains(key))
                                        .toList())
                                .onItem()
                                .transformToUniAndConcatenate(key -> session.createNativeQuery(
                                                "delete from app_health where app_key = ?1 and changed_at < ?2")
                                        .setParameter(1, key)
                                        .setParameter(2, before)
                                        .executeUpdate())
                                .collect()
                                .with(Collectors.summingInt(Integer::intValue))));
    }

    /** The app keys with a recorded health (for tests). */
    @WithTransaction
    public Uni<List<String>> recorded() {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("select app_key from app_health", String.class)
                        .getResultList());
    }

    static AppHealthChanged event(AppRef app, AppStatusService.AppStatus status, HealthStatus previous, Instant at) {
        String message = status.message();
        if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
        }
        return new AppHealthChanged(
                status.orchestrator(),
                app.orchestratorId(),
                app.namespace(),
                app.app(),
                status.revision(),
                status.health(),
                previous,
                status.health() == HealthStatus.Healthy ? null : message,
                at);
    }
}
