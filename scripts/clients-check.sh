#!/usr/bin/env bash
# The clients frontend teams use, pinned in conformance/clients/package-lock.json, against a
# live, seeded Mosaic:
# - GraphQL Code Generator (client preset) types docs/operations/ and a small client from the
#   live schema, and `tsc --noEmit` typechecks them;
# - Apollo Client 4 pages with relayStylePagination and fetchMore, normalises a mutation's
#   answer without warnings, reads error codes, and runs automatic persisted queries;
# - the Relay compiler compiles @refetchable fragments on every Node type and a @connection;
# - a server started with codegen's persisted-documents.json as MOSAIC_TRUSTED_DOCUMENTS runs
#   only those documents for callers other than ADMIN.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
npm ci --prefix conformance/clients --no-audit --no-fund --silent --loglevel=error
source scripts/lib/serve.sh
cd conformance/clients
rm -rf src/gql __generated__ && mkdir -p __generated__
MOSAIC_URL="$MOSAIC_URL" npx graphql-codegen --config codegen.ts --silent
npx tsc -p tsconfig.json
echo "ok codegen and tsc"
timeout 120 node apollo.mjs "$MOSAIC_URL" "$MOSAIC_ADMIN_TOKEN"
curl -fsS -H "Authorization: Bearer $MOSAIC_ADMIN_TOKEN" "$MOSAIC_URL/schema.graphql" -o relay/schema.graphql
timeout 120 npx relay-compiler
echo "ok relay compiler"

MANIFEST="$PWD/src/gql/persisted-documents.json"
stop_server
export MOSAIC_TRUSTED_DOCUMENTS="$MANIFEST"
source "$ROOT/scripts/lib/serve.sh"
timeout 60 node trusted.mjs "$MOSAIC_URL" "$MOSAIC_ADMIN_TOKEN" "$MANIFEST"
