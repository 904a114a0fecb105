#!/usr/bin/env bash
# workshopEvents over WebSocket with the npm graphql-ws client (conformance/subscriptions.mjs):
# first one instance on SQLite (events in process), then two instances on one fresh PostgreSQL
# database (events through LISTEN/NOTIFY), including a PostgreSQL restart.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}"
PG_SERVER="${MOSAIC_CI_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_SERVER="${PG_SERVER%/*}"
npm ci --prefix conformance --no-audit --no-fund --silent --loglevel=error
cargo build --quiet --bin mosaic
BIN="$CARGO_TARGET_DIR/debug/mosaic"
WORK="$(mktemp -d)"
DB="mosaic_subscriptions_$$"
PIDS=()
cleanup() {
  # The PostgreSQL restart below must never leave the shared server down.
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
export MOSAIC_JWT_SECRET="subscriptions-test-secret-$(date +%s)-0123456789abcdef"
export MOSAIC_RATE_LIMIT_PER_MINUTE=0 MOSAIC_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE=0 MOSAIC_MAX_SUBSCRIPTIONS=2 MOSAIC_MAX_SOCKETS=3

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# start NAME DATABASE_URL: starts an instance, waits until ready, prints its URL.
start() {
  local name="$1" url="$2" port
  port="$(free_port)"
  (cd "$WORK" && MOSAIC_BIND="127.0.0.1:$port" DATABASE_URL="$url" exec "$BIN" serve >"$WORK/$name.log" 2>&1) &
  PIDS+=("$!")
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "http://127.0.0.1:$port/ready" >/dev/null
  STARTED="http://127.0.0.1:$port"
}

echo "--- one instance on SQLite"
start sqlite "sqlite://$WORK/mosaic.db?mode=rwc"
TOKEN="$(cd "$WORK" && DATABASE_URL="sqlite://$WORK/mosaic.db?mode=rwc" "$BIN" token --role ADMIN --ttl 1h)"
timeout 120 node conformance/subscriptions.mjs "$STARTED" "$STARTED" "$TOKEN"

echo "--- two instances on one PostgreSQL database"
psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $DB" >/dev/null
start a "$PG_SERVER/$DB"; A="$STARTED"
start b "$PG_SERVER/$DB"; B="$STARTED"
RESTART="pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart"
timeout 240 node conformance/subscriptions.mjs "$A" "$B" "$TOKEN" "$RESTART"
grep -h "listening for workshop events\|event listener" "$WORK/a.log" "$WORK/b.log" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-160
