// workshopEvents over WebSocket, from outside, with the npm `graphql-ws` client.
//
// usage: node subscriptions.mjs A_URL B_URL ADMIN_TOKEN [RESTART_COMMAND]
//   A and B may be two instances on one PostgreSQL database (events cross between them) or the
//   same instance (SQLite). With RESTART_COMMAND (which restarts PostgreSQL), it also checks
//   that events flow again after the restart. B must run with MOSAIC_MAX_SUBSCRIPTIONS=2 and
//   MOSAIC_MAX_SOCKETS=3.
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [A, B, ADMIN, RESTART] = process.argv.slice(2);
assert.ok(A && B && ADMIN, "usage: node subscriptions.mjs A_URL B_URL ADMIN_TOKEN [RESTART_COMMAND]");
const wsUrl = (base) => base.replace(/^http/, "ws") + "/graphql";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const check = (name, ok) => { assert.ok(ok, name); console.log(`ok ${name}`); };

async function gql(base, query, variables = {}, token = ADMIN) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

async function data(base, query, variables, token) {
  const body = await gql(base, query, variables, token);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** A graphql-ws client; `closed` resolves with the close event. */
function client(base, token) {
  let closed, connected;
  const closedPromise = new Promise((r) => (closed = r));
  const connectedPromise = new Promise((r) => (connected = r));
  const c = createClient({
    url: wsUrl(base),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    on: { closed: (event) => closed(event), connected: () => connected() },
  });
  c.closed = closedPromise;
  c.connected = connectedPromise;
  return c;
}

const EVENTS = `subscription($filter: WorkshopEventFilter) {
  workshopEvents(filter: $filter) { kind seatsTaken occurredAt workshop { id title(lang: "en") project { code } } }
}`;

/** Subscribes and collects events into an array until `stop()`. */
function collect(c, filter) {
  const events = [];
  const errors = [];
  let completed = false;
  const stop = c.subscribe(
    { query: EVENTS, variables: { filter } },
    {
      next: (value) => (value.errors ? errors.push(...value.errors) : events.push(value.data.workshopEvents)),
      error: (e) => errors.push(e),
      complete: () => (completed = true),
    },
  );
  return { events, errors, stop, get completed() { return completed; } };
}

async function until(predicate, what, ms = 10_000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const projectId = async (code) => (await data(A, "query($c: String!) { project(code: $c) { id } }", { c: code })).project.id;

async function createWorkshop(project, title, open = true) {
  const start = new Date(Date.now() + 30 * 86400_000);
  const end = new Date(start.getTime() + 3 * 3600_000);
  const d = await data(A, `mutation($i: CreateWorkshopInput!) { createWorkshop(input: $i) { workshop { id version } } }`, {
    i: {
      project, originalLanguage: "en", title: [{ language: "en", text: title }],
      startsAt: start.toISOString(), endsAt: end.toISOString(), timeZone: "Europe/Stockholm",
      format: "IN_PERSON", language: "en", capacity: 2, openToPublic: open,
    },
  });
  return d.createWorkshop.workshop;
}

async function register(base, workshop, n, token = ADMIN) {
  return gql(base, `mutation($i: RegisterForWorkshopInput!) { registerForWorkshop(input: $i) { registration { id status } } }`, {
    i: { workshop, participantName: `Subscriber test ${n}`, email: `sub${n}@example.org`, ageBand: "AGE_30_54",
      consent: { noticeVersion: "2026-11", purposes: ["WORKSHOP_ADMINISTRATION"] } },
  }, token);
}

// Workshops: one on a published project, one on the draft.
const published = await projectId("SE-BLEKINGE-JRT");
const draft = await projectId("PL-PROUD-TO-SUPPORT");
const open = await createWorkshop(published, "Live seats (published)");
const hidden = await createWorkshop(draft, "Live seats (draft)");

// 1. A registration through instance A reaches a subscriber on instance B.
const admin = client(B, ADMIN);
const adminAll = collect(admin, {});
const anonymous = client(B, null);
const anonymousAll = collect(anonymous, {});
const onlyOpen = collect(admin, { workshops: [open.id] });
await sleep(500); // subscriptions are registered once the server has acknowledged them
let r = await register(A, open.id, 1);
assert.equal(r.errors, undefined, JSON.stringify(r.errors));
await until(() => onlyOpen.events.length >= 1, "the event on B");
check("a registration through A reaches a subscriber on B", onlyOpen.events[0].kind === "REGISTRATION_CHANGED"
  && onlyOpen.events[0].workshop.id === open.id && onlyOpen.events[0].seatsTaken === 1);

// 2. Anonymous subscribers never hear about the draft; the admin does. The draft's event is
// sent first, so if the anonymous subscriber had been sent it, it would arrive first.
r = await register(A, hidden.id, 2);
assert.equal(r.errors, undefined, JSON.stringify(r.errors));
r = await register(A, open.id, 3);
assert.equal(r.errors, undefined, JSON.stringify(r.errors));
// Each subscription is its own stream, so wait for every one of them, not only two.
await until(() => anonymousAll.events.length >= 2 && adminAll.events.length >= 3 && onlyOpen.events.length >= 2,
  "events after the draft's");
check("the admin hears the draft's workshop", adminAll.events.some((e) => e.workshop.id === hidden.id));
check("an anonymous subscriber never hears of the draft",
  anonymousAll.events.every((e) => e.workshop.id !== hidden.id && e.workshop.project.code !== "PL-PROUD-TO-SUPPORT"));
const seatsSeen = JSON.stringify(onlyOpen.events.map((e) => e.seatsTaken));
check(`events arrive in commit order with the seats of each commit (saw ${seatsSeen})`, seatsSeen === JSON.stringify([1, 2]));

// 3. Rolled-back writes emit nothing: a stale update (CONFLICT) and a capacity the workshop
// cannot take are refused; the next event the subscriber sees is the sentinel write after them.
const before = onlyOpen.events.length;
const stale = await gql(A, `mutation($i: UpdateWorkshopInput!) { updateWorkshop(input: $i) { workshop { id } } }`,
  { i: { id: open.id, expectedVersion: 999, capacity: 10 } });
assert.equal(stale.errors?.[0]?.extensions?.code, "CONFLICT", JSON.stringify(stale));
const bad = await gql(A, `mutation($i: UpdateWorkshopInput!) { updateWorkshop(input: $i) { workshop { id } } }`,
  { i: { id: open.id, expectedVersion: open.version, capacity: -1 } });
assert.equal(bad.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", JSON.stringify(bad));
const current = await data(A, "query($id: ID!) { node(id: $id) { ... on Workshop { version } } }", { id: open.id });
await data(A, `mutation($i: UpdateWorkshopInput!) { updateWorkshop(input: $i) { workshop { id } } }`,
  { i: { id: open.id, expectedVersion: current.node.version, capacity: 5 } });
await until(() => onlyOpen.events.length > before, "the sentinel update");
await sleep(300);
check("refused writes emitted nothing; the sentinel is the only new event",
  onlyOpen.events.length === before + 1 && onlyOpen.events[before].kind === "UPDATED");

// 4. A bad token closes the socket with 4403.
const forged = client(B, "not-a-token");
forged.subscribe({ query: EVENTS }, { next() {}, error() {}, complete() {} });
const forgedClose = await forged.closed;
check(`a bad token closes with 4403 (got ${forgedClose.code})`, forgedClose.code === 4403);

// 5. Limits on B: 2 operations per socket, 3 sockets per caller.
const extra = collect(admin, {});
await sleep(300);
check("the 3rd subscription on one socket is refused with TOO_MANY_SUBSCRIPTIONS",
  JSON.stringify(extra.errors).includes("TOO_MANY_SUBSCRIPTIONS"));
// One after the other, so the fourth is the one over the limit.
const second = client(B, ADMIN); collect(second, {}); await second.connected;
const third = client(B, ADMIN); collect(third, {}); await third.connected;
const fourth = client(B, ADMIN); collect(fourth, {});
const fourthClose = await fourth.closed;
check(`the 4th socket of one caller closes with 4429 (got ${fourthClose.code})`, fourthClose.code === 4429);
second.dispose(); third.dispose();

// 6. The legacy graphql-ws protocol is tolerated.
const legacy = new WebSocket(wsUrl(B), "graphql-ws");
const legacyAck = await new Promise((resolve, reject) => {
  legacy.on("open", () => legacy.send(JSON.stringify({ type: "connection_init", payload: {} })));
  legacy.on("message", (m) => resolve(JSON.parse(m.toString())));
  legacy.on("error", reject);
});
check("legacy graphql-ws is acknowledged", legacyAck.type === "connection_ack");
legacy.close();

// 6b. Documents pass the same limits as over HTTP: one longer than 16 KiB is refused.
const long = client(A, ADMIN);
const tooLong = await new Promise((resolve) => {
  long.subscribe({ query: `${EVENTS}\n#${"x".repeat(17_000)}` }, {
    next: (value) => resolve(value.errors ?? []), error: (e) => resolve([e].flat()), complete() {},
  });
});
check("a subscription document over the length limit is refused with QUERY_TOO_COMPLEX",
  JSON.stringify(tooLong).includes("QUERY_TOO_COMPLEX"));
long.dispose();

// 7. After PostgreSQL restarts, each instance's listener reconnects and events flow again.
if (RESTART) {
  execSync(RESTART, { stdio: "inherit" });
  const afterRestart = client(B, ADMIN);
  const watched = collect(afterRestart, { workshops: [open.id] });
  // Both instances reconnect with backoff; keep writing until an event crosses again.
  const start = Date.now();
  let n = 100;
  while (watched.events.length === 0) {
    if (Date.now() - start > 60_000) throw new Error("no event after the restart within 60 s");
    try {
      const answer = await gql(A, `mutation($i: UpdateWorkshopInput!) { updateWorkshop(input: $i) { workshop { version } } }`,
        { i: { id: open.id, expectedVersion: (await gql(A, "query($id: ID!) { node(id: $id) { ... on Workshop { version } } }", { id: open.id })).data?.node?.version ?? 0, capacity: 5 + (n++ % 3) } });
      if (answer.errors) console.log(`  (waiting for the database: ${answer.errors[0].extensions?.code})`);
    } catch (error) {
      // The restart blocks this script for seconds; a kept-alive HTTP connection the server
      // closed meanwhile fails the next request on it, which is then sent again.
      console.log(`  (request not answered: ${error.cause?.code ?? error.message}; sending again)`);
    }
    await sleep(1000);
  }
  check(`events cross instances again after PostgreSQL restarted (${Date.now() - start} ms)`, true);
  afterRestart.dispose();
}

admin.dispose();
anonymous.dispose();
console.log("subscriptions: all checks passed");
process.exit(0);
