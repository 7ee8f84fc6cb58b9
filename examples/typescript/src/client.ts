// A small typed client for chainmap: documents written with gql.tada's graphql() are typed from
// schema/schema.graphql (src/graphql-env.d.ts, `npm run generate`), so a field that does not exist, a wrong
// argument or a misspelt enum value is a compile error, and results and variables have exact types.
import { createHash } from 'node:crypto';
import type { ResultOf, TadaDocumentNode, VariablesOf } from 'gql.tada';
import { print } from 'graphql';

export const endpoint = process.env.CHAINMAP_URL ?? 'http://127.0.0.1:8080/graphql';
export const token = process.env.CHAINMAP_TOKEN; // an API key or JWT; mutations need the editor role

// GraphQLError is an error the API returned: extensions.code says what kind (docs/api.md lists them).
export class GraphQLError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly reason?: string,
    readonly field?: string,
  ) {
    super(field ? `${code} ${field}: ${message}` : `${code}: ${message}`);
  }
}

interface Response<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string; field?: string } }[];
  extensions?: { cost?: { complexity: number; neo4jRoundTrips: number } };
}

// request runs a query or mutation over POST. It sends the query's SHA-256 alone first (automatic persisted
// queries, docs/api.md): a server that knows it answers at once; one that does not says PersistedQueryNotFound,
// and the query is sent with its hash.
export async function request<D extends TadaDocumentNode<any, any>>(
  doc: D,
  variables: VariablesOf<D>,
): Promise<ResultOf<D>> {
  const query = print(doc);
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  let res = await post<ResultOf<D>>({ variables, extensions });
  if (res.errors?.some((e) => e.message === 'PersistedQueryNotFound')) {
    res = await post<ResultOf<D>>({ query, variables, extensions });
  }
  const err = res.errors?.[0];
  if (err) throw new GraphQLError(err.message, err.extensions?.code ?? 'INTERNAL', err.extensions?.reason, err.extensions?.field);
  if (res.data == null) throw new GraphQLError('no data', 'INTERNAL');
  return res.data;
}

async function post<T>(body: object): Promise<Response<T>> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.headers.get('Content-Type')?.includes('json')) throw new Error(`HTTP ${res.status} from ${endpoint}`);
  return (await res.json()) as Response<T>;
}
