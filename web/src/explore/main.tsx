// The chain-map explorer, served by the Go server at /explore: draws a chain map (segments upstream → downstream,
// the enterprises in them coloured by province, the bottlenecks that constrain them), shows any record's details
// and sources, lights up what a bottleneck holds back, and marks the chain's coverage gaps; its map tab draws the
// chain over the region (map.tsx); readers report records they find wrong and editors settle the reports
// (flags.tsx). It reads only the
// public GraphQL API at the same-origin POST /graphql. Bundled by build.mjs into dist/explore/: works offline.
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  BOTTLENECK,
  CHAIN_GRAPH,
  CHAIN_MAPS,
  COVERAGE_GAPS,
  OFFICIAL_LISTS,
  ENTERPRISE,
  IMPACT,
  IMPACT_DEPTH,
  MAX_NODES,
  SEGMENT,
  SIGN_IN_CODES,
  STATUS_CHANGED,
  follow,
  found,
  gql,
  signInUrl,
} from './api';
import type { ChainGraphResult, CoverageGap, Impact } from './api';
import { Canvas } from './graph';
import type { Highlight } from './graph';
import { build } from './layout';
import type { BuiltGraph } from './layout';
import { Choice } from './choice';
import { useQuery } from './usequery';
import { RegionMap, mapHook, mapPosition } from './map';
import { BottleneckPanel, EnterprisePanel, GapsList, SegmentPanel } from './panel';
import type { Details, Nav } from './panel';
import { ProgressChart } from './progress';
import { SheetsDialog } from './sheets';
import { FlagButton, FlagsView } from './flags';
import { LANGS, nameOf, otherName, setLang, t, te, useLang } from './i18n';
import { ExportBar } from './exports';
import { useRegionPage } from './planner';
import './explore.css';

// ---- URL state: #chain=hydrogen&node=sinohytec&gaps=1&view=map ------------------------------------------------

type View = 'chain' | 'map' | 'flags';

function readHash() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const v = p.get('view');
  const view: View = v === 'map' || v === 'flags' ? v : 'chain';
  return { chain: p.get('chain'), node: p.get('node'), gaps: p.get('gaps') === '1', view };
}

