-- Why Windlass made a request on its own (an image update policy that took a pushed image): kept with the
-- deployment and shown with it. Null for requests people and pipelines make.
alter table deployments add column reason varchar(256);
