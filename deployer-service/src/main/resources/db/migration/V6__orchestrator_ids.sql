-- Deployments, revisions and host claims refer to an orchestrator by its id, which stays when it is renamed; the
-- orchestrator column keeps the name it had when the deployment was asked for, for people. Rows stored before this
-- column get their id from the registry when the deployer starts (IdentityBackfill); until then, and for good when
-- the registry no longer knows their name, they are found by name.
alter table deployments add column orchestrator_id uuid;
alter table revisions add column orchestrator_id uuid;
alter table host_claims add column orchestrator_id uuid;

create index deployments_orchestrator_id_app_idx
    on deployments (orchestrator_id, namespace, app, requested_at desc);

-- an app's revision numbers are unique per orchestrator id; a name may be given to another orchestrator later
alter table revisions drop constraint revisions_orchestrator_namespace_app_number_key;
create unique index revisions_orchestrator_id_app_number_idx on revisions (orchestrator_id, namespace, app, number);
create index revisions_orchestrator_name_app_idx on revisions (orchestrator, namespace, app)
    where orchestrator_id is null;

alter table host_claims drop constraint host_claims_pkey;
create unique index host_claims_orchestrator_id_host_idx on host_claims (orchestrator_id, host);
create unique index host_claims_orchestrator_name_host_idx on host_claims (orchestrator, host)
    where orchestrator_id is null;
create index host_claims_orchestrator_id_app_idx on host_claims (orchestrator_id, namespace, app);
