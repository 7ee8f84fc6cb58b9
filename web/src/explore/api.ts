// The explorer's only data source: the public GraphQL API at the same-origin POST /graphql. Every document it sends
// is written here or beside its view with graphql() below, and every answer's type is derived from its document.
import { print } from '@0no-co/graphql.web';
import { initGraphQLTada } from 'gql.tada';
import type { ResultOf, TadaDocumentNode, VariablesOf } from 'gql.tada';
import type { introspection } from './graphql-env';
import { lang } from './i18n';

export type { ResultOf, VariablesOf };

const ENDPOINT = '/graphql';

/**
 * An error the API (or the network) reported: the server's message (English), the API's code and, for refusals
 * of a request's shape, its reason. errorText (i18n.ts) says it in the reader's language.
 */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | null = null, readonly reason: string | null = null) {
    super(message);
  }
}

/** Codes that mean this browser must sign in (or sign in with another token) to read. */
export const SIGN_IN_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** Where the sign-in page is, bringing the reader back to what they were looking at. */
export const signInUrl = () => `/signin?next=${encodeURIComponent(location.pathname + location.hash)}&lang=${lang()}`;

/**
 * graphql makes a typed document from a query, mutation or subscription: gql.tada reads its text against the
 * schema (schema/schema.graphql, introspected into graphql-env.d.ts by `npm run generate`), so its answer
 * (ResultOf) and its variables (VariablesOf) have exact types, and `npm run typecheck` refuses a field, argument
 * or enum value the schema does not have. JSON (chainGraph's payload) is typed where it is read.
 */
export const graphql = initGraphQLTada<{ introspection: introspection; scalars: { JSON: unknown } }>();

// Each document's text as sent, printed once.
const texts = new WeakMap<object, string>();
const textOf = (doc: TadaDocumentNode<any, any>) => {
  let text = texts.get(doc);
  if (text === undefined) texts.set(doc, (text = print(doc)));
  return text;
};

/**
 * gql POSTs one document and returns its data, or throws an ApiError with the first error's message. token, if
 * given, goes as a bearer token (the editors' operations: the flags list and its resolutions).
 */
export async function gql<D extends TadaDocumentNode<any, any>>(
  doc: D,
  variables: VariablesOf<D>,
  signal?: AbortSignal,
  token?: string,
): Promise<ResultOf<D>> {
  let response: Response;
  const headers: Record<string, string> = { Accept: 'application/graphql-response+json, application/json', 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ query: textOf(doc), variables }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(`the API did not answer: ${(err as Error).message}`, 'NETWORK');
  }
  const text = await response.text();
  let body: { data?: ResultOf<D> | null; errors?: { message: string; extensions?: { code?: string; reason?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`HTTP ${response.status} ${response.statusText}: ${text.slice(0, 300)}`);
  }
  if (body.errors?.length) {
    const ext = body.errors[0].extensions;
    throw new ApiError(body.errors.map((e) => e.message).join('; '), ext?.code ?? null, ext?.reason ?? null);
  }
  if (!response.ok || body.data == null) throw new ApiError(`HTTP ${response.status} ${response.statusText}`);
  return body.data;
}

/** found returns a record the API answered with, or throws when it has none (a record gone since it was drawn). */
export function found<T>(record: T | null, what: string): T {
  if (record === null) throw new ApiError(`${what} not found`, 'NOT_FOUND');
  return record;
}

/**
 * Json is a document's answer as a JSON scalar carries it: the server leaves out empty fields (Go's omitempty), so
 * each nullable field may also be missing.
 */
export type Json<T> = { [K in keyof T as null extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as null extends T[K] ? K : never]?: T[K];
};

// ---- chain maps and the chain graph -------------------------------------------------------------------------

export const CHAIN_MAPS = graphql(`query ExplorerChainMaps { chainMaps { id name nameZh } }`);

export type ChainMapRef = ResultOf<typeof CHAIN_MAPS>['chainMaps'][number];

// The fields of chainGraph's JSON payload are those of GraphNode and GraphEdge (schema: GraphView.payload). These
// two fragments are never sent: they only type the payload from the schema (esbuild drops them, being pure).
const PAYLOAD_NODE = /* @__PURE__ */ graphql(`fragment PayloadNode on GraphNode {
  id type name nameZh stage order chainMapId province provinces chainRole kind severity status synthetic
}`);
const PAYLOAD_EDGE = /* @__PURE__ */ graphql(`fragment PayloadEdge on GraphEdge { id type source target }`);

/** A node of chainGraph's payload (the fields of GraphNode, those without a value left out). */
export type GraphNode = Json<ResultOf<typeof PAYLOAD_NODE>>;
/** An edge of chainGraph's payload (the fields of GraphEdge). */
export type GraphEdge = Json<ResultOf<typeof PAYLOAD_EDGE>>;

/** The largest graph the explorer asks for; chainGraph says `truncated` when a chain has more. */
export const MAX_NODES = 3000;

export const CHAIN_GRAPH = graphql(`query ExplorerChainGraph($id: ID!, $maxNodes: Int) {
  chainMap(id: $id) {
    id name nameZh description confidence sourcesAsOf progress { year started resolvedInYear open inProgress resolvedSoFar }
    segments { sourcesAsOf enterprises(first: 100) { sourcesAsOf } bottlenecks { sourcesAsOf } }
  }
  chainGraph(chainMapId: $id, layers: [SEGMENTS, ENTERPRISES, BOTTLENECKS], maxNodes: $maxNodes) {
    payload nodeCount edgeCount truncated
  }
}`);

