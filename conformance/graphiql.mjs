// GraphiQL in Debian's headless Chromium, driven by Playwright: opens /graphiql, runs the
// default query anonymously, pastes a token into the Headers editor and runs it again, and
// checks each result against the same query sent directly; then runs a subscription with the
// pasted token over WebSocket and sees a workshop created meanwhile arrive. Any request to a host other than
// 127.0.0.1, any page error and any CSP violation fails the run.
//
// usage: node graphiql.mjs BASE_URL TOKEN   (MOSAIC_CHROMIUM names the browser)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

const [base, token] = process.argv.slice(2);
assert.ok(base && token, "usage: node graphiql.mjs BASE_URL TOKEN");

const QUERY = `query Projects {
  viewer { authenticated role }
  projects(first: 5) { totalCount nodes { code title(lang: "en") status } }
}`;

async function direct(headers) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  return (await response.json()).data;
}

const browser = await chromium.launch({
  executablePath: process.env.MOSAIC_CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const failures = [];
const outside = [];
try {
  const context = await browser.newContext();
  // Every request the page makes passes here; only loopback is let through.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("websocket", (ws) => {
    if (new URL(ws.url()).hostname !== "127.0.0.1") outside.push(ws.url());
  });
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") failures.push(`console error: ${message.text()}`);
  });

  await page.goto(`${base}/graphiql`);
  await page.waitForSelector(".graphiql-query-editor .CodeMirror", { timeout: 30_000 });

  // The welcome fits the editor: nothing to scroll sideways for.
  const overflow = await page.evaluate(() => {
    const scroller = document.querySelector(".graphiql-query-editor .CodeMirror-scroll");
    return scroller.scrollWidth - scroller.clientWidth;
  });
  assert.ok(overflow <= 1, `the welcome text is ${overflow}px wider than the editor`);

  // The examples of docs/operations/ open as tabs after the welcome.
  const examples = await (await fetch(`${base}/graphiql/operations.json`)).json();
  assert.ok(examples.length > 3, "docs/operations/ has examples");
  const tabs = await page.locator(".graphiql-tab").count();
  assert.equal(tabs, examples.length + 1, "one tab per example, and the welcome");
  console.log(`tabs: the welcome and ${examples.length} examples`);

  // The explorer builds a query by clicking: open it, tick `countries`.
  await page.getByRole("button", { name: /GraphiQL Explorer/ }).first().click({ timeout: 10_000 });
  await page.waitForSelector(".graphiql-explorer-root", { timeout: 10_000 });
  const before = await page.evaluate(
    () => document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.getValue(),
  );
  await page.locator(".graphiql-explorer-root").getByText("countries", { exact: true }).first().click();
  await page.waitForFunction(
    (old) => {
      const now = document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.getValue();
      return now !== old && /countries/.test(now);
    },
    before,
    { timeout: 10_000 },
  );
  console.log("explorer: clicking `countries` wrote it into the query");
  await page.getByRole("button", { name: /GraphiQL Explorer/ }).first().click();

  // Sets the query editor and the visible tool editor (Headers) through CodeMirror's own API:
  // typing would fight its bracket auto-closing.
  const fill = (query, headers) =>
    page.evaluate(([q, h]) => {
      document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(q);
      // GraphiQL keeps the inactive tool editor (Variables) in the DOM with class "hidden".
      const shown = [...document.querySelectorAll(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror")];
      if (shown.length !== 1) throw new Error(`expected one open tool editor, saw ${shown.length}`);
      shown[0].CodeMirror.setValue(h);
    }, [query, headers]);

  const run = async () => {
    await page.evaluate(() => {
      document.querySelector(".result-window .CodeMirror").CodeMirror.setValue("");
    });
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(
      () => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue().length > 0,
      null,
      { timeout: 30_000 },
    );
    const text = await page.evaluate(
      () => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue(),
    );
    return JSON.parse(text);
  };

  // Open the Headers tab, where a user pastes a token.
  await page.getByRole("button", { name: "Headers" }).first().click({ timeout: 10_000 });

  await fill(QUERY, "{}");
  const anonymous = await run();
  assert.equal(anonymous.errors, undefined, JSON.stringify(anonymous.errors));
  assert.deepEqual(anonymous.data, await direct({}));
  assert.equal(anonymous.data.viewer.authenticated, false);
  console.log(`anonymous: ${anonymous.data.projects.totalCount} projects`);

  await fill(QUERY, JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));
  const admin = await run();
  assert.equal(admin.errors, undefined, JSON.stringify(admin.errors));
  assert.deepEqual(admin.data, await direct({ authorization: `Bearer ${token}` }));
  assert.equal(admin.data.viewer.role, "ADMIN");
  assert.ok(
    admin.data.projects.totalCount > anonymous.data.projects.totalCount,
    "the token's extra rights (drafts) show in GraphiQL",
  );
  console.log(`with the pasted ADMIN token: ${admin.data.projects.totalCount} projects`);

  // A subscription over WebSocket, authenticated by the same pasted header: a workshop created
  // through the API shows up in GraphiQL's result pane as a CREATED event.
  const sockets = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  await fill(
    "subscription Live { workshopEvents { kind seatsTaken workshop { title(lang: \"en\") } } }",
    JSON.stringify({ Authorization: `Bearer ${token}` }),
  );
  await page.evaluate(() => {
    document.querySelector(".result-window .CodeMirror").CodeMirror.setValue("");
  });
  // GraphiQL re-parses the edited document (and so its operation name) after a short debounce.
  await page.waitForTimeout(1000);
  await page.click(".graphiql-execute-button");
  const project = (await (await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ project(code: "SE-BLEKINGE-JRT") { id } }' }),
  })).json()).data.project.id;
  const title = `Seen live in GraphiQL ${Date.now()}`;
  let created = null;
  for (let attempt = 0; attempt < 20 && !created; attempt++) {
    // The socket opens asynchronously; create the workshop once GraphiQL is subscribed.
    await new Promise((r) => setTimeout(r, 250));
    if (sockets.length === 0) continue;
    await new Promise((r) => setTimeout(r, 500));
    const start = new Date(Date.now() + 30 * 86400_000);
    const answer = await (await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: "mutation($i: CreateWorkshopInput!) { createWorkshop(input: $i) { workshop { id } } }",
        variables: { i: {
          project, originalLanguage: "en", title: [{ language: "en", text: title }],
          startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString(),
          timeZone: "Europe/Stockholm", format: "ONLINE", language: "en",
        } },
      }),
    })).json();
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    created = answer.data.createWorkshop.workshop.id;
  }
  const pane = await page.evaluate(
    () => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue(),
  );
  assert.ok(created, `GraphiQL opened no WebSocket for the subscription: ${failures.join("; ")} ${pane}`);
  await page.waitForFunction(
    (t) => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue().includes(t),
    title,
    { timeout: 15_000 },
  );
  const live = JSON.parse(await page.evaluate(
    () => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue(),
  ));
  assert.equal(live.data.workshopEvents.kind, "CREATED");
  assert.ok(sockets.every((url) => url.startsWith("ws://127.0.0.1:")), sockets.join(", "));
  console.log(`subscription over ${sockets[0]}: ${live.data.workshopEvents.kind} "${title}"`);

  if (process.env.MOSAIC_SCREENSHOT) await page.screenshot({ path: process.env.MOSAIC_SCREENSHOT });
} finally {
  await browser.close();
}

assert.deepEqual(outside, [], `requests left 127.0.0.1: ${outside.join(", ")}`);
assert.deepEqual(failures, []);
console.log("GraphiQL: ok, no request left 127.0.0.1");
