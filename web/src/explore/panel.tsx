// The side panel: the chain's overview, the coverage gaps, and the details of the selected record.
import type { ReactNode } from 'react';
import type {
  BottleneckDetails,
  CoverageGap,
  EnterpriseDetails,
  Impact,
  Named,
  SegmentDetails,
  Source,
} from './api';
import { IMPACT_DEPTH } from './api';
import { PROVINCES } from './layout';

export type Details =
  | { type: 'Enterprise'; data: EnterpriseDetails }
  | { type: 'Segment'; data: SegmentDetails }
  | { type: 'Bottleneck'; data: BottleneckDetails };

/** Lets the panel select records that are drawn (and only those). */
export interface Nav {
  select(id: string): void;
  isDrawn(id: string): boolean;
}

export const GAP_KIND_LABEL: Record<string, { en: string; zh: string; hint: string }> = {
  RD_WITHOUT_MANUFACTURING: {
    en: 'R&D without manufacturing',
    zh: '有研发无制造',
    hint: 'firms do R&D (or have headquarters) in Beijing, but none manufactures in Tianjin or Hebei',
  },
  NO_FIRM_IN_REGION: {
    en: 'No firm in the region',
    zh: '区域内无企业',
    hint: 'no firm of Jing-Jin-Ji is active in the segment (a candidate 堵点)',
  },
};

const STATUS_LABEL: Record<string, string> = { OPEN: 'Open', IN_PROGRESS: 'In progress', RESOLVED: 'Resolved' };
const KIND_LABEL: Record<string, string> = { CHOKEPOINT: 'Chokepoint · 卡点', GAP: 'Gap · 堵点' };
const ROLE_LABEL: Record<string, string> = { CHAIN_MASTER: 'Chain master · 链主', LEAD: 'Lead firm · 龙头', SUPPORTING: 'Supporting · 配套' };
const SITE_LABEL: Record<string, string> = {
  HQ: 'HQ', RD: 'R&D', MANUFACTURING: 'Manufacturing', ASSEMBLY: 'Assembly', TESTING: 'Testing', PILOT: 'Pilot',
};
const STAGE_LABEL: Record<string, string> = { UPSTREAM: 'Upstream · 上游', MIDSTREAM: 'Midstream · 中游', DOWNSTREAM: 'Downstream · 下游' };
const pretty = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll('_', ' ');

function Names({ name, nameZh, testId }: { name: string; nameZh: string | null; testId?: string }) {
  return (
    <div className="names">
      <h2 data-testid={testId}>{nameZh && nameZh !== name ? nameZh : name}</h2>
      {nameZh && nameZh !== name ? <div className="name-en">{name}</div> : null}
    </div>
  );
}

function RecordLink({ r, nav }: { r: Named; nav: Nav }) {
  const label = r.nameZh && r.nameZh !== r.name ? `${r.nameZh} · ${r.name}` : r.name;
  if (!nav.isDrawn(r.id)) return <span className="record">{label}</span>;
  return (
    <button type="button" className="link record" onClick={() => nav.select(r.id)}>
      {label}
    </button>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <div className="field-label">{label}</div>
      <div className="field-value">{children}</div>
    </div>
  );
}

