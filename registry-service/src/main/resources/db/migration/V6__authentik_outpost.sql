-- Where the cluster's Authentik outpost answers Traefik's forward-auth requests; null when the orchestrator has none.
alter table orchestrator add column authentik_outpost_url varchar(2048);
