// The planner's view of the map (issue 21): a region's page — its chains, what it lacks of the chosen chain and
// whom to attract or connect (regionChainGaps), what the chain would lose if it stopped (scenario), what changed
// in it (changesSummary) — and the scenario as a toggle on the map: removed regions hatched, the regions where
// firms are cut off outlined, the broken segments listed. Its strings are in i18n.ts; it reads only the public API.
import { useState } from 'react';
import { gql, graphql } from './api';
import type { ResultOf } from './api';
import { lang, nameOf, t, te } from './i18n';
import { useQuery } from './usequery';
import './planner.css';

// ---- what the API is asked ------------------------------------------------------------------------------------

// A score's parts (the scored candidates of regionChainGaps), each with why in both languages: the API says the
// sentence from the reason and the records it names, and a switch of language needs no new request.
const PARTS = graphql(`fragment PlannerParts on ScorePart @_unmask { factor points value reason zh: note(lang: ZH) en: note(lang: EN) }`);

const REGION_PAGE = graphql(`query PlannerRegionPage($code: String!, $chain: ID!) {
  region(code: $code) { code name nameZh stats { enterprisesByChainMap { key count } } }
  chainMaps { id name nameZh }
  regionChainGaps(regionCode: $code, chainMapId: $chain, first: 3) {
    segments held
    gaps { segment { id name nameZh } status firmsInRegion openBottlenecks
      upstream { segment { id name nameZh } firmsInRegion } downstream { segment { id name nameZh } firmsInRegion }
      firmCandidates { rank score kind enterprise { id name nameZh } parts { ...PlannerParts } } firmCandidatesTotal
      rdCandidates { rank score kind enterprise { id name nameZh } institution { id name nameZh } parts { ...PlannerParts } }
      rdCandidatesTotal
      parks { rank score park { id name nameZh } parts { ...PlannerParts } } }
  }
}`, [PARTS]);

const SCENARIO = graphql(`query PlannerScenario($codes: [String!], $chain: ID) {
  scenario(remove: {regionCodes: $codes}, chainMapId: $chain, first: 12) {
    stoppedEnterprises weakenedEnterprises segmentsLost cutOffTotal orphanedBottlenecksTotal cutLinksTotal segmentsTotal
    segments { segment { id name nameZh } status firmsBefore firmsLeft }
    cutOff { enterprise { id name nameZh sites { region { code parent { code } } } } segment { id name nameZh }
      alternatives { enterprise { id name nameZh } regionDistance } }
    orphanedBottlenecks { bottleneck { id name nameZh severity } }
    cutLinks { id fromName toName fromStops toStops }
  }
}`);

const CHANGES = graphql(`query PlannerChanges($code: String!, $chain: ID!) {
  changesSummary(chainMapId: $chain, regionCode: $code, first: 12) {
    from to eventsTotal
    byYear { key counts { firmsAdded sitesAdded bottlenecksMoved bottlenecksResolved linksMade } }
    events { date kind label zh: note(lang: ZH) en: note(lang: EN) }
  }
}`);

type Gap = NonNullable<ResultOf<typeof REGION_PAGE>['regionChainGaps']>['gaps'][number];
type Neighbour = Gap['upstream'][number];
type Candidate = Gap['firmCandidates'][number] | Gap['rdCandidates'][number] | Gap['parks'][number];
type Part = Candidate['parts'][number];
export type ScenarioData = ResultOf<typeof SCENARIO>['scenario'];
type ChangesData = ResultOf<typeof CHANGES>['changesSummary'];
type Counts = ChangesData['byYear'][number]['counts'];

/** The one a candidate names: a firm or an institution (R&D), or a park. */
const whoOf = (c: Candidate) => ('park' in c ? c.park : 'institution' in c ? c.institution ?? c.enterprise : c.enterprise);

/** The scenario's figures, in the order shown (labels: figure.* in i18n.ts). */
const FIGURES = ['stoppedEnterprises', 'weakenedEnterprises', 'segmentsLost', 'cutOffTotal', 'orphanedBottlenecksTotal', 'cutLinksTotal'] as const;

