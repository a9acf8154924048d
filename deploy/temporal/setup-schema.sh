#!/bin/sh
# Creates Temporal's two PostgreSQL databases when missing and brings their schemas to the newest
# version the tool embeds; safe to run at every start (what is done is skipped), and how a new
# server version's schema changes are applied before that server starts. `npm run cluster`
# (temporal/cluster.mjs) and deploy/compose.yaml both run it.
#
#   POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5432 POSTGRES_USER=temporal POSTGRES_PASSWORD=… \
#     deploy/temporal/setup-schema.sh
#
# Needs temporal-sql-tool (the temporalio/admin-tools image has it; TEMPORAL_SQL_TOOL names another).
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
for pair in "${POSTGRES_DB:-temporal}:postgresql/v12/temporal" "${POSTGRES_VISIBILITY_DB:-temporal_visibility}:postgresql/v12/visibility"; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  sql() {
    "$tool" --plugin postgres12 --ep "${POSTGRES_HOST:-127.0.0.1}" --port "${POSTGRES_PORT:-5432}" \
      --user "${POSTGRES_USER:-temporal}" --password "${POSTGRES_PASSWORD:-temporal}" --db "$db" "$@"
  }
  sql create-database
  # Version tables on a fresh database (skipped once a version is recorded), then every newer version.
  sql setup-schema -v 0.0
  sql update-schema --schema-name "$schema"
  echo "database $db: schema $schema up to date"
done
