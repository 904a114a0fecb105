#!/usr/bin/env bash
# Fuzzes a live Mosaic with schemathesis (PyPI, pinned in conformance/fuzz/requirements.txt)
# as ADMIN: positive and negative operations for every query and mutation, bounded in time,
# then fails on any HTTP 5xx or INTERNAL_SERVER_ERROR (conformance/fuzz/classify.py).
# Rate limiting is off for the run: the fuzzer tests behaviour, not the limiter.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MOSAIC_FUZZ_VENV:-$HOME/.cache/mosaic/venv-schemathesis}"
[ -x "$VENV/bin/schemathesis" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r conformance/fuzz/requirements.txt
export MOSAIC_RATE_LIMIT_PER_MINUTE=0 MOSAIC_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE=0
source scripts/lib/serve.sh
REPORT_DIR="$(mktemp -d)"
(cd conformance/fuzz && SCHEMATHESIS_HOOKS=hooks "$VENV/bin/schemathesis" run "$MOSAIC_URL/graphql" \
  -H "Authorization: Bearer $MOSAIC_ADMIN_TOKEN" \
  --max-examples "${MOSAIC_FUZZ_EXAMPLES:-40}" --max-time "${MOSAIC_FUZZ_SECONDS:-300}" --seed 20261122 \
  --checks not_a_server_error --report ndjson --report-dir "$REPORT_DIR" \
  --output-truncate true --warnings off >"$REPORT_DIR/schemathesis.log" 2>&1) || true
tail -25 "$REPORT_DIR/schemathesis.log"
python3 conformance/fuzz/classify.py "$REPORT_DIR"/*.ndjson