/** The timeline's bars: a group (timeline.* in i18n.ts) and the counts it adds up. */
const TIMELINE: [string, ...(keyof Counts)[]][] = [
  ['firms', 'firmsAdded', 'sitesAdded'],
  ['bottlenecks', 'bottlenecksMoved', 'bottlenecksResolved'],
  ['links', 'linksMade'],
];

const label = (n: { name: string; nameZh: string | null } | null | undefined) => nameOf(n);

// ---- the region page ------------------------------------------------------------------------------------------------

/** RegionPage is the page of one region for one chain: its chains, its gaps and candidates, its exposure, its changes. */
export function RegionPage({ code, chainId, onClose, onChain }: {
  code: string;
  chainId: string;
  onClose: () => void;
  onChain: (id: string) => void;
}) {
  const page = useQuery(`page:${code}:${chainId}`, (signal) => gql(REGION_PAGE, { code, chain: chainId }, signal));
  const exposure = useQuery(`exposure:${code}:${chainId}`, (signal) =>
    gql(SCENARIO, { codes: [code], chain: chainId }, signal).then((d) => d.scenario),
  );
  const changes = useQuery(`changes:${code}:${chainId}`, (signal) =>
    gql(CHANGES, { code, chain: chainId }, signal).then((d) => d.changesSummary),
  );
  const error = page?.error ?? exposure?.error ?? changes?.error ?? null;
  const data = page?.data ?? null;
  const ready = !!data && !!exposure?.data && !!changes?.data;
  const counts = new Map((data?.region?.stats.enterprisesByChainMap ?? []).map((g) => [g.key, g.count]));
  const q = `chainMapId=${encodeURIComponent(chainId)}`;
  return (
    <section className="region-page" data-testid="region-page" data-code={code} data-ready={ready ? '1' : '0'}>
      <header>
        <div className="kicker">{t('regionPage')}</div>
        <h2>{data?.region ? nameOf(data.region) : code}</h2>
        <div className="actions">
          <a href={`/report/region/${code}?${q}&lang=${lang()}`} target="_blank" rel="noopener" data-testid="region-page-print">{t('printReport')}</a>
          <a href={`/export/region-gaps.xlsx?regionCode=${code}&${q}`}>{t('gapsXlsx')}</a>
          <a href={`/export/region-gaps.csv?regionCode=${code}&${q}`}>{t('gapsCsv')}</a>
          <a href={`/export/scenario.csv?regionCodes=${code}&${q}`}>{t('exposureCsv')}</a>
          <a href={`/export/changes.csv?regionCode=${code}&${q}`}>{t('changesCsv')}</a>
        </div>
        <button type="button" className="close" title={t('close')} onClick={onClose}>×</button>
      </header>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {!data && !error ? <p className="muted">{t('loading')}</p> : null}
      {data ? (
        <div className="region-page-body">
          <div className="rp-col">
            <h3>{t('chainsHere')}</h3>
            <ul className="chains-here" data-testid="region-chains">
              {data.chainMaps.map((c) => (
                <li key={c.id} className={c.id === chainId ? 'on' : ''}>
                  <button type="button" className="link" data-chain={c.id} onClick={() => onChain(c.id)}>{label(c)}</button>
                  <span className="muted small"> · {t('firmsN', counts.get(c.id) ?? 0)}</span>
                </li>
              ))}
            </ul>
            <h3>
              {t('gapsTitle')}{' '}
              {data.regionChainGaps ? <span className="muted small">{t('holds', data.regionChainGaps.held, data.regionChainGaps.segments)}</span> : null}
            </h3>
            <div className="parts-legend small muted" data-testid="parts-legend">
              {t('partsLegend')}{' '}
              {['DISTANCE', 'LINKS', 'SEGMENT_FIT', 'PAST_MOVES', 'NEIGHBOURS'].map((f) => (
                <span key={f}><i className={`part ${f}`} /> {te('factor', f)} </span>
              ))}
            </div>
            {data.regionChainGaps?.gaps.length ? (
              data.regionChainGaps.gaps.map((g) => <GapCard key={g.segment.id} gap={g} />)
            ) : (
              <p className="muted">{t('noGaps')}</p>
            )}
          </div>
          <div className="rp-col">
            <h3>{t('exposure')}</h3>
            {exposure?.data ? <ScenarioSummary s={exposure.data} testid="exposure" /> : <p className="muted">{t('loading')}</p>}
            <h3>{t('changes')}</h3>
            {changes?.data ? <Changes c={changes.data} /> : <p className="muted">{t('loading')}</p>}
          </div>
        </div>
      ) : null}
    </section>
  );
}

