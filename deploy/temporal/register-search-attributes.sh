#!/bin/sh
# Registers the payment search attributes in a Temporal namespace; safe to run again (existing
# ones are left alone). Reads the same file the dev server uses, temporal/search-attributes.json
# ({"Name":"Type",...}), so the names and types have one source.
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

until "$cli" operator namespace describe --namespace "$namespace" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    echo "namespace $namespace not reachable at ${TEMPORAL_ADDRESS:-127.0.0.1:7233} after 3 minutes" >&2
    exit 1
  fi
  echo "waiting for Temporal and namespace $namespace..."
  sleep 2
done

existing="$("$cli" operator search-attribute list --namespace "$namespace")"
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
