// The explorer's only data source: the public GraphQL API at the same-origin POST /graphql.

const ENDPOINT = '/graphql';

/** An error the API (or the network) reported, with a message fit to show a person and the API's code. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | null = null) {
    super(message);
  }
}

/** Codes that mean this browser must sign in (or sign in with another token) to read. */
export const SIGN_IN_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** Where the sign-in page is, bringing the reader back to what they were looking at. */
export const signInUrl = () => `/signin?next=${encodeURIComponent(location.pathname + location.hash)}`;

/**
 * gql POSTs one query and returns its data, or throws an ApiError with the first error's message. token, if
 * given, goes as a bearer token (the editors' operations: the flags list and its resolutions).
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal, token?: string): Promise<T> {
  let response: Response;
  const headers: Record<string, string> = { Accept: 'application/graphql-response+json, application/json', 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(`the API did not answer: ${(err as Error).message}`);
  }
  const text = await response.text();
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`HTTP ${response.status} ${response.statusText}: ${text.slice(0, 300)}`);
  }
  if (body.errors?.length) {
    throw new ApiError(body.errors.map((e) => e.message).join('; '), body.errors[0].extensions?.code ?? null);
  }
  if (!response.ok || body.data == null) throw new ApiError(`HTTP ${response.status} ${response.statusText}`);
  return body.data;
}

// ---- chain maps and the chain graph -------------------------------------------------------------------------

export interface ChainMapRef {
  id: string;
  name: string;
  nameZh: string | null;
}

export const CHAIN_MAPS = `query ExplorerChainMaps { chainMaps { id name nameZh } }`;

/** A node of chainGraph's payload (the fields of GraphNode). */
export interface GraphNode {
  id: string;
  type: 'Segment' | 'Enterprise' | 'Bottleneck' | 'Region' | string;
  name: string;
  nameZh?: string | null;
  stage?: 'UPSTREAM' | 'MIDSTREAM' | 'DOWNSTREAM' | null;
  order?: number | null;
  chainMapId?: string | null;
  province?: string | null;
  provinces?: string[] | null;
  kind?: string | null;
  severity?: number | null;
  status?: 'OPEN' | 'IN_PROGRESS' | 'RESOLVED' | null;
  synthetic?: boolean | null;
}

/** An edge of chainGraph's payload. */
export interface GraphEdge {
  id: string;
  type: 'FEEDS' | 'ACTIVE_IN' | 'CONSTRAINS' | 'SUPPLIES' | string;
  source: string;
  target: string;
}

export interface ChainGraph {
  payload: { nodes: GraphNode[]; edges: GraphEdge[] };
  nodeCount: number;
  edgeCount: number;
  truncated: boolean;
}

/** The largest graph the explorer asks for; chainGraph says `truncated` when a chain has more. */
export const MAX_NODES = 3000;

export const CHAIN_GRAPH = `query ExplorerChainGraph($id: ID!, $maxNodes: Int) {
  chainMap(id: $id) {
    id name nameZh description confidence sourcesAsOf progress { year started resolvedInYear open inProgress resolvedSoFar }
    segments { sourcesAsOf enterprises(first: 100) { sourcesAsOf } bottlenecks { sourcesAsOf } }
  }
  chainGraph(chainMapId: $id, layers: [SEGMENTS, ENTERPRISES, BOTTLENECKS], maxNodes: $maxNodes) {
    payload nodeCount edgeCount truncated
  }
}`;

/** A chain's bottlenecks in one year (ChainMap.progress): started and resolved within it, and at its end. */
export interface YearProgress {
  year: number;
  started: number;
  resolvedInYear: number;
  open: number;
  inProgress: number;
  resolvedSoFar: number;
}

export interface ChainGraphResult {
  chainMap: {
    id: string;
    name: string;
    nameZh: string | null;
    description: string | null;
    progress: YearProgress[];
    confidence: string;
    sourcesAsOf: string | null;
    /** Only what dates the chain's data: the newest source its records cite. */
    segments: { sourcesAsOf: string | null; enterprises: { sourcesAsOf: string | null }[]; bottlenecks: { sourcesAsOf: string | null }[] }[];
  } | null;
  chainGraph: ChainGraph;
}

// ---- details ----------------------------------------------------------------------------------------------------

export interface Source {
  title: string;
  publisher: string | null;
  url: string;
  date: string | null;
  reliability: string;
}

const SOURCE_FIELDS = 'sources { title publisher url date reliability }';

export interface Named {
  id: string;
  name: string;
  nameZh: string | null;
}

export interface EnterpriseDetails extends Named {
  flags: { open: number };
  description: string | null;
  chainRole: string | null;
  synthetic: boolean;
  sites: { kind: string; name: string; region: { name: string; nameZh: string | null; province: { code: string } } }[];
  segments: (Named & { chainMap: { id: string } })[];
  sources: Source[];
  sourcesAsOf: string | null;
  confidence: string;
  evidence: string | null;
}

