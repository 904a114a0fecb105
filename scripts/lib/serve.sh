# Sourced by conformance scripts: builds Mosaic, starts it on a free loopback port with a fresh
# SQLite database (seeded), and stops it when the calling script exits.
# Sets MOSAIC_URL (http://127.0.0.1:PORT) and MOSAIC_ADMIN_TOKEN.
set -euo pipefail
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cargo build --quiet --manifest-path "$ROOT/Cargo.toml" --bin mosaic
SERVE_DIR="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
MOSAIC_URL="http://127.0.0.1:$PORT"
(cd "$SERVE_DIR" && MOSAIC_BIND="127.0.0.1:$PORT" DATABASE_URL="sqlite://$SERVE_DIR/mosaic.db?mode=rwc" \
  exec "$CARGO_TARGET_DIR/debug/mosaic" serve >"$SERVE_DIR/server.log" 2>&1) &
SERVER_PID=$!
stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$SERVE_DIR"; }
trap stop_server EXIT
for _ in $(seq 1 60); do
  curl -fsS "$MOSAIC_URL/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$MOSAIC_URL/ready" >/dev/null
MOSAIC_ADMIN_TOKEN="$(cd "$SERVE_DIR" && DATABASE_URL="sqlite://$SERVE_DIR/mosaic.db?mode=rwc" \
  "$CARGO_TARGET_DIR/debug/mosaic" token --role ADMIN --ttl 1h)"
export MOSAIC_URL MOSAIC_ADMIN_TOKEN
