// Mosaic's GraphiQL. Everything it loads comes from this server. Whatever the Headers editor
// holds is sent with every HTTP request and, for subscriptions, as the WebSocket
// `connection_init` payload, so one pasted {"Authorization": "Bearer …"} works for both.
// The explorer plugin builds queries by clicking; the examples of docs/operations/ open as
// tabs after the welcome tab.
(function () {
  "use strict";
  var endpoint = new URL("graphql", window.location.href);
  var socket = new URL(endpoint.href);
  socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

  var fetcher = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: socket.href });

  // Short lines: the welcome fits the editor without scrolling sideways.
  var welcome = [
    "# Welcome to Mosaic, the programme's GraphQL API.",
    "#",
    "# Without a token you see what the public sees.",
    "# To ask as someone, open Headers below and paste:",
    "#",
    '#   { "Authorization": "Bearer <token>" }',
    "#",
    "# In development the server prints an ADMIN and",
    "# a COORDINATOR token when it starts. Partner",
    "# systems use their API token the same way.",
    "#",
    "# Run with Ctrl-Enter. Build queries by clicking",
    "# in the Explorer (left), read every type in",
    "# the Docs, and see the examples in the tabs.",
    "",
    "query Projects {",
    "  viewer { authenticated role }",
    "  projects(first: 5) {",
    "    totalCount",
    "    nodes { code title(lang: \"en\") status }",
    "  }",
    "}",
    "",
  ].join("\n");

  var explorer = GraphiQLPluginExplorer.explorerPlugin({ showAttribution: false });

  function render(examples) {
    var tabs = [{ query: welcome }].concat(
      examples.map(function (example) {
        return { query: example.query, variables: example.variables || undefined };
      })
    );
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: welcome,
        defaultTabs: tabs,
        plugins: [explorer],
        defaultEditorToolsVisibility: "headers",
        isHeadersEditorEnabled: true,
        // Tokens stay in the tab's memory, never in localStorage.
        shouldPersistHeaders: false,
      })
    );
  }

  fetch(new URL("graphiql/operations.json", window.location.href))
    .then(function (response) {
      return response.ok ? response.json() : [];
    })
    .catch(function () {
      return [];
    })
    .then(render);
})();
