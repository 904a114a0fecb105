# Sourced by .ci/run: makes sure Debian's redis-server is installed, so that the tests of
# shared rate limits (each starts a Redis of its own on a free port) run rather than skip,
# and requires them to.
set -euo pipefail
if ! command -v redis-server >/dev/null; then
  echo "installing Debian's redis-server (once per machine)" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
redis-server --version >&2
export MOSAIC_TEST_REDIS=required
