// Runs the graphql-http audit suite (the GraphQL-over-HTTP spec's MUST and SHOULD checks)
// against a running Mosaic and fails on any MUST or SHOULD failure.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
const counts = { ok: 0, warn: 0, error: 0, notice: 0 };
for (const result of results) {
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  if (result.status === 'warn' || result.status === 'error') {
    const level = result.status === 'error' ? 'MUST' : 'SHOULD';
    console.log(`${level} FAILED ${result.id}: ${result.name}\n  ${result.reason}`);
  }
}
console.log(
  `graphql-http audit: ${counts.ok} passed, ${counts.error} MUST failures, ${counts.warn} SHOULD failures, ${counts.notice} notices`,
);
process.exit(counts.error + counts.warn > 0 ? 1 : 0);
