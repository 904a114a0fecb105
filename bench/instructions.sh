#!/usr/bin/env bash
# Instructions Mosaic executes per page (a), counted by valgrind's callgrind: a count, not a
# time, so it repeats to within a fraction of a per cent whatever else the machine is doing,
# and says what a change to the server's own work bought when timings drift more than that.
# PostgreSQL's work is not counted. Loopback only; stops by itself after --requests pages.
#
# usage: bash bench/instructions.sh [BINARY] [--requests 30] [--out DIR]
#   BINARY defaults to the release build; the database mosaic_bench_10000 must exist
#   (bash bench/run.sh or python3 bench/ab.py seed it). Prints the count per page and
#   leaves the profile (callgrind_annotate --inclusive=yes DIR/callgrind.out.*) in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}/release/mosaic"
REQUESTS=30
OUT=$(mktemp -d)
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) REQUESTS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) BIN=$1; shift ;;
  esac
done
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian: valgrind)" >&2; exit 1; }
SERVER=${MOSAIC_BENCH_SERVER:-postgres://postgres@127.0.0.1:5432}
SECRET="bench-secret-0123456789abcdef0123456789abcdef"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$OUT"
DATABASE_URL="$SERVER/mosaic_bench_10000?sslmode=disable" MOSAIC_BIND="127.0.0.1:$PORT" \
  MOSAIC_ENV=production MOSAIC_JWT_SECRET=$SECRET MOSAIC_SEED_ON_START=false \
  MOSAIC_METRICS_TOKEN=bench-metrics-0123456789abcdef0123456789abcdef \
  MOSAIC_RATE_LIMIT_PER_MINUTE=0 MOSAIC_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE=0 RUST_LOG=warn \
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out.%p" "$BIN" serve \
  > "$OUT/server.log" 2>&1 &
VALGRIND=$!
trap 'kill $VALGRIND 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break
  kill -0 $VALGRIND 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.5
done
TOKEN=$(MOSAIC_JWT_SECRET=$SECRET "$BIN" token --role ADMIN --ttl 2h --sub bench)
BODY=$(python3 -c 'import json; print(json.dumps({"query": open("bench/queries/page.graphql").read(), "variables": {"first": 50}}))')
page() {
  curl -sf -o "$OUT/answer.json" -H 'content-type: application/json' \
    -H "authorization: Bearer $TOKEN" -d "$BODY" "http://127.0.0.1:$PORT/graphql"
}
# Warm: the pool's connections, the first statements' preparation.
for _ in 1 2 3 4 5; do page; done
callgrind_control --zero $VALGRIND >/dev/null 2>&1
for _ in $(seq "$REQUESTS"); do page; done
callgrind_control --dump $VALGRIND >/dev/null 2>&1
python3 - "$OUT" "$REQUESTS" <<'PY'
import glob, json, re, sys
out, requests = sys.argv[1], int(sys.argv[2])
answer = json.load(open(f"{out}/answer.json"))
projects = answer["data"]["projects"]["nodes"]
assert "errors" not in answer and len(projects) == 50, "page (a) did not answer 50 projects"
# The first dump (`.1`) holds the pages; the file without a part number is the rest.
for path in glob.glob(f"{out}/callgrind.out.*.1"):
    text = open(path, errors="ignore").read()
    total = int(re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M).group(1))
    print(f"{total // requests} instructions per page (a) over {requests} pages; profile: {path}")
    break
else:
    sys.exit("no profile was dumped")
PY
