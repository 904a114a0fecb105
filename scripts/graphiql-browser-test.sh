#!/usr/bin/env bash
# GraphiQL in a real browser: Debian's headless Chromium driven by Playwright (npm
# playwright-core, pinned in conformance/package-lock.json) against a live Mosaic on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/chromium.sh
npm ci --prefix conformance --no-audit --no-fund --silent
source scripts/lib/serve.sh
timeout 120 node conformance/graphiql.mjs "$MOSAIC_URL" "$MOSAIC_ADMIN_TOKEN"
