-- Which app holds which Ingress host on an orchestrator: a host (all its paths) belongs to one app, so no app can
-- take over another's host, or a longer path under it, with a valid certificate. Released when the app drops the
-- host or is undeployed.
create table host_claims (
    orchestrator text        not null,
    host         text        not null,
    namespace    text        not null,
    app          text        not null,
    claimed_at   timestamptz not null,
    primary key (orchestrator, host)
);
create index host_claims_app_idx on host_claims (orchestrator, namespace, app);
