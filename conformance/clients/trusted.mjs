// A server started with GraphQL Code Generator's persisted-documents.json as
// MOSAIC_TRUSTED_DOCUMENTS runs the listed documents by id for everyone, and anything else
// only for ADMIN.
//
// usage: node trusted.mjs BASE_URL ADMIN_TOKEN MANIFEST
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const [base, token, manifestFile] = process.argv.slice(2);
assert.ok(base && token && manifestFile, "usage: node trusted.mjs BASE_URL ADMIN_TOKEN MANIFEST");
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
const [documentId] = Object.entries(manifest).find(([, text]) => text.startsWith("query ProjectCards"));

async function post(body, authorization) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return response.json();
}

const listed = await post({ documentId, variables: { first: 2 } });
assert.equal(listed.errors, undefined, JSON.stringify(listed));
assert.equal(listed.data.projects.edges.length, 2);
console.log(`ok ${documentId} runs by id`);

const other = { query: "{ projects { totalCount } }" };
const refused = await post(other);
assert.equal(refused.errors?.[0]?.extensions?.code, "QUERY_NOT_IN_SAFELIST", JSON.stringify(refused));
console.log("ok an unlisted document is refused");

const admin = await post(other, `Bearer ${token}`);
assert.ok(admin.data.projects.totalCount > 0, JSON.stringify(admin));
console.log("ok admins run any document");