export const ENTERPRISE = `query ExplorerEnterprise($id: ID!) {
  enterprise(id: $id) {
    id name nameZh description chainRole synthetic
    sites { kind name region { name nameZh province { code } } }
    segments { id name nameZh chainMap { id } }
    ${SOURCE_FIELDS} sourcesAsOf confidence evidence flags { open }
  }
}`;

export interface SegmentDetails extends Named {
  flags: { open: number };
  nameEn: string | null;
  stage: string;
  order: number;
  description: string | null;
  chainMap: Named;
  upstream: Named[];
  downstream: Named[];
  bottlenecks: (Named & { severity: number; status: string })[];
  sources: Source[];
  sourcesAsOf: string | null;
  confidence: string;
  evidence: string | null;
}

export const SEGMENT = `query ExplorerSegment($id: ID!) {
  segment(id: $id) {
    id name nameZh nameEn stage order description
    chainMap { id name nameZh }
    upstream { id name nameZh }
    downstream { id name nameZh }
    bottlenecks { id name nameZh severity status }
    ${SOURCE_FIELDS} sourcesAsOf confidence evidence flags { open }
  }
}`;

export interface BottleneckDetails extends Named {
  flags: { open: number };
  kind: string;
  category: string;
  severity: number;
  status: string;
  description: string | null;
  segments: Named[];
  tacklers: { since: number | null; status: string | null; actor: { __typename: string } & Named }[];
  sources: Source[];
  sourcesAsOf: string | null;
  confidence: string;
  evidence: string | null;
}

export const BOTTLENECK = `query ExplorerBottleneck($id: ID!) {
  bottleneck(id: $id) {
    id name nameZh kind category severity status description
    segments { id name nameZh }
    tacklers {
      since status
      actor { __typename ... on Enterprise { id name nameZh } ... on Institution { id name nameZh } }
    }
    ${SOURCE_FIELDS} sourcesAsOf confidence evidence flags { open }
  }
}`;

// ---- analyses -----------------------------------------------------------------------------------------------

export interface Impact {
  maxDepth: number;
  truncated: boolean;
  segments: { segment: { id: string }; distance: number }[];
  enterprises: { enterprise: { id: string }; distance: number }[];
  regions: { region: { code: string; name: string; nameZh: string | null }; enterprises: number; distance: number }[];
}

export const IMPACT_DEPTH = 3;

export const IMPACT = `query ExplorerImpact($id: ID!, $maxDepth: Int) {
  bottleneckImpact(id: $id, maxDepth: $maxDepth) {
    maxDepth truncated
    segments { segment { id } distance }
    enterprises { enterprise { id } distance }
    regions { region { code name nameZh } enterprises distance }
  }
}`;

export type GapKind = 'RD_WITHOUT_MANUFACTURING' | 'NO_FIRM_IN_REGION';

export interface CoverageGap {
  segment: Named;
  kind: GapKind;
  rdFirmsInBeijing: number;
  manufacturingFirmsInTianjinHebei: number;
  openBottlenecks: number;
}

export const COVERAGE_GAPS = `query ExplorerCoverageGaps($id: ID!) {
  coverageGaps(chainMapId: $id) {
    segment { id name nameZh }
    kind rdFirmsInBeijing manufacturingFirmsInTianjinHebei openBottlenecks
  }
}`;

export interface OfficialListSummary {
  id: string;
  name: string;
  nameZh: string | null;
  kind: string;
  issuer: string | null;
  published: string | null;
  coverage: { items: number; held: number; statedCount: number | null; missing: string[] };
}

/** The official lists of a chain (卡点 / 堵点 / key firms / tiers / tasks) and what the graph holds of each. */
export const OFFICIAL_LISTS = `query ExplorerOfficialLists($id: ID!) {
  officialLists(chainMapId: $id) {
    id name nameZh kind issuer published
    coverage { items held statedCount missing }
  }
}`;

// ---- live changes ---------------------------------------------------------------------------------------------

export const STATUS_CHANGED = `subscription ExplorerStatusChanged($id: ID, $after: String) {
  bottleneckStatusChanged(chainMapId: $id, after: $after) { seq to bottleneck { id } }
}`;

/**
 * follow subscribes over graphql-sse (POST with Accept: text/event-stream) and calls onEvent with each event's
 * data. When the stream ends or breaks it reconnects, after a pause, from the last seq it got (so it misses
 * nothing). It returns a function that stops it.
 */
export function follow<T extends Record<string, { seq: string }>>(
  query: string,
  variables: Record<string, unknown>,
  onEvent: (data: T) => void,
): () => void {
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
            const body = JSON.parse(data.slice(6)) as { data?: T };
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
