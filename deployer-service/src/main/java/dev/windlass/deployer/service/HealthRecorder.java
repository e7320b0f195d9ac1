package dev.windlass.deployer.service;

import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.app.AppHealthChanged;
import dev.windlass.events.app.HealthStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The health last published for each deployed app, one row per app ({@code app_health}), and the only writer of
 * health events: an event is written to the outbox only by the transaction that changes the app's row, with the row
 * locked, so replicas that assess the same change publish it once and in order. Plain statements on the reactive
 * client, prepared once per connection: Hibernate cached the plan of a native select under a key that never equals
 * the previous call's, so each health change added an entry to its plan cache and searched the ones before (the same
 * cause as the outbox relay's lock query, docs/benchmarks.md, findings 7 and 8).
 */
@ApplicationScoped
public class HealthRecorder {

    /** Longest message an event carries (the schema's limit). */
    static final int MAX_MESSAGE_LENGTH = 4096;

    private final Outbox outbox;
    private final Pool pool;

    public HealthRecorder(Outbox outbox, Pool pool) {
        this.outbox = outbox;
        this.pool = pool;
    }

    /**
     * Records the app's health as {@code status} assessed it; publishes an {@link AppHealthChanged} when it differs
     * from the one recorded before (or none was). True when this call published.
     */
    @WakesOutboxRelay
    public Uni<Boolean> record(AppRef app, AppStatusService.AppStatus status, Instant at) {
        String key = app.key();
        OffsetDateTime time = Sql.timestamp(at);
        return pool.withTransaction(connection -> connection
                .preparedQuery("insert into app_health (app_key, health, revision, changed_at)"
                        + " values ($1, '', $2, $3) on conflict do nothing")
                .execute(Tuple.of(key, status.revision(), time))
                .flatMap(ignored -> connection
                        .preparedQuery("select health from app_health where app_key = $1 for update")
                        .execute(Tuple.of(key)))
                .flatMap(found -> {
                    String before =
                            found.size() == 0 ? "" : found.iterator().next().getString("health");
                    if (before.equals(status.health().name())) {
                        return Uni.createFrom().item(false);
                    }
                    return connection
                            .preparedQuery("update app_health set health = $2, revision = $3, changed_at = $4"
                                    + " where app_key = $1")
                            .execute(Tuple.of(key, status.health().name(), status.revision(), time))
                            .flatMap(updated -> outbox.append(
                                    connection,
                                    EventEnvelope.of(
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
    public Uni<Integer> forgetAllBut(Set<String> deployed, Instant before) {
        OffsetDateTime time = Sql.timestamp(before);
        return pool.withTransaction(connection -> connection
                .preparedQuery("select app_key from app_health where changed_at < $1")
                .execute(Tuple.of(time))
                .flatMap(rows -> {
                    List<String> gone = new ArrayList<>();
                    rows.forEach(row -> {
                        String key = row.getString("app_key");
                        if (!deployed.contains(key)) {
                            gone.add(key);
                        }
                    });
                    if (gone.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return connection
                            .preparedQuery("delete from app_health where app_key = any($1) and changed_at < $2")
                            .execute(Tuple.of(gone.toArray(String[]::new), time))
                            .map(SqlResult::rowCount);
                }));
    }

    /** The app keys with a recorded health (for tests). */
    public Uni<List<String>> recorded() {
        return pool.query("select app_key from app_health").execute().map(rows -> {
            List<String> keys = new ArrayList<>();
            rows.forEach(row -> keys.add(row.getString("app_key")));
            return keys;
        });
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
