-- Registries Windlass polls for new tags (spec.imageUpdates.poll), by host: whether they answer plain HTTP only and the
-- account to sign in with, its password sealed like secret env values (AES-256-GCM, the active secret key). The API
-- never returns the password.
create table image_registries (
    host text primary key,
    username text,
    password_sealed text,
    plain_http boolean not null default false,
    updated_at timestamp with time zone not null,
    updated_by text not null
);

-- When each polling app's repository is asked next, so that replicas take turns (the first to move next_poll_at polls),
-- and what the last poll found: its outcome, and the digest of the running tag (the baseline of the force policy).
create table image_polls (
    app_key text primary key,
    next_poll_at timestamp with time zone not null,
    polled_at timestamp with time zone,
    outcome varchar(512),
    seen_digest text
);
