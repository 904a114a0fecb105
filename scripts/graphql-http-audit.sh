#!/usr/bin/env bash
# The GraphQL-over-HTTP audit (npm graphql-http, pinned in conformance/package-lock.json)
# against a live Mosaic: fails on any MUST or SHOULD failure.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix conformance --no-audit --no-fund --silent
source scripts/lib/serve.sh
node conformance/audit.mjs "$MOSAIC_URL/graphql"
