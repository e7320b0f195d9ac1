-- The warnings of the latest connection check (over-privileged credentials, credentials that expire soon, a second
-- load balancer next to MetalLB), one per line; null when there are none.
alter table orchestrator add column connection_warnings text;
