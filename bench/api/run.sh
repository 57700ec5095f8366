#!/usr/bin/env bash
# Runs the HTTP API benchmark: builds the release binary and the bench, starts a throwaway
# PostgreSQL cluster (durable: fsync on, as in production) from the machine's binaries, and
# loads Samsyn on SQLite and on PostgreSQL. Not part of the test command.
#   ./bench/api/run.sh [--scale county|national] [--engines sqlite,postgres] [--rates 50,100] …
set -euo pipefail
cd "$(dirname "$0")/../.."
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ ! -x "${pg_bin}/initdb" ]; then
  echo "PostgreSQL server binaries are missing (Debian: apt-get install postgresql-15)" >&2
  exit 1
fi
cargo build --release -p samsyn -p samsyn-bench-api

work="$(mktemp -d /tmp/samsyn-bench.XXXXXX)"
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$work"
  as_postgres=(runuser -u postgres --)
fi
port=55480
cleanup() {
  "${as_postgres[@]}" "${pg_bin}/pg_ctl" -D "$work/pgdata" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_postgres[@]}" "${pg_bin}/initdb" -D "$work/pgdata" -A trust -U postgres -E UTF8 >/dev/null
"${as_postgres[@]}" "${pg_bin}/pg_ctl" -D "$work/pgdata" -l "$work/postgres.log" -w \
  -o "-p ${port} -k ${work} -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
SAMSYN_BENCH_POSTGRES_URL="postgres://postgres@127.0.0.1:${port}/postgres" \
  target/release/samsyn-bench-api "$@"
