// Mosaic's GraphiQL. Everything it loads comes from this server. Whatever the Headers editor
// holds is sent with every HTTP request and, for subscriptions, as the WebSocket
// `connection_init` payload, so one pasted {"Authorization": "Bearer …"} works for both.
(function () {
  "use strict";
  var endpoint = new URL("graphql", window.location.href);
  var socket = new URL(endpoint.href);
  socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

  var fetcher = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: socket.href });

  var defaultQuery = [
    "# Welcome to Mosaic, the programme's GraphQL API.",
    "#",
    "# Without a token you see what the public sees. To ask as someone, open Headers",
    "# below and paste:",
    "#",
    '#   { "Authorization": "Bearer <token>" }',
    "#",
    "# In development the server prints an ADMIN and a COORDINATOR token when it starts;",
    "# partner systems use their API token the same way. Run with Ctrl-Enter.",
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

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      // Tokens stay in the tab's memory, never in localStorage.
      shouldPersistHeaders: false,
    })
  );
})();
