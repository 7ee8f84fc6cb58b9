// GraphiQL IDE for the chainmap API, served by the Go server at /graphql
// (browsers, GET with Accept: text/html) and /graphiql/. Everything it needs
// is bundled into dist/graphiql/ by build.mjs: no CDN, works offline.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import type { Fetcher, FetcherOpts, FetcherParams } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './graphiql.css';

/** Same-origin GraphQL endpoint (POST). */
const ENDPOINT = '/graphql';

const DEFAULT_QUERY = `{ chainMaps { id name nameZh } }
`;

/**
 * Plain fetch() fetcher: POSTs JSON to ENDPOINT with the headers from
 * GraphiQL's headers editor (e.g. {"Authorization": "Bearer …"}) merged over
 * the JSON defaults. GraphiQL uses it for both queries and introspection.
 */
const fetcher: Fetcher = async (params: FetcherParams, opts?: FetcherOpts) => {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/graphql-response+json, application/json',
      'Content-Type': 'application/json',
      ...(opts?.headers as Record<string, string> | undefined),
    },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (proxy error page, plain-text 401, …): show it as a GraphQL error.
    return {
      errors: [
        {
          message: `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 2000)}`,
        },
      ],
    };
  }
};

function App() {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      defaultEditorToolsVisibility="headers"
    />
  );
}

const container = document.getElementById('graphiql');
if (!container) {
  throw new Error('chainmap GraphiQL: #graphiql element missing from index.html');
}
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
