// Apollo Client 4 against a live Mosaic, as a frontend would use it:
// - relayStylePagination with fetchMore appends pages (it merges `edges`);
// - the normalised cache takes a mutation's answer with no warnings;
// - error codes arrive in `extensions.code`;
// - automatic persisted queries: the hash first, the text once on PERSISTED_QUERY_NOT_FOUND,
//   then the hash alone, over GET.
//
// usage: node apollo.mjs BASE_URL ADMIN_TOKEN
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { relayStylePagination } from "@apollo/client/utilities";

const [base, token] = process.argv.slice(2);
assert.ok(base && token, "usage: node apollo.mjs BASE_URL ADMIN_TOKEN");

const warnings = [];
for (const level of ["warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => {
    warnings.push(args.map(String).join(" "));
    original(...args);
  };
}

const sent = [];
const recordingFetch = (url, init) => {
  sent.push({ method: init?.method ?? "GET", url: String(url), body: init?.body ? String(init.body) : "" });
  return fetch(url, init);
};

function client({ persisted = false } = {}) {
  const http = new HttpLink({
    uri: `${base}/graphql`,
    fetch: recordingFetch,
    headers: { authorization: `Bearer ${token}` },
  });
  const link = persisted
    ? new PersistedQueryLink({
        sha256: (text) => createHash("sha256").update(text).digest("hex"),
        useGETForHashedQueries: true,
      }).concat(http)
    : http;
  return new ApolloClient({
    link,
    cache: new InMemoryCache({ typePolicies: { Query: { fields: { projects: relayStylePagination(["filter", "orderBy"]) } } } }),
  });
}

const PAGE = gql`
  query Page($first: Int!, $after: String) {
    projects(first: $first, after: $after) {
      edges { cursor node { id code title version originalLanguage } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

// Paging: two pages of 3 end up as one list of 6 in the cache.
const apollo = client();
const first = await apollo.query({ query: PAGE, variables: { first: 3 } });
assert.equal(first.data.projects.edges.length, 3);
assert.ok(first.data.projects.pageInfo.hasNextPage, "the seed has more than 3 projects");
const watched = apollo.watchQuery({ query: PAGE, variables: { first: 3 } });
await watched.fetchMore({ variables: { after: first.data.projects.pageInfo.endCursor } });
const merged = apollo.readQuery({ query: PAGE, variables: { first: 3 } });
assert.equal(merged.projects.edges.length, 6, "fetchMore appends the next page");
const codes = merged.projects.edges.map((e) => e.node.code);
assert.equal(new Set(codes).size, 6, `six different projects: ${codes}`);
console.log(`ok paging: ${codes.join(", ")}`);

// A mutation's answer lands on the normalised object the list shows.
const target = merged.projects.edges[0].node;
const renamed = await apollo.mutate({
  mutation: gql`
    mutation Rename($input: UpdateProjectInput!) {
      updateProject(input: $input) { project { id title version } }
    }
  `,
  variables: { input: { id: target.id, expectedVersion: target.version, title: [{ language: target.originalLanguage, text: "Renamed by Apollo" }] } },
});
assert.equal(renamed.data.updateProject.project.version, target.version + 1);
const after = apollo.readQuery({ query: PAGE, variables: { first: 3 } });
assert.equal(after.projects.edges[0].node.version, target.version + 1, "the list shows the new version");
console.log("ok mutation and normalised cache");

// Error codes.
try {
  await apollo.mutate({
    mutation: gql`
      mutation Stale($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } } }
    `,
    variables: { input: { id: target.id, expectedVersion: target.version, title: [{ language: target.originalLanguage, text: "Stale" }] } },
  });
  assert.fail("a stale version is refused");
} catch (error) {
  const code = error.errors?.[0]?.extensions?.code;
  assert.equal(code, "CONFLICT", `CONFLICT arrives as extensions.code: ${error}`);
  console.log("ok error codes");
}

// Automatic persisted queries.
const COUNT = gql`
  query PersistedCount { projects { totalCount } }
`;
const apq = client({ persisted: true });
sent.length = 0;
const once = await apq.query({ query: COUNT, fetchPolicy: "network-only" });
assert.ok(once.data.projects.totalCount > 0);
assert.deepEqual(
  sent.map((r) => r.method),
  ["GET", "POST"],
  `the hash first, then the text: ${JSON.stringify(sent)}`,
);
assert.ok(!sent[0].url.includes("query="), "the first request carries only the hash");
sent.length = 0;
const again = await apq.query({ query: COUNT, fetchPolicy: "network-only" });
assert.equal(again.data.projects.totalCount, once.data.projects.totalCount);
assert.deepEqual(sent.map((r) => r.method), ["GET"], "later, the hash alone");
assert.ok(sent[0].url.includes("sha256Hash") && !sent[0].url.includes("query="));
console.log("ok automatic persisted queries");

assert.deepEqual(warnings, [], `Apollo warned: ${warnings.join("\n")}`);
console.log("ok no warnings");