function writeHash(chain: string | null, node: string | null, gaps: boolean, view: View) {
  // Keys of the views that keep their own (the map's region page and scenario) stay.
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  for (const k of ['chain', 'node', 'gaps', 'view']) p.delete(k);
  if (chain) p.set('chain', chain);
  if (node) p.set('node', node);
  if (gaps) p.set('gaps', '1');
  if (view !== 'chain') p.set('view', view);
  const hash = p.toString();
  if (hash !== location.hash.replace(/^#/, '')) history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
}

// ---- The read-only hook the end-to-end tests (and curious people) read ----------------------------------------

interface HookState {
  ready: boolean;
  loading: boolean;
  chainMapId: string | null;
  counts: { segments: number; enterprises: number; bottlenecks: number };
  selected: string | null;
  highlighted: string[];
  impact: { segments: number; enterprises: number; regions: number } | null;
  gaps: { segment: string; kind: string }[] | null;
  error: string | null;
  /** The API refused to read for want of a sign-in, and the page offers one. */
  signInNeeded: boolean;
  liveEvents: number;
}

const hook: HookState = {
  ready: false,
  loading: true,
  chainMapId: null,
  counts: { segments: 0, enterprises: 0, bottlenecks: 0 },
  selected: null,
  highlighted: [],
  impact: null,
  gaps: null,
  error: null,
  signInNeeded: false,
  liveEvents: 0,
};
let hookCanvas: Canvas | null = null;
let hookGraph: BuiltGraph | null = null;

Object.defineProperty(window, '__explorer', {
  configurable: false,
  value: Object.freeze({
    get ready() { return hook.ready; },
    get loading() { return hook.loading; },
    get chainMapId() { return hook.chainMapId; },
    get nodeCount() { return hook.counts.segments + hook.counts.enterprises + hook.counts.bottlenecks; },
    get counts() { return { ...hook.counts }; },
    get selected() { return hook.selected; },
    get highlighted() { return [...hook.highlighted]; },
    get impact() { return hook.impact && { ...hook.impact }; },
    get gaps() { return hook.gaps && hook.gaps.map((g) => ({ ...g })); },
    get error() { return hook.error; },
    get signInNeeded() { return hook.signInNeeded; },
    /** Status changes received live (the drawing is refreshed after each). */
    get liveEvents() { return hook.liveEvents; },
    /** A drawn bottleneck's status, or null. */
    status(id: string) { return hookGraph?.nodes.get(id)?.status ?? null; },
    /** Ids of the drawn nodes of a type (Segment, Enterprise, Bottleneck). */
    nodes(type: string): string[] {
      if (!hookGraph) return [];
      return [...hookGraph.nodes.values()].filter((n) => n.type === type).map((n) => n.id);
    },
    /** A drawn node's type and names, or null. */
    info(id: string) {
      const n = hookGraph?.nodes.get(id);
      return n ? { id: n.id, type: n.type, name: n.name, nameZh: n.nameZh ?? null } : null;
    },
    /** Where a node is drawn, in page CSS pixels, or null when it is not in view. */
    position(id: string) { return hookCanvas?.clientPosition(id) ?? null; },
    /** The tab shown: chain or map. */
    get view() { return readHash().view; },
    /** The map tab's state (null while another tab is shown). */
    get map() { return mapHook.current && structuredClone(mapHook.current); },
    /** Where the map draws a region's centre (or a province's), in page CSS pixels, or null. */
    mapPosition,
  }),
});

// ---- Data loading -------------------------------------------------------------------------------------------

// ---- The app ------------------------------------------------------------------------------------------------

function App() {
  const lang = useLang();
  const initial = useMemo(readHash, []);
  const [chainId, setChainId] = useState<string | null>(initial.chain);
  const [selected, setSelected] = useState<string | null>(initial.node);
  const [gapsOn, setGapsOn] = useState(initial.gaps);
  const [view, setView] = useState<View>(initial.view);
  const [showSupplies, setShowSupplies] = useState(true);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const [sheetsOpen, setSheetsOpen] = useState(false);
  const [flagged, setFlagged] = useState(0); // reports sent from this page: the details are read again after each
  // The map's region: the one clicked (its firms listed) and the one whose page is open (#…&region=130600).
  const [mapRegion, setMapRegion] = useState<string | null>(null);
  const [regionPage, setRegionPage] = useRegionPage();
  useEffect(() => setMapRegion(null), [chainId]);

  const chains = useQuery('chains', (signal) =>
    gql(CHAIN_MAPS, {}, signal).then((d) => d.chainMaps),
  );
  // Pick a chain once the list is known: the one in the URL if it exists, else the first.
  useEffect(() => {
    const list = chains?.data;
    if (!list?.length) return;
    if (!chainId || !list.some((c) => c.id === chainId)) setChainId(list[0].id);
  }, [chains, chainId]);

  // Live: a status change made anywhere (any replica, any client) refreshes the drawing and the details.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!chainId) return;
    return follow(STATUS_CHANGED, { id: chainId }, () => {
      hook.liveEvents++;
      setVersion((v) => v + 1);
    });
  }, [chainId]);

  const graphQ = useQuery(chainId && `${chainId}#${version}`, async (signal) => {
    // The payload is JSON in the schema: typed here as the fields of GraphNode and GraphEdge it carries.
    const d = (await gql(CHAIN_GRAPH, { id: chainId!, maxNodes: MAX_NODES }, signal)) as ChainGraphResult;
    return { chain: chainId!, result: d };
  });
  // While a refresh loads, keep drawing the chain as it was (no flash).
  const lastGraph = useRef<{ chain: string; result: ChainGraphResult } | null>(null);
  if (graphQ?.data && chainId) lastGraph.current = graphQ.data;
  const loaded = graphQ?.data ?? (lastGraph.current?.chain === chainId ? lastGraph.current : null);
  // The drawing's labels are in the language shown: built again when it changes.
  const graph = useMemo(
    () => (loaded ? { result: loaded.result, built: build(loaded.chain, loaded.result.chainGraph.payload) } : null),
    [loaded, lang],
  );

  const selectedNode = selected && graph ? graph.built.nodes.get(selected) ?? null : null;
  const selectedType = selectedNode?.type ?? null;

  const detailsQ = useQuery(selectedNode ? `${selectedType}:${selected}#${version}.${flagged}` : null, async (signal): Promise<Details> => {
    const id = selected!;
    switch (selectedType) {
      case 'Enterprise':
        return { type: 'Enterprise', data: found((await gql(ENTERPRISE, { id }, signal)).enterprise, 'enterprise') };
      case 'Segment':
        return { type: 'Segment', data: found((await gql(SEGMENT, { id }, signal)).segment, 'segment') };
      default:
        return { type: 'Bottleneck', data: found((await gql(BOTTLENECK, { id }, signal)).bottleneck, 'bottleneck') };
    }
  });
  const impactQ = useQuery(selectedType === 'Bottleneck' ? selected : null, (signal) =>
    gql(IMPACT, { id: selected!, maxDepth: IMPACT_DEPTH }, signal).then(
      (d) => d.bottleneckImpact,
    ),
  );
  const impact = impactQ?.data ?? null;
  const gapsQ = useQuery(gapsOn && chainId ? chainId : null, (signal) =>
    gql(COVERAGE_GAPS, { id: chainId! }, signal).then((d) => d.coverageGaps),
  );
  const gaps = gapsOn ? gapsQ?.data ?? null : null;
  const listsQ = useQuery(chainId ? `lists:${chainId}` : null, (signal) =>
    gql(OFFICIAL_LISTS, { id: chainId! }, signal).then((d) => d.officialLists),
  );
  const lists = listsQ?.data ?? null;

  // Forget a selection that the newly drawn chain does not have.
  useEffect(() => {
    if (graph && selected && !graph.built.nodes.has(selected)) setSelected(null);
  }, [graph, selected]);

  useEffect(() => writeHash(chainId, selected, gapsOn, view), [chainId, selected, gapsOn, view]);
  // Back from the map, the canvas has been hidden: let it measure itself again.
  useEffect(() => {
    if (view === 'chain') canvasRef.current?.fit();
  }, [view]);

  // The canvas.
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<Canvas | null>(null);
  useEffect(() => {
    const canvas = new Canvas(containerRef.current!, { onSelect: setSelected, onHover: setHover });
    canvasRef.current = canvas;
    hookCanvas = canvas;
    return () => {
      canvas.destroy();
      canvasRef.current = null;
      hookCanvas = null;
    };
  }, []);
  useEffect(() => {
    canvasRef.current?.setGraph(graph?.built ?? null);
    hookGraph = graph?.built ?? null;
  }, [graph]);
  useEffect(() => {
    canvasRef.current?.setSupplies(showSupplies && !graph?.built.manySupplies);
  }, [graph, showSupplies]);
  useEffect(() => {
    if (graph?.built.manySupplies) setShowSupplies(false);
  }, [graph]);

  const highlight = useMemo(
    () => computeHighlight(graph?.built ?? null, selected, impact, gaps),
    [graph, selected, impact, gaps],
  );
  useEffect(() => {
    canvasRef.current?.highlight(highlight.canvas);
  }, [highlight, graph]);
  useEffect(() => {
    if (selected) canvasRef.current?.reveal(selected);
  }, [selected]);

  // Keep the hook current (after the canvas effects above have drawn this render's state).
  const error = chains?.error ?? graphQ?.error ?? null;
  const signInNeeded = SIGN_IN_CODES.has((chains?.error ? chains.code : graphQ?.code) ?? '');
  useEffect(() => {
    hook.loading = !graph;
    hook.ready = !!graph && !!canvasRef.current;
    hook.chainMapId = graph ? chainId : null;
    hook.counts = graph ? { ...graph.built.counts } : { segments: 0, enterprises: 0, bottlenecks: 0 };
    hook.selected = selected;
    hook.highlighted = highlight.ids;
    hook.impact = impact
      ? { segments: impact.segments.length, enterprises: impact.enterprises.length, regions: impact.regions.length }
      : null;
    hook.gaps = gaps ? gaps.map((g) => ({ segment: g.segment.id, kind: g.kind })) : null;
    hook.error = error;
    hook.signInNeeded = signInNeeded;
  });

  const nav: Nav = useMemo(
    () => ({ select: (id: string) => setSelected(id), isDrawn: (id: string) => !!graph?.built.nodes.has(id) }),
    [graph],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const chainList = chains?.data ?? [];
  const chainMap = graph?.result.chainMap;
  const asOf = chainMap ? newestAsOf(chainMap) : null;
  const counts = graph?.built.counts;
  const hovered = hover && graph ? graph.built.nodes.get(hover.id) : null;
  const gapOf = (id: string) => gaps?.find((g) => g.segment.id === id);
  // While the details are read again (a live change, a report sent), keep showing them as they were.
  const lastDetails = useRef<{ id: string; details: Details } | null>(null);
  if (detailsQ?.data && selected) lastDetails.current = { id: selected, details: detailsQ.data };
  const details = detailsQ?.data ?? (lastDetails.current?.id === selected ? lastDetails.current.details : null);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-zh" data-testid="brand">{t('brand')}</span>
          <span className="brand-en">{t('brandSub')}</span>
        </div>
        <Choice
          kind="radio"
          label={t('language')}
          className="lang-switch"
          testid="lang"
          options={LANGS}
          value={lang}
          onChange={setLang}
        />
        <label className="picker">
          <span>{t('chainPicker')}</span>
          <select
            data-testid="chain-picker"
            value={chainId ?? ''}
            disabled={!chainList.length}
            onChange={(e) => {
              setSelected(null);
              setChainId(e.target.value);
            }}
          >
            {chainList.length === 0 ? <option value="">{t('loading')}</option> : null}
            {chainList.map((c) => (
              <option key={c.id} value={c.id}>
                {nameOf(c)}
              </option>
            ))}
          </select>
        </label>
        <Choice
          kind="tab"
          label={t('view')}
          className="tabs"
          testid="tab"
          options={[['chain', t('tab.chain')], ['map', t('tab.map')], ['flags', t('tab.flags')]]}
          value={view}
          onChange={setView}
        />
        <div className="counts" data-testid="graph-counts">
          {counts ? (
            <>
              <span><strong>{counts.segments}</strong> {t('count.segments')}</span>
              <span><strong>{counts.enterprises}</strong> {t('count.enterprises')}</span>
              <span><strong>{counts.bottlenecks}</strong> {t('count.bottlenecks')}</span>
              {graph?.result.chainGraph.truncated ? <span className="warn">{t('truncated', MAX_NODES)}</span> : null}
            </>
          ) : (
            <span className="muted">{error ? '' : t('loading')}</span>
          )}
          {asOf ? (
            <span className="data-as-of" data-testid="data-as-of" data-date={asOf} title={t('asOfTitle')}>
              {t('asOf', asOf)}
            </span>
          ) : null}
        </div>
        <div className="actions">
          {view !== 'flags' && chainId ? (
            <ExportBar
              chainId={chainId}
              chainName={chainMap ? nameOf(chainMap) : chainId}
              region={view === 'map' ? regionPage ?? mapRegion : null}
            />
          ) : null}
          <button
            type="button"
            data-testid="gaps-toggle"
            className={`toggle${gapsOn ? ' on' : ''}`}
            aria-pressed={gapsOn}
            onClick={() => setGapsOn((v) => !v)}
          >
            {t('gapsToggle')}
          </button>
          <label className="check" title={graph?.built.manySupplies ? t('suppliesTooMany') : ''}>
            <input
              type="checkbox"
              checked={showSupplies}
              disabled={!counts?.supplies || graph?.built.manySupplies}
              onChange={(e) => setShowSupplies(e.target.checked)}
            />
            {t('supplies')}{counts ? ` (${counts.supplies})` : ''}
          </label>
          <button type="button" className="toggle" data-testid="sheets-open" onClick={() => setSheetsOpen(true)}>
            {t('sheets')}
          </button>
          <a className="ide-link" href="/graphql" data-testid="ide-link" title={t('ideTitle')}>{t('ide')}</a>
        </div>
      </header>
      {sheetsOpen ? (
        <SheetsDialog
          chainId={chainId}
          onClose={() => setSheetsOpen(false)}
          onApplied={() => setVersion((v) => v + 1)}
          onShow={(id) => {
            setSheetsOpen(false);
            setView('chain');
            setSelected(id);
          }}
        />
      ) : null}
      {error && signInNeeded ? (
        <div className="banner error" role="alert" data-testid="error">
          {t('signInNeeded', error)}{' '}
          <a href={signInUrl()} data-testid="signin">
            {t('signIn')}
          </a>
        </div>
      ) : error ? (
        <div className="banner error" role="alert" data-testid="error">
          {error}
        </div>
      ) : null}
      {view === 'map' && chainId ? (
        <RegionMap
          chainId={chainId}
          selected={mapRegion}
          onSelect={setMapRegion}
          page={regionPage}
          onPage={setRegionPage}
          onChain={(id) => {
            setSelected(null);
            setChainId(id);
          }}
          onOpen={(id) => {
            setSelected(id);
            setView('chain');
          }}
        />
      ) : null}
      {view === 'flags' ? (
        <main className="flags-main">
          <FlagsView
            chainId={chainId}
            onOpen={(id) => {
              setSelected(id);
              setView('chain');
            }}
          />
        </main>
      ) : null}
      <main className="main" hidden={view !== 'chain'}>
        <div className="stage">
          <div className="canvas" ref={containerRef} data-testid="graph" />
          <div className="zoom">
            <button type="button" title={t('zoomIn')} onClick={() => canvasRef.current?.zoomBy(1.25)}>+</button>
            <button type="button" title={t('zoomOut')} onClick={() => canvasRef.current?.zoomBy(0.8)}>−</button>
            <button type="button" title={t('fitTitle')} onClick={() => canvasRef.current?.fit()}>{t('fit')}</button>
          </div>
          {graphQ === null && chainId ? <div className="canvas-note">{t('loadingChain')}</div> : null}
          {graph && counts && counts.segments === 0 ? (
            <div className="canvas-note">{t('noSegments')}</div>
          ) : null}
          {hovered && hover ? (
            <div className="tooltip" style={{ left: hover.x, top: hover.y }}>
              <div className="tt-zh">{nameOf(hovered)}</div>
              {otherName(hovered) ? <div className="tt-en">{otherName(hovered)}</div> : null}
              <div className="tt-type">
                {tooltipType(hovered, gapOf(hovered.id), graph?.built.constrainsCount.get(hovered.id) ?? 0)}
              </div>
            </div>
          ) : null}
          <Legend gapsOn={gapsOn} impactOn={!!impact} />
        </div>
        <aside className="panel" data-testid="details-panel" data-selected={selected ?? ''}>
          {gapsOn ? (
            <GapsList gaps={gaps} error={gapsQ?.error ?? null} nav={nav} selected={selected} />
          ) : null}
          {selected && selectedNode ? (
            <div className="details" data-testid="details" data-type={selectedType ?? ''}>
              <button type="button" className="close" title={t('closeEsc')} onClick={() => setSelected(null)}>
                ×
              </button>
              {detailsQ?.error ? <p className="error">{t('detailsError', detailsQ.error)}</p> : null}
              {!detailsQ && !details ? <p className="muted">{t('loadingName', nameOf(selectedNode))}</p> : null}
              {details?.type === 'Enterprise' && details.data ? <EnterprisePanel d={details.data} nav={nav} /> : null}
              {details?.type === 'Segment' && details.data ? (
                <SegmentPanel
                  d={details.data}
                  nav={nav}
                  gap={gapOf(details.data.id)}
                  firms={graph?.built.firmsBySegment.get(details.data.id)?.length ?? 0}
                />
              ) : null}
              {details?.type === 'Bottleneck' && details.data ? (
                <BottleneckPanel
                  d={details.data}
                  nav={nav}
                  impact={impact}
                  impactError={impactQ?.error ?? null}
                  drawn={highlight.drawn}
                />
              ) : null}
              {details?.data ? (
                <FlagButton
                  recordId={details.data.id}
                  kind={details.type}
                  open={details.data.flags.open}
                  onFlagged={() => setFlagged((n) => n + 1)}
                />
              ) : null}
              {detailsQ && !detailsQ.error && !details?.data ? <p className="muted">{t('gone')}</p> : null}
            </div>
          ) : chainMap ? (
            <div className="overview" data-testid="overview">
              <div className="kicker">{t('kicker.chain')}</div>
              <div className="names">
                <h2>{nameOf(chainMap)}</h2>
                {otherName(chainMap) ? <div className="name-en">{otherName(chainMap)}</div> : null}
              </div>
              <div className="badges">
                <span className={`badge confidence-${chainMap.confidence}`} data-testid="confidence" title={te('confidenceTitle', chainMap.confidence)}>
                  {te('confidence', chainMap.confidence)}
                </span>
                {chainMap.sourcesAsOf ? <span className="as-of">{t('recordAsOf', chainMap.sourcesAsOf)}</span> : null}
              </div>
              {chainMap.description ? <p className="description">{chainMap.description}</p> : null}
              <ul className="hints">
                <li>{t('hint1')}</li>
                <li>{t('hint2')}</li>
                <li>{t('hint3')}</li>
                <li>{t('hint4')}</li>
              </ul>
              <ProgressChart years={chainMap.progress} chainName={nameOf(chainMap)} />
              {lists && lists.length > 0 ? (
                <section className="lists" data-testid="official-lists">
                  <h3>
                    {t('officialLists')} <span className="count">{lists.length}</span>
                  </h3>
                  <ul className="plain">
                    {lists.map((l) => (
                      <li key={l.id} data-testid="official-list" data-kind={l.kind}>
                        <div>{nameOf(l)}</div>
                        <div className="muted small">
                          {te('listKind', l.kind)}
                          {l.issuer ? ` · ${l.issuer}` : ''}
                          {l.published ? ` · ${l.published}` : ''}
                        </div>
                        <div className="muted small">
                          {l.coverage.items > 0 ? t('listHolds', l.coverage.held, l.coverage.items) : t('listNoEntry')}
                          {l.coverage.statedCount ? ` · ${t('listStated', l.coverage.statedCount)}` : ''}
                          {l.coverage.missing.length ? ` · ${t('listMissing', l.coverage.missing.join(', '))}` : ''}
                        </div>
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
            </div>
          ) : null}
        </aside>
      </main>
    </div>
  );
}

function tooltipType(
  n: { type: string; severity?: number | null; status?: string | null; stage?: string | null; provinces?: string[] | null },
  gap: CoverageGap | undefined,
  constrains: number,
) {
  switch (n.type) {
    case 'Bottleneck':
      return [t('type.Bottleneck'), t('severityN', n.severity ?? '?'), te('status', n.status), constrains > 1 ? t('constrainsN', constrains) : '']
        .filter(Boolean)
        .join(' · ');
    case 'Segment':
      return [t('type.Segment'), te('stage', n.stage), gap ? t('gapIs', te('gap', gap.kind)) : ''].filter(Boolean).join(' · ');
    case 'Enterprise':
      return [t('type.Enterprise'), n.provinces?.length ? '' : t('noSiteKnown')].filter(Boolean).join(' · ');
    default:
      return n.type;
  }
}

/** computeHighlight turns the selection, a bottleneck's impact and the coverage gaps into canvas classes. */
function computeHighlight(g: BuiltGraph | null, selected: string | null, impact: Impact | null, gaps: CoverageGap[] | null) {
  const canvas: Highlight = { selected, focus: null, classes: new Map(), edges: new Set(), impactEdges: new Set() };
  const drawn = { segments: 0, enterprises: 0 };
  let ids: string[] = [];
  if (!g) return { canvas, ids, drawn };
  const edges = g.elements.filter((e) => e.group === 'edges').map((e) => e.data as { id: string; source: string; target: string; type: string });
  for (const gap of gaps ?? []) canvas.classes.set(gap.segment.id, `gap-${gap.kind}`);

  const sel = selected ? g.nodes.get(selected) : undefined;
  if (sel?.type === 'Bottleneck' && impact) {
    // Impact: the bottleneck, the segments it holds back and the firms in them; all else dimmed.
    const segs = new Set(impact.segments.map((s) => s.segment.id).filter((id) => g.nodes.has(id)));
    const firms = new Set(impact.enterprises.map((e) => e.enterprise.id).filter((id) => g.nodes.has(id)));
    drawn.segments = segs.size;
    drawn.enterprises = firms.size;
    const focus = new Set<string>([sel.id, ...segs, ...firms]);
    for (const id of [...segs, ...firms]) canvas.classes.set(id, `${canvas.classes.get(id) ?? ''} impact`.trim());
    for (const e of edges) {
      if (e.type === 'FEEDS' && segs.has(e.source) && segs.has(e.target)) canvas.impactEdges.add(e.id);
      else if (e.type === 'CONSTRAINS' && e.source === sel.id) canvas.impactEdges.add(e.id);
      else if (e.type === 'SUPPLIES' && firms.has(e.source) && firms.has(e.target)) canvas.edges.add(e.id);
    }
    canvas.focus = focus;
    ids = [...segs, ...firms];
  } else if (sel) {
    // A record and its neighbours.
    const focus = new Set<string>([sel.id]);
    for (const e of edges) {
      if (e.source === sel.id || e.target === sel.id) {
        focus.add(e.source);
        focus.add(e.target);
        canvas.edges.add(e.id);
      }
    }
    if (sel.type === 'Segment') for (const id of g.firmsBySegment.get(sel.id) ?? []) focus.add(id);
    canvas.focus = focus;
    ids = [...focus].filter((id) => id !== sel.id);
  } else if (gaps) {
    // The gaps view: gap segments stand out, the firms and bottlenecks recede.
    const focus = new Set<string>(gaps.map((x) => x.segment.id));
    for (const n of g.nodes.values()) if (n.type === 'Segment') focus.add(n.id);
    for (const e of edges) if (e.type === 'FEEDS') canvas.edges.add(e.id);
    canvas.focus = focus;
    canvas.soft = true;
    ids = gaps.map((x) => x.segment.id).filter((id) => g.nodes.has(id));
  }
  return { canvas, ids, drawn };
}

function Legend({ gapsOn, impactOn }: { gapsOn: boolean; impactOn: boolean }) {
  return (
    <div className="legend" data-testid="legend">
      <div className="legend-group">
        <span className="legend-title">{t('legend.enterprises')}</span>
        <span><i className="dot province-110000" />{t('province.110000')}</span>
        <span><i className="dot province-120000" />{t('province.120000')}</span>
        <span><i className="dot province-130000" />{t('province.130000')}</span>
        <span><i className="dot multi" />{t('legend.multi')}</span>
        <span><i className="dot other" />{t('legend.other')}</span>
        <span><i className="dot none" />{t('noSiteKnown')}</span>
      </div>
      <div className="legend-group">
        <span className="legend-title">{t('legend.bottlenecks')}</span>
        <span><i className="dia open" />{t('status.OPEN')}</span>
        <span><i className="dia progress" />{t('status.IN_PROGRESS')}</span>
        <span><i className="dia resolved" />{t('status.RESOLVED')}</span>
        <span className="muted">{t('legend.size')}</span>
      </div>
      <div className="legend-group legend-row">
        <span><i className="arrow" />{t('legend.feeds')}</span>
        <span><i className="arrow supply" />{t('legend.supplies')}</span>
        {impactOn ? <span><i className="box held" />{t('legend.held')}</span> : null}
        {gapsOn ? (
          <>
            <span><i className="box gap-rd" />{t('gap.RD_WITHOUT_MANUFACTURING')}</span>
            <span><i className="box gap-none" />{t('gap.NO_FIRM_IN_REGION')}</span>
          </>
        ) : null}
      </div>
    </div>
  );
}

const root = document.getElementById('explore');
if (!root) throw new Error('chainmap explorer: #explore element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

/** The newest date any of the chain's records cites (the chain map, its segments, their firms and bottlenecks). */
function newestAsOf(c: NonNullable<ChainGraphResult['chainMap']>): string | null {
  const dates = [c.sourcesAsOf, ...c.segments.flatMap((g) => [g.sourcesAsOf, ...g.enterprises.map((e) => e.sourcesAsOf), ...g.bottlenecks.map((b) => b.sourcesAsOf)])];
  // Dates are YYYY, YYYY-MM or YYYY-MM-DD: as strings, a later one sorts after (a year alone before its months).
  return dates.filter((d): d is string => !!d).sort().pop() ?? null;
}
