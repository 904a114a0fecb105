// Runs every example operation in docs/operations/ against a live, seeded Mosaic, anonymously
// and with a token, so the examples stay true: no errors, and each root field answers with data
// (non-null, a non-empty list, a connection with a positive totalCount).
//
// Subscriptions run over WebSocket with the npm graphql-ws client: each must deliver an event
// for a workshop that is then created (as ADMIN) in a published Swedish project.
//
// usage: node docs-operations.mjs BASE_URL TOKEN DIR
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [base, token, dir] = process.argv.slice(2);
assert.ok(base && token && dir, "usage: node docs-operations.mjs BASE_URL TOKEN DIR");

const files = readdirSync(dir).filter((f) => f.endsWith(".graphql")).sort();
assert.ok(files.length > 0, `no operations in ${dir}`);

for (const file of files) {
  const query = readFileSync(join(dir, file), "utf8");
  const varsFile = join(dir, file.replace(/\.graphql$/, ".json"));
  const variables = existsSync(varsFile) ? JSON.parse(readFileSync(varsFile, "utf8")) : {};
  for (const [who, headers] of [["anonymous", {}], ["admin", { authorization: `Bearer ${token}` }]]) {
    if (/^\s*subscription\b/m.test(query.replace(/#.*$/gm, ""))) {
      await subscription(`${file} (${who})`, query, variables, headers.authorization);
      continue;
    }
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

async function post(query, variables, authorization) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** Subscribes, creates a workshop that the subscription covers, and expects its event. */
async function subscription(where, query, variables, authorization) {
  const client = createClient({
    url: `${base.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: authorization ? { Authorization: authorization } : {},
  });
  try {
    const first = new Promise((resolve, reject) => {
      client.subscribe({ query, variables }, {
        next: resolve,
        error: (e) => reject(new Error(JSON.stringify(e))),
        complete: () => reject(new Error("completed without an event")),
      });
      setTimeout(() => reject(new Error("no event within 10 s")), 10_000);
    });
    await new Promise((r) => setTimeout(r, 500)); // the subscription is running server-side
    const admin = `Bearer ${token}`;
    const project = (await post('{ project(code: "SE-BLEKINGE-JRT") { id } }', {}, admin)).project.id;
    const start = new Date(Date.now() + 60 * 86400_000);
    await post(
      "mutation($i: CreateWorkshopInput!) { createWorkshop(input: $i) { workshop { id } } }",
      { i: {
        project, originalLanguage: "en", title: [{ language: "en", text: `Docs check ${where}` }],
        startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString(),
        timeZone: "Europe/Stockholm", format: "ONLINE", language: "en",
      } },
      admin,
    );
    const event = await first;
    assert.equal(event.errors, undefined, `${where}: ${JSON.stringify(event.errors)}`);
    const [value] = Object.values(event.data);
    assert.equal(value.kind, "CREATED", `${where}: ${JSON.stringify(value)}`);
    console.log(`ok ${where}: ${value.kind} ${value.workshop.title}`);
  } finally {
    await client.dispose();
  }
}
