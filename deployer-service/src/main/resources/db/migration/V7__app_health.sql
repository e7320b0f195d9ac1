-- The health last published for each deployed app (windlass.app.health.v1). A replica publishes a change only when
-- it changes this row, in the transaction that writes the event to the outbox: replicas that see the same change
-- publish it once. app_key is the app's Kafka key (orchestrator id, or name for rows older than ids, /namespace/app);
-- health is empty until the app's first assessment.
create table app_health (
    app_key text primary key,
    health text not null,
    revision integer not null,
    changed_at timestamptz not null
);
