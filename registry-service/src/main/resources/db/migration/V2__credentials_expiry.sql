-- When the credentials the last connection check used expire: a token's exp claim or the client certificate's end.
alter table orchestrator add column credentials_expire_at timestamp(6) with time zone;
