// Runs every example operation in docs/operations/ against a live, seeded Mosaic, anonymously
// and with a token, so the examples stay true: no errors, and each root field answers with data
// (non-null, a non-empty list, a connection with a positive totalCount).
//
// usage: node docs-operations.mjs BASE_URL TOKEN DIR
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [base, token, dir] = process.argv.slice(2);
assert.ok(base && token && dir, "usage: node docs-operations.mjs BASE_URL TOKEN DIR");

const files = readdirSync(dir).filter((f) => f.endsWith(".graphql")).sort();
assert.ok(files.length > 0, `no operations in ${dir}`);

for (const file of files) {
  const query = readFileSync(join(dir, file), "utf8");
  const varsFile = join(dir, file.replace(/\.graphql$/, ".json"));
  const variables = existsSync(varsFile) ? JSON.parse(readFileSync(varsFile, "utf8")) : {};
  for (const [who, headers] of [["anonymous", {}], ["admin", { authorization: `Bearer ${token}` }]]) {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    const where = `${file} (${who})`;
    assert.equal(response.status, 200, `${where}: HTTP ${response.status} ${JSON.stringify(body)}`);
    assert.equal(body.errors, undefined, `${where}: ${JSON.stringify(body.errors)}`);
    for (const [field, value] of Object.entries(body.data)) {
      assert.notEqual(value, null, `${where}: ${field} is null`);
      if (Array.isArray(value)) assert.ok(value.length > 0, `${where}: ${field} is empty`);
      if (value && typeof value.totalCount === "number") {
        assert.ok(value.totalCount > 0, `${where}: ${field}.totalCount is 0`);
      }
    }
    console.log(`ok ${where}`);
  }
}