function GapCard({ gap }: { gap: Gap }) {
  const list = (ns: Neighbour[]) => (ns.length ? ns.map((n) => `${label(n.segment)} (${t('inRegion', n.firmsInRegion)})`).join('、') : t('none'));
  return (
    <div className="gap-card" data-testid="gap" data-segment={gap.segment.id} data-status={gap.status}>
      <div className="gap-head">
        <b>{label(gap.segment)}</b> <span className={`mark ${gap.status}`}>{te('gapStatus', gap.status)}</span>
        <span className="muted small"> · {t('inRegion', gap.firmsInRegion)}</span>
      </div>
      <div className="muted small">
        {t('fedByShort')} {list(gap.upstream)} · {t('feedsShort')} {list(gap.downstream)}
      </div>
      <Candidates title={t('firmList', gap.firmCandidatesTotal)} items={gap.firmCandidates} list="firm" />
      <Candidates title={t('rdList', gap.rdCandidatesTotal)} items={gap.rdCandidates} list="rd" />
      {gap.parks.length ? <Candidates title={t('parkList')} items={gap.parks} list="park" /> : null}
    </div>
  );
}

function Candidates({ title, items, list }: { title: string; items: Candidate[]; list: string }) {
  return (
    <div className="candidates">
      <div className="small">{title}</div>
      {items.length ? (
        <ol className="plain">
          {items.map((c) => {
            const who = whoOf(c);
            return (
              <li key={who?.id ?? c.rank} data-testid="candidate" data-list={list} data-id={who?.id} data-score={c.score}>
                <span className="score">{c.score}</span> {label(who)}
                {'kind' in c && c.kind === 'INSTITUTION' ? <span className="muted small"> · {t('institution')}</span> : null}
                <PartsBar parts={c.parts} />
              </li>
            );
          })}
        </ol>
      ) : (
        <div className="muted small">{t('noCandidate')}</div>
      )}
    </div>
  );
}

/** PartsBar draws a score's parts side by side, each as wide as its points, with its reason on hover (in the language shown). */
function PartsBar({ parts }: { parts: Part[] }) {
  return (
    <span className="parts" aria-label={parts.map((p) => `${te('factor', p.factor)} ${p.points}`).join(', ')}>
      {parts.filter((p) => p.points > 0).map((p) => (
        <i key={p.factor} className={`part ${p.factor}`} style={{ width: `${p.points * 7}px` }} title={`${te('factor', p.factor)} +${p.points}: ${p[lang()]}`} />
      ))}
    </span>
  );
}

