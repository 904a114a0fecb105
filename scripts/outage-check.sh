#!/usr/bin/env bash
# A PostgreSQL outage under load, on a cluster of the check's own (conformance/faults/pg_outage.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}"
cargo build --quiet --bin mosaic
WORK="$(mktemp -d)"
chmod 755 "$WORK"
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
echo "work: $WORK" >&2
cd conformance/faults
timeout 300 python3 pg_outage.py "$CARGO_TARGET_DIR/debug/mosaic" "$WORK"
