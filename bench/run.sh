#!/usr/bin/env bash
# The benchmark: installs oha (crates.io) and PostGraphile v5 with its Node.js (npm, pinned in
# bench/package-lock.json), builds Mosaic and the seaography peer (bench/seaography) in release
# mode, seeds PostgreSQL databases with
# synthetic programmes (kept between runs; --fresh seeds again) and runs bench/bench.py.
# Loopback only; every load run is bounded by --seconds. Options are bench.py's (--help).
#
# usage: bash bench/run.sh [--seconds 20] [--projects 10000] [--fresh]
#        bash bench/run.sh --scale [--sizes 1000,10000,100000] [--seconds 10]   (bench/scale.py)
#        bash bench/run.sh --replica [--seconds 15]   (bench/replica.py: reads on a replica)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mosaic/target}"
TOOLS="${MOSAIC_TOOLS:-$HOME/.cache/mosaic/tools}"
OHA_VERSION=1.16.0

if [ ! -x "$TOOLS/bin/oha" ] || ! "$TOOLS/bin/oha" --version | grep -q "$OHA_VERSION"; then
  echo "installing oha $OHA_VERSION from crates.io (once per machine)" >&2
  cargo install --quiet --locked --root "$TOOLS" --version "$OHA_VERSION" oha
fi
npm ci --prefix bench --no-audit --no-fund --silent --loglevel=error
bench/node_modules/.bin/node --version | grep -q '^v22\.' || {
  echo "bench/node_modules/.bin/node is not Node.js 22 (PostGraphile v5 needs it)" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench (PostgreSQL's) is needed" >&2; exit 1; }

cargo build --quiet --release --bin mosaic
if [ "${1:-}" != "--scale" ] && [ "${1:-}" != "--replica" ]; then
  # The Rust peer: seaography from crates.io over the same tables (bench/seaography).
  cargo build --quiet --release --locked --manifest-path bench/seaography/Cargo.toml
fi
case "${1:-}" in
  --scale|--replica)
    script="bench/${1#--}.py"
    shift
    exec python3 "$script" --mosaic "$CARGO_TARGET_DIR/release/mosaic" --oha "$TOOLS/bin/oha" "$@"
    ;;
esac
exec python3 bench/bench.py --mosaic "$CARGO_TARGET_DIR/release/mosaic" --oha "$TOOLS/bin/oha" \
  --seaography "$CARGO_TARGET_DIR/release/mosaic-bench-seaography" "$@"
