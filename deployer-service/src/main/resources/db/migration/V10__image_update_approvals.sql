-- Image updates waiting for approvals (spec.imageUpdates.approvals): one row per app revision and image a policy took,
-- with the approvals it needs, who may give them and until when; the approvals given, one per person. Both tables are
-- the audit trail of the decision: who approved when, and whether the update was deployed or expired.
create table pending_image_updates (
    id uuid primary key,
    orchestrator_id uuid not null,
    orchestrator text not null,
    namespace text not null,
    app text not null,
    revision integer not null,
    image text not null,
    policy text not null,
    reason varchar(256) not null,
    required_approvals integer not null,
    approver_groups text not null,
    deadline timestamp with time zone not null,
    status text not null check (status in ('PENDING', 'APPROVED', 'EXPIRED')),
    created_at timestamp with time zone not null,
    decided_at timestamp with time zone,
    deployment_id uuid,
    unique (orchestrator_id, namespace, app, revision, image)
);
create index pending_image_updates_app on pending_image_updates (orchestrator_id, namespace, app);
create index pending_image_updates_open on pending_image_updates (deadline) where status = 'PENDING';

create table image_update_approvals (
    id bigserial primary key,
    update_id uuid not null references pending_image_updates (id) on delete cascade,
    subject text not null,
    username text,
    approved_at timestamp with time zone not null,
    unique (update_id, subject)
);
