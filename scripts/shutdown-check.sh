#!/usr/bin/env bash
# Graceful shutdown on SIGTERM, against the real binary (conformance/shutdown/check.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}"
cargo build --quiet --bin mosaic
WORK="$(mktemp -d)"
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT; echo "work: $WORK" >&2
timeout 120 python3 conformance/shutdown/check.py "$CARGO_TARGET_DIR/debug/mosaic" "$WORK"
