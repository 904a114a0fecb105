# Sourced by browser tests: makes sure Debian's headless Chromium is installed (the only
# browser the machine can get: test tools' own browser downloads are blocked) and exports
# MOSAIC_CHROMIUM with its path.
set -euo pipefail
MOSAIC_CHROMIUM="${MOSAIC_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$MOSAIC_CHROMIUM" ]; then
  echo "installing Debian's chromium (once per machine)" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
"$MOSAIC_CHROMIUM" --version >&2
export MOSAIC_CHROMIUM
