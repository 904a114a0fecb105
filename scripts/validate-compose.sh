#!/usr/bin/env bash
# Validates docker-compose.yml and the Dockerfile without a Docker engine (no engine in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MOSAIC_TOOLS_VENV:-$HOME/.cache/mosaic/venv-tools}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r conformance/compose/requirements.txt
"$VENV/bin/python" conformance/compose/validate.py
