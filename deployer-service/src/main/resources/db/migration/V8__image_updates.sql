-- UPDATE_IMAGE requests: the app's newest revision applied again with only its image changed. The image asked for is
-- kept with the deployment, as a rollback keeps its target revision.
alter table deployments drop constraint deployments_action_check;
alter table deployments add constraint deployments_action_check
    check (action in ('APPLY', 'ROLLBACK', 'DELETE', 'UPDATE_IMAGE'));
alter table deployments add column image text;
