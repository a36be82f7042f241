#!/usr/bin/env bash
# PostgreSQL for the journal tests: installs Debian's postgresql when missing, creates and starts
# a cluster, and a role that may create databases (each test makes its own). Idempotent.
# Connection used by the tests: SFU_TEST_POSTGRES, default below.
set -euo pipefail

ROLE=sfu_test
PASSWORD=sfu_test
DATABASE=sfu_test

if ! command -v pg_lsclusters >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "installing Debian's postgresql for the journal tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port"

as_postgres() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(as_postgres -c "select 1 from pg_roles where rolname = '$ROLE'")" != "1" ]; then
  as_postgres -c "create role $ROLE login createdb password '$PASSWORD'"
fi
if [ "$(as_postgres -c "select 1 from pg_database where datname = '$DATABASE'")" != "1" ]; then
  as_postgres -c "create database $DATABASE owner $ROLE"
fi
echo "PostgreSQL $version on 127.0.0.1:$port: Host=127.0.0.1;Port=$port;Username=$ROLE;Password=$PASSWORD;Database=$DATABASE"
