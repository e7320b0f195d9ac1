-- One row per request to apply, roll back or delete an app on an orchestrator.
create table deployments (
    id                     uuid primary key,
    orchestrator           text        not null,
    namespace              text        not null,
    app                    text        not null,
    action                 text        not null check (action in ('APPLY', 'ROLLBACK', 'DELETE')),
    phase                  text        not null check (phase in ('PENDING', 'ACCEPTED', 'APPLYING', 'PROGRESSING',
                                                                 'SUCCEEDED', 'FAILED', 'SUPERSEDED', 'DELETED')),
    message                text,
    revision               integer,
    target_revision        integer,
    requested_by_subject   text        not null,
    requested_by_username  text,
    requested_at           timestamptz not null,
    updated_at             timestamptz not null,
    idempotency_key        text,
    request_hash           text
);
create index deployments_app_idx on deployments (orchestrator, namespace, app, requested_at desc);
create index deployments_phase_idx on deployments (phase);
create index deployments_requested_at_idx on deployments (requested_at desc, id);
-- An Idempotency-Key is scoped to the caller who sent it.
create unique index deployments_idempotency_idx on deployments (requested_by_subject, idempotency_key)
    where idempotency_key is not null;

-- Every phase a deployment went through, in order.
create table deployment_phases (
    id             bigint generated always as identity primary key,
    deployment_id  uuid        not null references deployments (id) on delete cascade,
    phase          text        not null,
    message        text        not null,
    revision       integer,
    objects        text,
    occurred_at    timestamptz not null
);
create index deployment_phases_deployment_idx on deployment_phases (deployment_id, id);

-- Numbered revisions of one app (1, 2, 3 ...), failed attempts included. Secret env values are sealed
-- (AES-256-GCM, key id inside the value); the spec column never holds them.
create table revisions (
    id                     bigint generated always as identity primary key,
    orchestrator           text        not null,
    namespace              text        not null,
    app                    text        not null,
    number                 integer     not null check (number > 0),
    deployment_id          uuid        not null references deployments (id) on delete cascade,
    rolled_back_from       integer,
    spec                   text        not null,
    sealed_secret_env      text,
    requested_by_subject   text        not null,
    requested_by_username  text,
    created_at             timestamptz not null,
    unique (orchestrator, namespace, app, number)
);
create index revisions_deployment_idx on revisions (deployment_id);

-- Ids of the events already consumed, written in the same transaction as their effect.
create table processed_events (
    event_id      uuid primary key,
    event_type    text        not null,
    processed_at  timestamptz not null
);

-- Transactional outbox: records waiting to be published, in id order, deleted once the broker acknowledged
-- them. Payloads are sealed (like secret env values) because deploy requests and dead letters can carry
-- secret env values.
create table outbox (
    id           bigint generated always as identity primary key,
    event_id     uuid        not null,
    topic        text        not null,
    record_key   bytea,
    headers      text        not null,
    payload      text        not null,
    created_at   timestamptz not null
);
