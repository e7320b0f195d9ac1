-- What a deploy request asked for, as a SHA-256 of its canonical event data: a record that names a known deployment
-- id is taken for that deployment only when it asks for exactly this. Null on deployments stored before the column.
alter table deployments add column request_digest text;

-- The key pairs secret values are sealed to on their way over Kafka (JWE, RSA-OAEP-256 + A256GCM). The private key is
-- sealed at rest with the deployer's secret keys; exactly one key is active (seals); retired keys still open values
-- until they are deleted.
create table sealing_keys (
    key_id       text primary key,
    private_key  text        not null,
    public_jwk   text        not null,
    active       boolean     not null,
    created_at   timestamptz not null,
    retired_at   timestamptz
);
create unique index sealing_keys_one_active_idx on sealing_keys (active) where active;