/** The chain query's answer, with its payload typed (a JSON value in the schema). */
export type ChainGraphResult = Omit<ResultOf<typeof CHAIN_GRAPH>, 'chainGraph'> & {
  chainGraph: Omit<ResultOf<typeof CHAIN_GRAPH>['chainGraph'], 'payload'> & { payload: { nodes: GraphNode[]; edges: GraphEdge[] } };
};

/** A chain's bottlenecks in one year (ChainMap.progress): started and resolved within it, and at its end. */
export type YearProgress = NonNullable<ResultOf<typeof CHAIN_GRAPH>['chainMap']>['progress'][number];

// ---- details ----------------------------------------------------------------------------------------------------

const SOURCE_FIELDS = graphql(`fragment ExplorerSource on Source @_unmask { title publisher url date reliability }`);

export const ENTERPRISE = graphql(`query ExplorerEnterprise($id: ID!) {
  enterprise(id: $id) {
    id name nameZh description chainRole synthetic
    sites { kind name region { name nameZh province { code } } }
    segments { id name nameZh chainMap { id } }
    sources { ...ExplorerSource } sourcesAsOf confidence evidence flags { open }
  }
}`, [SOURCE_FIELDS]);

export type EnterpriseDetails = NonNullable<ResultOf<typeof ENTERPRISE>['enterprise']>;

export const SEGMENT = graphql(`query ExplorerSegment($id: ID!) {
  segment(id: $id) {
    id name nameZh nameEn stage order description
    chainMap { id name nameZh }
    upstream { id name nameZh }
    downstream { id name nameZh }
    bottlenecks { id name nameZh severity status }
    sources { ...ExplorerSource } sourcesAsOf confidence evidence flags { open }
  }
}`, [SOURCE_FIELDS]);

export type SegmentDetails = NonNullable<ResultOf<typeof SEGMENT>['segment']>;

export const BOTTLENECK = graphql(`query ExplorerBottleneck($id: ID!) {
  bottleneck(id: $id) {
    id name nameZh kind category severity status description
    segments { id name nameZh }
    tacklers {
      since status
      actor { __typename ... on Enterprise { id name nameZh } ... on Institution { id name nameZh } }
    }
    sources { ...ExplorerSource } sourcesAsOf confidence evidence flags { open }
  }
}`, [SOURCE_FIELDS]);

export type BottleneckDetails = NonNullable<ResultOf<typeof BOTTLENECK>['bottleneck']>;

/** A record's sources, as the three detail queries ask for them. */
export type Source = EnterpriseDetails['sources'][number];

/** What a record link needs: its id and its names. */
export interface Named {
  id: string;
  name: string;
  nameZh: string | null;
}

// ---- analyses -----------------------------------------------------------------------------------------------

export const IMPACT_DEPTH = 3;

export const IMPACT = graphql(`query ExplorerImpact($id: ID!, $maxDepth: Int) {
  bottleneckImpact(id: $id, maxDepth: $maxDepth) {
    maxDepth truncated
    segments { segment { id } distance }
    enterprises { enterprise { id } distance }
    regions { region { code name nameZh } enterprises distance }
  }
}`);

export type Impact = NonNullable<ResultOf<typeof IMPACT>['bottleneckImpact']>;

export const COVERAGE_GAPS = graphql(`query ExplorerCoverageGaps($id: ID!) {
  coverageGaps(chainMapId: $id) {
    segment { id name nameZh }
    kind rdFirmsInBeijing manufacturingFirmsInTianjinHebei openBottlenecks
  }
}`);

export type CoverageGap = ResultOf<typeof COVERAGE_GAPS>['coverageGaps'][number];

/** The official lists of a chain (卡点 / 堵点 / key firms / tiers / tasks) and what the graph holds of each. */
export const OFFICIAL_LISTS = graphql(`query ExplorerOfficialLists($id: ID!) {
  officialLists(chainMapId: $id) {
    id name nameZh kind issuer published
    coverage { items held statedCount missing }
  }
}`);

export type OfficialListSummary = ResultOf<typeof OFFICIAL_LISTS>['officialLists'][number];

// ---- live changes ---------------------------------------------------------------------------------------------

export const STATUS_CHANGED = graphql(`subscription ExplorerStatusChanged($id: ID, $after: String) {
  bottleneckStatusChanged(chainMapId: $id, after: $after) { seq to bottleneck { id } }
}`);

/**
 * follow subscribes over graphql-sse (POST with Accept: text/event-stream) and calls onEvent with each event's
 * data. When the stream ends or breaks it reconnects, after a pause, from the last seq it got (so it misses
 * nothing). It returns a function that stops it.
 */
export function follow<D extends TadaDocumentNode<Record<string, { seq: string }>, { after?: string | null }>>(
  doc: D,
  variables: Omit<VariablesOf<D>, 'after'>,
  onEvent: (data: ResultOf<D>) => void,
): () => void {
  const query = textOf(doc);
  const ctl = new AbortController();
  let after: string | null = null;
  const run = async () => {
    while (!ctl.signal.aborted) {
      try {
        const response = await fetch(ENDPOINT, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
          body: JSON.stringify({ query, variables: { ...variables, after } }),
          signal: ctl.signal,
        });
        // Refused for want of a sign-in: retrying cannot help (the page's queries say so and offer to sign in).
        if (response.status === 401 || response.status === 403) return;
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            const body = JSON.parse(data.slice(6)) as { data?: ResultOf<D> };
            if (!body.data) continue;
            const ev = Object.values(body.data)[0];
            if (ev?.seq) after = ev.seq;
            onEvent(body.data);
          }
        }
      } catch {
        // the stream broke: reconnect below
      }
      if (!ctl.signal.aborted) await new Promise((ok) => setTimeout(ok, 1000));
    }
  };
  void run();
  return () => ctl.abort();
}
