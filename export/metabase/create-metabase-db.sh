#!/bin/sh
# Runs once, when the warehouse volume is first created (docker-entrypoint-initdb.d):
# Metabase keeps its own application data in a separate database, not in the warehouse and not in H2.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE DATABASE "${METABASE_DB:-metabase}";
SQL