/** ScenarioSummary shows what a scenario breaks: figures, broken segments, cut-off firms, orphaned bottlenecks, cut links. */
export function ScenarioSummary({ s, testid }: { s: ScenarioData; testid: string }) {
  return (
    <div className="scenario-summary" data-testid={testid} data-cut-off={s.cutOffTotal} data-lost={s.segmentsLost}>
      <div className="figures">
        {FIGURES.map((k) => (
          <div key={k}>
            <b>{s[k]}</b>
            {te('figure', k)}
          </div>
        ))}
      </div>
      {s.segments.length ? (
        <>
          <div className="small">{t('brokenSegments')} ({s.segmentsTotal})</div>
          <ul className="plain small">
            {s.segments.map((x) => (
              <li key={x.segment.id} data-testid="broken-segment" data-segment={x.segment.id} data-status={x.status}>
                <span className={`mark ${x.status}`}>{te('gapStatus', x.status)}</span> {label(x.segment)}{' '}
                <span className="muted">· {t('left', x.firmsLeft)} / {x.firmsBefore}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.cutOff.length ? (
        <>
          <div className="small">{t('cutOff')} ({s.cutOffTotal})</div>
          <ul className="plain small">
            {s.cutOff.map((c) => (
              <li key={`${c.enterprise.id}:${c.segment.id}`} data-testid="cut-off" data-id={c.enterprise.id}>
                {label(c.enterprise)} · {label(c.segment)}
                <span className="muted"> · {t('nearest')} {c.alternatives.map((a) => label(a.enterprise)).join('、') || t('none')}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.orphanedBottlenecks.length ? (
        <>
          <div className="small">{t('orphaned')} ({s.orphanedBottlenecksTotal})</div>
          <ul className="plain small">
            {s.orphanedBottlenecks.map((b) => <li key={b.bottleneck.id}>{label(b.bottleneck)}</li>)}
          </ul>
        </>
      ) : null}
      {s.cutLinks.length ? (
        <>
          <div className="small">{t('cutLinks')} ({s.cutLinksTotal})</div>
          <ul className="plain small">
            {s.cutLinks.map((l) => <li key={l.id}>{l.fromName} → {l.toName}</li>)}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** Changes shows a region's changes: a timeline by year (bars by kind) and the newest events, each with its note in the language shown. */
function Changes({ c }: { c: ChangesData }) {
  const totals = c.byYear.map((y) => TIMELINE.map(([, ...keys]) => keys.reduce((n, k) => n + (y.counts[k] ?? 0), 0)));
  const max = Math.max(1, ...totals.map((t) => t.reduce((a, b) => a + b, 0)));
  const W = 44;
  const H = 90;
  return (
    <div className="changes" data-testid="changes" data-events={c.eventsTotal}>
      <div className="muted small">{`${c.from} – ${c.to}`}</div>
      {c.byYear.length ? (
        <svg className="timeline" data-testid="changes-timeline" width={c.byYear.length * W + 10} height={H + 18} role="img"
          aria-label={t('changes')}>
          {c.byYear.map((y, i) => {
            let base = H;
            return (
              <g key={y.key} data-year={y.key}>
                {totals[i].map((n, j) => {
                  const h = (n / max) * (H - 6);
                  base -= h;
                  return n ? (
                    <rect key={j} className={`tl-${j}`} x={i * W + 8} y={base} width={W - 14} height={h}>
                      <title>{`${y.key}: ${n} ${te('timeline', TIMELINE[j][0])}`}</title>
                    </rect>
                  ) : null;
                })}
                <text x={i * W + 8 + (W - 14) / 2} y={H + 13} textAnchor="middle">{y.key}</text>
              </g>
            );
          })}
        </svg>
      ) : null}
      {c.events.length ? (
        <ul className="plain small events">
          {c.events.map((e, i) => (
            <li key={i}>
              <span className="muted">{e.date}</span> {te('change', e.kind)}: {e.label}
              {e[lang()] ? <span className="muted"> · {e[lang()]}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('noChanges')}</p>
      )}
    </div>
  );
}

// ---- the scenario toggle on the map ------------------------------------------------------------------------------------

/** useScenario asks what the chain loses without the removed regions (nothing while none is removed). */
export function useScenario(chainId: string, removed: string[]) {
  const key = removed.length ? `scenario:${chainId}:${[...removed].sort().join(',')}` : null;
  return useQuery(key, (signal) => gql(SCENARIO, { codes: removed, chain: chainId }, signal).then((d) => d.scenario));
}

/** The regions where firms are cut off: the regions of their sites (and the regions those lie in). */
export function landedIn(s: ScenarioData | null): Set<string> {
  const out = new Set<string>();
  for (const c of s?.cutOff ?? []) {
    for (const site of c.enterprise.sites) {
      if (site.region) out.add(site.region.code);
      if (site.region?.parent) out.add(site.region.parent.code);
    }
  }
  return out;
}

/** ScenarioLayer hatches the removed regions and outlines where firms are cut off, over the map's regions. */
export function ScenarioLayer({ removed, landed, pathOf }: { removed: string[]; landed: Set<string>; pathOf: (code: string) => string | undefined }) {
  return (
    <g className="scenario-layer">
      <defs>
        <pattern id="removed-hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="7" height="7" fill="rgba(15, 23, 42, 0.18)" />
          <line x1="0" y1="0" x2="0" y2="7" stroke="#0f172a" strokeWidth="2.2" />
        </pattern>
      </defs>
      {[...landed].filter((c) => !removed.includes(c) && pathOf(c)).map((c) => (
        <path key={`landed-${c}`} className="landed" data-code={c} d={pathOf(c)} />
      ))}
      {removed.filter((c) => pathOf(c)).map((c) => (
        <path key={`removed-${c}`} className="removed" data-testid="removed-region" data-code={c} d={pathOf(c)} />
      ))}
    </g>
  );
}

/** ScenarioControl is the toggle and its results, in the map's side panel. */
export function ScenarioControl({ on, setOn, removed, setRemoved, scenario, name }: {
  on: boolean;
  setOn: (on: boolean) => void;
  removed: string[];
  setRemoved: (codes: string[]) => void;
  scenario: { data: ScenarioData | null; error: string | null } | null;
  name: (code: string) => string;
}) {
  return (
    <fieldset className="scenario-control" data-testid="scenario-panel" data-on={on ? '1' : '0'} data-ready={scenario?.data ? '1' : '0'}>
      <legend>{t('scenario')}</legend>
      <label className="check">
        <input type="checkbox" data-testid="scenario-toggle" checked={on} onChange={(e) => setOn(e.target.checked)} />
        {t('scenarioToggle')}
      </label>
      {on ? (
        <>
          {removed.length ? (
            <div className="small">
              {t('removed')}:{' '}
              {removed.map((c) => (
                <span key={c} className="chip">
                  {name(c)}
                  <button type="button" title={t('close')} onClick={() => setRemoved(removed.filter((x) => x !== c))}>×</button>
                </span>
              ))}{' '}
              <button type="button" className="link small" onClick={() => setRemoved([])}>{t('clear')}</button>
              <span className="muted"> · {t('landed')}</span>
            </div>
          ) : (
            <p className="muted small">{t('scenarioHint')}</p>
          )}
          {scenario?.error ? <p className="error" role="alert">{scenario.error}</p> : null}
          {removed.length && !scenario?.data && !scenario?.error ? <p className="muted small">{t('loading')}</p> : null}
          {scenario?.data ? <ScenarioSummary s={scenario.data} testid="scenario-result" /> : null}
        </>
      ) : null}
    </fieldset>
  );
}

/** useRegionPage keeps which region's page is open, starting from the page's address (#…&region=130600). */
export function useRegionPage(): [string | null, (code: string | null) => void] {
  const [code, setCode] = useState<string | null>(() => new URLSearchParams(location.hash.replace(/^#/, '')).get('region'));
  const set = (c: string | null) => {
    setCode(c);
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (c) p.set('region', c);
    else p.delete('region');
    history.replaceState(null, '', `#${p.toString()}`);
  };
  return [code, set];
}

/** The regions a scenario starts with, from the page's address (#…&remove=130900,131000). */
export function removedFromHash(): string[] {
  const v = new URLSearchParams(location.hash.replace(/^#/, '')).get('remove');
  return v ? v.split(',').filter((c) => /^\d{6}$/.test(c)) : [];
}
