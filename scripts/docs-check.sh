#!/usr/bin/env bash
# The example operations in docs/operations/: validated against schema.graphql by npm
# @graphql-inspector/cli (with Mosaic's depth, alias and directive limits), then run against a
# live, seeded Mosaic, anonymously and as ADMIN, and required to answer with data.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix conformance --no-audit --no-fund --silent --loglevel=error
conformance/node_modules/.bin/graphql-inspector validate 'docs/operations/*.graphql' schema.graphql \
  --deprecated --maxDepth 15 --maxAliasCount 30 --maxDirectiveCount 20 --relativePaths
source scripts/lib/serve.sh
timeout 60 node conformance/docs-operations.mjs "$MOSAIC_URL" "$MOSAIC_ADMIN_TOKEN" docs/operations
