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
import { nameOf, otherName, t, te } from './i18n';

export type Details =
  | { type: 'Enterprise'; data: EnterpriseDetails }
  | { type: 'Segment'; data: SegmentDetails }
  | { type: 'Bottleneck'; data: BottleneckDetails };

/** Lets the panel select records that are drawn (and only those). */
export interface Nav {
  select(id: string): void;
  isDrawn(id: string): boolean;
}


function Names({ name, nameZh, testId }: { name: string; nameZh: string | null; testId?: string }) {
  const other = otherName({ name, nameZh });
  return (
    <div className="names">
      <h2 data-testid={testId}>{nameOf({ name, nameZh })}</h2>
      {other ? <div className="name-en">{other}</div> : null}
    </div>
  );
}

function RecordLink({ r, nav }: { r: Named; nav: Nav }) {
  const label = nameOf(r);
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
        {t('sources')} <span className="count">{sources.length}</span>
        <span className={`badge confidence-${confidence}`} data-testid="confidence" data-confidence={confidence} title={te('confidenceTitle', confidence)}>
          {te('confidence', confidence)}
        </span>
        {asOf ? (
          <span className="as-of" data-testid="as-of" data-date={asOf} title={t('recordAsOfTitle')}>
            {t('recordAsOf', asOf)}
          </span>
        ) : null}
      </h3>
      {evidence ? <p className="evidence">{evidence}</p> : null}
      {sources.length === 0 ? <p className="muted">{t('noSource')}</p> : null}
      <ol>
        {sources.map((s, i) => (
          <li key={`${s.url}-${i}`}>
            <a href={s.url} target="_blank" rel="noopener noreferrer" data-testid="source-link">
              {s.title}
            </a>
            <div className="source-meta">
              {[s.publisher, s.date, te('reliability', s.reliability)].filter(Boolean).join(' · ')}
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
      <div className="kicker">{t('kicker.enterprise')}</div>
      <Names name={d.name} nameZh={d.nameZh} testId="details-name" />
      <div className="badges">
        {d.chainRole ? <span className="badge role">{te('role', d.chainRole)}</span> : null}
        {d.synthetic ? <span className="badge synthetic">{t('synthetic')}</span> : null}
        {provinces.map((p) => (
          <span key={p} className={`badge province province-${p}`}>
            {te('province', p)}
          </span>
        ))}
        {provinces.length === 0 ? <span className="badge">{t('noSiteKnown')}</span> : null}
      </div>
      {d.description ? <p className="description">{d.description}</p> : null}
      <Field label={t('segments')}>
        <ul className="plain">
          {d.segments.map((s) => (
            <li key={s.id}>
              <RecordLink r={s} nav={nav} />
            </li>
          ))}
        </ul>
      </Field>
      <Field label={t('sites')}>
        {d.sites.length === 0 ? <span className="muted">{t('noneRecorded')}</span> : null}
        <ul className="plain sites">
          {d.sites.map((s, i) => (
            <li key={i}>
              <span className="site-kind">{te('site', s.kind)}</span> {s.name}
              <span className="muted"> — {nameOf(s.region)}</span>
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
        {t('kicker.segment', te('stage', d.stage), d.order, nameOf(d.chainMap))}
      </div>
      <Names name={d.name} nameZh={d.nameZh} testId="details-name" />
      {gap ? <GapBadge gap={gap} /> : null}
      {d.description ? <p className="description">{d.description}</p> : null}
      <Field label={t('enterprisesDrawn')}>{firms}</Field>
      {d.upstream.length ? (
        <Field label={t('fedBy')}>
          <ul className="plain">
            {d.upstream.map((s) => (
              <li key={s.id}><RecordLink r={s} nav={nav} /></li>
            ))}
          </ul>
        </Field>
      ) : null}
      {d.downstream.length ? (
        <Field label={t('feeds')}>
          <ul className="plain">
            {d.downstream.map((s) => (
              <li key={s.id}><RecordLink r={s} nav={nav} /></li>
            ))}
          </ul>
        </Field>
      ) : null}
      {d.bottlenecks.length ? (
        <Field label={t('bottlenecks')}>
          <ul className="plain">
            {d.bottlenecks.map((b) => (
              <li key={b.id}>
                <span className={`diamond status-${b.status}`} aria-hidden="true" /> <RecordLink r={b} nav={nav} />
                <span className="muted"> — {t('severityStatus', b.severity, te('status', b.status))}</span>
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
      <div className="kicker">{t('kicker.bottleneck', te('bkind', d.kind))}</div>
      <Names name={d.name} nameZh={d.nameZh} testId="details-name" />
      <div className="badges">
        <span className={`badge status status-${d.status}`}>{te('status', d.status)}</span>
        <span className="badge">{te('bkind', d.kind)}</span>
        <span className="badge">{te('category', d.category)}</span>
        <span className="badge severity" title={t('severityTitle')}>
          {t('severity')} {'◆'.repeat(d.severity)}
          <span className="faint">{'◆'.repeat(Math.max(0, 5 - d.severity))}</span>
        </span>
      </div>
      <ImpactSummary impact={impact} error={impactError} drawn={drawn} />
      {d.description ? <p className="description">{d.description}</p> : null}
      <Field label={t('constrains')}>
        <ul className="plain">
          {d.segments.map((s) => (
            <li key={s.id}><RecordLink r={s} nav={nav} /></li>
          ))}
        </ul>
      </Field>
      <Field label={t('tackledBy')}>
        {d.tacklers.length === 0 ? <span className="muted">{t('noOne')}</span> : null}
        <ul className="plain">
          {d.tacklers.map((x, i) => (
            <li key={i}>
              <RecordLink r={x.actor} nav={nav} />
              <span className="muted">
                {x.actor.__typename === 'Institution' ? t('institutionParen') : ''}
                {x.since ? t('since', String(x.since)) : ''}
                {x.status ? `, ${te('status', x.status)}` : ''}
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
  if (error) return <div className="impact error">{t('impactUnavailable', error)}</div>;
  if (!impact) return <div className="impact loading">{t('impactTracing')}</div>;
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
      <h3>{t('impact')}</h3>
      <p>{t('impactHolds', segs, firms, impact.maxDepth || IMPACT_DEPTH, !!impact.truncated)}</p>
      {elsewhere > 0 ? <p className="muted">{t('impactElsewhere', elsewhere)}</p> : null}
      {impact.regions.length ? (
        <ul className="regions">
          {impact.regions.map((r) => (
            <li key={r.region.code}>
              <span className={`swatch province-${r.region.code}`} aria-hidden="true" />
              {nameOf(r.region)} {otherName(r.region) ? <span className="muted">{otherName(r.region)}</span> : null}
              <span className="num">{r.enterprises}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function GapBadge({ gap }: { gap: CoverageGap }) {
  return (
    <div className={`gap-badge gap-${gap.kind}`}>
      <strong>{t('coverageGap')}</strong> {te('gap', gap.kind)} — {te('gapHint', gap.kind)}
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
        {t('coverageGaps')} {gaps ? <span className="count">{gaps.length}</span> : null}
      </h3>
      <p className="muted small">{t('gapsExplain')}</p>
      {error ? <p className="error">{error}</p> : null}
      {!gaps && !error ? <p className="muted">{t('loading')}</p> : null}
      {gaps && gaps.length === 0 ? <p className="muted">{t('noGap')}</p> : null}
      <ul className="plain">
        {gaps?.map((g) => (
          <li key={`${g.segment.id}-${g.kind}`} data-testid="gap-item" data-kind={g.kind} data-segment={g.segment.id}>
            <button
              type="button"
              className={`gap-row gap-${g.kind}${selected === g.segment.id ? ' active' : ''}`}
              onClick={() => nav.select(g.segment.id)}
            >
              <span className="gap-name">{nameOf(g.segment)}</span>
              <span className="gap-name-en">{otherName(g.segment)}</span>
              <span className="gap-kind">{te('gap', g.kind)}</span>
              <span className="gap-stats">{t('gapStats', g.rdFirmsInBeijing, g.manufacturingFirmsInTianjinHebei, g.openBottlenecks)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
