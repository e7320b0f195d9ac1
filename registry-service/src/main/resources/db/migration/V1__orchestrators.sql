-- Registered clusters. Credentials are AES-256-GCM sealed: a key id and nonce||ciphertext per value.
create table orchestrator (
    id                     uuid primary key,
    version                bigint       not null,
    name                   varchar(63)  not null,
    description            text,
    environment            varchar(16)  not null,
    type                   varchar(16)  not null,
    api_server_url         text,
    auth_type              varchar(16)  not null,
    token_key_id           varchar(64),
    token_ciphertext       bytea,
    client_cert_key_id     varchar(64),
    client_cert_ciphertext bytea,
    client_key_key_id      varchar(64),
    client_key_ciphertext  bytea,
    ca_cert_key_id         varchar(64),
    ca_cert_ciphertext     bytea,
    skip_tls_verify        boolean      not null default false,
    metallb_ip_range       varchar(100),
    default_namespace      varchar(63)  not null,
    allowed_groups         text[]       not null default '{}',
    connection_status      varchar(16)  not null default 'UNKNOWN',
    connection_message     text,
    server_version         varchar(64),
    latency_millis         bigint,
    checked_at             timestamp(6) with time zone,
    created_at             timestamp(6) with time zone not null,
    updated_at             timestamp(6) with time zone not null,
    constraint orchestrator_name_unique unique (name)
);

create index orchestrator_type_idx on orchestrator (type);
create index orchestrator_environment_idx on orchestrator (environment);
create index orchestrator_connection_status_idx on orchestrator (connection_status);

-- Who did what, when. No foreign key: the trail outlives the orchestrator.
create table audit_entry (
    id                uuid primary key,
    orchestrator_id   uuid         not null,
    orchestrator_name varchar(63)  not null,
    action            varchar(32)  not null,
    subject           text         not null,
    username          text,
    occurred_at       timestamp(6) with time zone not null,
    details           text
);

create index audit_entry_orchestrator_idx on audit_entry (orchestrator_id, occurred_at);

-- Transactional outbox: written with the change, relayed to Kafka in seq order.
create table outbox_event (
    id           uuid primary key,
    seq          bigserial    not null,
    event_type   varchar(128) not null,
    topic        varchar(249) not null,
    event_key    text         not null,
    payload      text         not null,
    occurred_at  timestamp(6) with time zone not null,
    published_at timestamp(6) with time zone
);

create index outbox_event_unpublished_idx on outbox_event (seq) where published_at is null;
create index outbox_event_published_idx on outbox_event (published_at) where published_at is not null;