function Sources({ sources, asOf, confidence, evidence }: { sources: Source[]; asOf: string | null; confidence: string; evidence: string | null }) {
  return (
    <section className="sources" data-testid="sources">
      <h3>
        Sources <span className="count">{sources.length}</span>
        <span className={`badge confidence-${confidence}`} title="How the record is known">
          {pretty(confidence)}
        </span>
        {asOf ? (
          <span className="as-of" data-testid="as-of" title="The date of the newest source this record cites">
            as of {asOf}
          </span>
        ) : null}
      </h3>
      {evidence ? <p className="evidence">{evidence}</p> : null}
      {sources.length === 0 ? <p className="muted">No source recorded.</p> : null}
      <ol>
        {sources.map((s, i) => (
          <li key={`${s.url}-${i}`}>
            <a href={s.url} target="_blank" rel="noopener noreferrer" data-testid="source-link">
              {s.title}
            </a>
            <div className="source-meta">
              {[s.publisher, s.date, pretty(s.reliability)].filter(Boolean).join(' · ')}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function EnterprisePanel({ d, nav }: { d: EnterpriseDetails; nav: Nav }) {
  const provinces = [...new Set(d.sites.map((s) => s.region.province.code))].sort();
  return (
    <>
      <div className="kicker">Enterprise · 企业</div>
      <Names name={d.name} nameZh={d.nameZh} testId="details-name" />
      <div className="badges">
        {d.chainRole ? <span className="badge role">{ROLE_LABEL[d.chainRole] ?? d.chainRole}</span> : null}
        {d.synthetic ? <span className="badge synthetic">Synthetic</span> : null}
        {provinces.map((p) => (
          <span key={p} className={`badge province province-${p}`}>
            {PROVINCES[p] ? `${PROVINCES[p].name} ${PROVINCES[p].nameZh}` : p}
          </span>
        ))}
        {provinces.length === 0 ? <span className="badge">No site known</span> : null}
      </div>
      {d.description ? <p className="description">{d.description}</p> : null}
      <Field label="Segments">
        <ul className="plain">
          {d.segments.map((s) => (
            <li key={s.id}>
              <RecordLink r={s} nav={nav} />
            </li>
          ))}
        </ul>
      </Field>
      <Field label="Sites">
        {d.sites.length === 0 ? <span className="muted">None recorded</span> : null}
        <ul className="plain sites">
          {d.sites.map((s, i) => (
            <li key={i}>
              <span className="site-kind">{SITE_LABEL[s.kind] ?? s.kind}</span> {s.name}
              <span className="muted"> — {s.region.nameZh ?? s.region.name}</span>
            </li>
          ))}
        </ul>
      </Field>
      <Sources sources={d.sources} asOf={d.sourcesAsOf} confidence={d.confidence} evidence={d.evidence} />
    </>
  );
}

export function SegmentPanel({ d, nav, gap, firms }: { d: SegmentDetails; nav: Nav; gap?: CoverageGap; firms: number }) {
  return (
    <>
      <div className="kicker">
        Segment · 环节 — {STAGE_LABEL[d.stage] ?? d.stage}, #{d.order} of {d.chainMap.nameZh ?? d.chainMap.name}
      </div>
      <Names name={d.name} nameZh={d.nameZh} testId="details-name" />
      {gap ? <GapBadge gap={gap} /> : null}
      {d.description ? <p className="description">{d.description}</p> : null}
      <Field label="Enterprises drawn">{firms}</Field>
      {d.upstream.length ? (
        <Field label="Fed by">
          <ul className="plain">
            {d.upstream.map((s) => (
              <li key={s.id}><RecordLink r={s} nav={nav} /></li>
            ))}
          </ul>
        </Field>
      ) : null}
      {d.downstream.length ? (
        <Field label="Feeds">
          <ul className="plain">
            {d.downstream.map((s) => (
              <li key={s.id}><RecordLink r={s} nav={nav} /></li>
            ))}
          </ul>
        </Field>
      ) : null}
      {d.bottlenecks.length ? (
        <Field label="Bottlenecks">
          <ul className="plain">
            {d.bottlenecks.map((b) => (
              <li key={b.id}>
                <span className={`diamond status-${b.status}`} aria-hidden="true" /> <RecordLink r={b} nav={nav} />
                <span className="muted"> — severity {b.severity}, {STATUS_LABEL[b.status] ?? b.status}</span>
              </li>
            ))}
          </ul>
        </Field>
      ) : null}
      <Sources sources={d.sources} asOf={d.sourcesAsOf} confidence={d.confidence} evidence={d.evidence} />
    </>
  );
}

export function BottleneckPanel({ d, nav, impact, impactError, drawn }: {
  d: BottleneckDetails;
  nav: Nav;
  impact: Impact | null;
  impactError: string | null;
  drawn: { segments: number; enterprises: number };
}) {
  return (
    <>
      <div className="kicker">Bottleneck · {d.kind === 'GAP' ? '堵点' : '卡点'}</div>
      <Names name={d.name} nameZh={d.nameZh} testId="details-name" />
      <div className="badges">
        <span className={`badge status status-${d.status}`}>{STATUS_LABEL[d.status] ?? d.status}</span>
        <span className="badge">{KIND_LABEL[d.kind] ?? d.kind}</span>
        <span className="badge">{pretty(d.category)}</span>
        <span className="badge severity" title="Severity 1 (minor) to 5 (import-dependent chokepoint)">
          Severity {'◆'.repeat(d.severity)}
          <span className="faint">{'◆'.repeat(Math.max(0, 5 - d.severity))}</span>
        </span>
      </div>
      <ImpactSummary impact={impact} error={impactError} drawn={drawn} />
      {d.description ? <p className="description">{d.description}</p> : null}
      <Field label="Constrains">
        <ul className="plain">
          {d.segments.map((s) => (
            <li key={s.id}><RecordLink r={s} nav={nav} /></li>
          ))}
        </ul>
      </Field>
      <Field label="Tackled by">
        {d.tacklers.length === 0 ? <span className="muted">No one recorded</span> : null}
        <ul className="plain">
          {d.tacklers.map((t, i) => (
            <li key={i}>
              <RecordLink r={t.actor} nav={nav} />
              <span className="muted">
                {t.actor.__typename === 'Institution' ? ' (institution)' : ''}
                {t.since ? `, since ${t.since}` : ''}
                {t.status ? `, ${STATUS_LABEL[t.status] ?? t.status}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </Field>
      <Sources sources={d.sources} asOf={d.sourcesAsOf} confidence={d.confidence} evidence={d.evidence} />
    </>
  );
}

function ImpactSummary({ impact, error, drawn }: {
  impact: Impact | null;
  error: string | null;
  drawn: { segments: number; enterprises: number };
}) {
  if (error) return <div className="impact error">Impact unavailable: {error}</div>;
  if (!impact) return <div className="impact loading">Tracing the impact downstream…</div>;
  const segs = impact.segments.length;
  const firms = impact.enterprises.length;
  const elsewhere = firms - drawn.enterprises;
  return (
    <section
      className="impact"
      data-testid="impact-summary"
      data-segments={segs}
      data-enterprises={firms}
    >
      <h3>Impact · 影响范围</h3>
      <p>
        Holds back <strong>{segs}</strong> segment{segs === 1 ? '' : 's'} and <strong>{firms}</strong>{' '}
        enterprise{firms === 1 ? '' : 's'} within {impact.maxDepth || IMPACT_DEPTH} hops downstream
        {impact.truncated ? ' (truncated)' : ''}.
      </p>
      {elsewhere > 0 ? (
        <p className="muted">{elsewhere} of the firms work in other chains' segments and are not drawn here.</p>
      ) : null}
      {impact.regions.length ? (
        <ul className="regions">
          {impact.regions.map((r) => (
            <li key={r.region.code}>
              <span className={`swatch province-${r.region.code}`} aria-hidden="true" />
              {r.region.nameZh ?? r.region.name} <span className="muted">{r.region.name}</span>
              <span className="num">{r.enterprises}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function GapBadge({ gap }: { gap: CoverageGap }) {
  const k = GAP_KIND_LABEL[gap.kind];
  return (
    <div className={`gap-badge gap-${gap.kind}`}>
      <strong>Coverage gap:</strong> {k?.en ?? gap.kind} · {k?.zh} — {k?.hint}
    </div>
  );
}

export function GapsList({ gaps, error, nav, selected }: {
  gaps: CoverageGap[] | null;
  error: string | null;
  nav: Nav;
  selected: string | null;
}) {
  return (
    <section className="gaps" data-testid="gaps-list" data-count={gaps?.length ?? ''}>
      <h3>
        Coverage gaps · 覆盖缺口 {gaps ? <span className="count">{gaps.length}</span> : null}
      </h3>
      <p className="muted small">
        Segments outside the R&D-in-Beijing, manufacturing-in-Tianjin–Hebei pattern.
      </p>
      {error ? <p className="error">{error}</p> : null}
      {!gaps && !error ? <p className="muted">Loading…</p> : null}
      {gaps && gaps.length === 0 ? <p className="muted">No coverage gap in this chain.</p> : null}
      <ul className="plain">
        {gaps?.map((g) => (
          <li key={`${g.segment.id}-${g.kind}`} data-testid="gap-item" data-kind={g.kind} data-segment={g.segment.id}>
            <button
              type="button"
              className={`gap-row gap-${g.kind}${selected === g.segment.id ? ' active' : ''}`}
              onClick={() => nav.select(g.segment.id)}
            >
              <span className="gap-name">{g.segment.nameZh ?? g.segment.name}</span>
              <span className="gap-name-en">{g.segment.name}</span>
              <span className="gap-kind">{GAP_KIND_LABEL[g.kind]?.en ?? g.kind}</span>
              <span className="gap-stats">
                R&D firms in Beijing {g.rdFirmsInBeijing} · manufacturers in Tianjin–Hebei{' '}
                {g.manufacturingFirmsInTianjinHebei} · open bottlenecks {g.openBottlenecks}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
