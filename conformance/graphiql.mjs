// GraphiQL in Debian's headless Chromium, driven by Playwright: opens /graphiql, runs the
// default query anonymously, pastes a token into the Headers editor and runs it again, and
// checks each result against the same query sent directly. Any request to a host other than
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

  if (process.env.MOSAIC_SCREENSHOT) await page.screenshot({ path: process.env.MOSAIC_SCREENSHOT });
} finally {
  await browser.close();
}

assert.deepEqual(outside, [], `requests left 127.0.0.1: ${outside.join(", ")}`);
assert.deepEqual(failures, []);
console.log("GraphiQL: ok, no request left 127.0.0.1");
