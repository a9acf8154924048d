#!/bin/sh
# Registers the payment namespace (when missing, with TEMPORAL_NAMESPACE_RETENTION, 720h by
# default) and its search attributes in a Temporal cluster; safe to run again (what exists is left
# alone). Reads the same file the dev server uses, temporal/search-attributes.json
# ({"Name":"Type",...}), so the names and types have one source. `npm run cluster` and
# deploy/compose.yaml both run it.
#
#   TEMPORAL_ADDRESS=host:7233 TEMPORAL_NAMESPACE=default \
#   SEARCH_ATTRIBUTES_FILE=temporal/search-attributes.json deploy/temporal/register-search-attributes.sh
#
# Needs the `temporal` CLI (the temporalio/admin-tools image has it); it reads TEMPORAL_ADDRESS,
# and the TLS / API key variables (TEMPORAL_TLS_*, TEMPORAL_API_KEY) like the service does.
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"
file="${SEARCH_ATTRIBUTES_FILE:-/etc/payments/search-attributes.json}"
cli="${TEMPORAL_CLI:-temporal}"
tries=0

retention="${TEMPORAL_NAMESPACE_RETENTION:-720h}"

until "$cli" operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    echo "Temporal not reachable at ${TEMPORAL_ADDRESS:-127.0.0.1:7233} after 3 minutes" >&2
    exit 1
  fi
  echo "waiting for Temporal..."
  sleep 2
done

# Closed payments stay readable (a register's GET after a restart, audits, a refund's check of its
# sale) for the retention; docs/operators/production.md explains the choice.
if "$cli" operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace: exists"
else
  "$cli" operator namespace create --namespace "$namespace" --retention "$retention"
  echo "namespace $namespace: created, retention $retention"
fi

# A namespace just created reaches the server's caches a few seconds later.
tries=0
until existing="$("$cli" operator search-attribute list --namespace "$namespace" 2>/dev/null)"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "namespace $namespace: search attributes not readable after 60 s" >&2
    exit 1
  fi
  sleep 1
done
# The file is one flat JSON object of "Name":"Type" pairs: one pair per line is all the parsing
# needed (the last pair has no newline after it, hence the `|| [ -n "$name" ]`).
tr -d '{}" \t\r\n' < "$file" | tr ',' '\n' | while IFS=: read -r name type || [ -n "$name" ]; do
  [ -n "$name" ] || continue
  if printf '%s\n' "$existing" | grep -qw -- "$name"; then
    echo "search attribute $name: already registered"
  else
    "$cli" operator search-attribute create --namespace "$namespace" --name "$name" --type "$type"
    echo "search attribute $name: registered as $type"
  fi
done
