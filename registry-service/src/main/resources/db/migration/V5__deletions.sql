-- An orchestrator whose apps are being undeployed before it is deleted (DELETE ?cascade=undeploy): when it was asked
-- for and by whom, and why it stopped when an undeploy failed. All null for an orchestrator nobody is deleting.
alter table orchestrator add column deletion_requested_at timestamptz;
alter table orchestrator add column deletion_requested_by text;
alter table orchestrator add column deletion_requested_by_name text;
alter table orchestrator add column deletion_stopped text;
