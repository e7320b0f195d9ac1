-- An image update waiting for approvals is superseded when a newer one is found for its app, or when the app has a
-- newer revision by the time it would be approved: approving it then would take the app back.
alter table pending_image_updates drop constraint pending_image_updates_status_check;
alter table pending_image_updates add constraint pending_image_updates_status_check
    check (status in ('PENDING', 'APPROVED', 'EXPIRED', 'SUPERSEDED'));
