-- Outbox rows that cannot be published (a payload that no longer opens, a record the broker refuses as too large)
-- no longer hold up the rows behind them: each such failure counts an attempt and puts the row aside until
-- next_attempt_at (the rows of other keys go out meanwhile; later rows of the same key wait, to keep its order); after
-- windlass.deployer.outbox.max-attempts the row is quarantined: never read by the relay again, counted by the
-- "outbox" health group and a metric, kept for an operator (docs/operations.md). Broker outages count no attempts.
alter table outbox add column attempts integer not null default 0;
alter table outbox add column next_attempt_at timestamptz;
alter table outbox add column quarantined_at timestamptz;
alter table outbox add column last_error text;
create index outbox_waiting_idx on outbox (id) where quarantined_at is null;
create index outbox_backing_off_idx on outbox (topic, record_key, id)
    where next_attempt_at is not null and quarantined_at is null;
