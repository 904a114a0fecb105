#!/usr/bin/env bash
# SQLite on a disk that fills during writes and frees again (conformance/faults/full_disk.py).
# Needs root, to mount a small tmpfs; CI runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}"
cargo build --quiet --bin mosaic
WORK="$(mktemp -d)"
trap 'umount -l "$WORK/disk" 2>/dev/null || true; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
echo "work: $WORK" >&2
cd conformance/faults
timeout 300 python3 full_disk.py "$CARGO_TARGET_DIR/debug/mosaic" "$WORK"
