#!/usr/bin/env bash
# First start of the compose PostgreSQL: one database and one owner per service, passwords from the
# environment (.env). Runs once, from /docker-entrypoint-initdb.d, before the server accepts TCP.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v registry_password="$REGISTRY_DB_PASSWORD" -v deployer_password="$DEPLOYER_DB_PASSWORD" <<'SQL'
CREATE ROLE registry LOGIN PASSWORD :'registry_password';
CREATE DATABASE registry OWNER registry;
REVOKE ALL ON DATABASE registry FROM PUBLIC;
CREATE ROLE deployer LOGIN PASSWORD :'deployer_password';
CREATE DATABASE deployer OWNER deployer;
REVOKE ALL ON DATABASE deployer FROM PUBLIC;
SQL
