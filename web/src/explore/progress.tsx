// The chain's progress over time in the side panel: its bottlenecks at the end of each year as stacked bars
// (resolved at the bottom, then in progress, then open), in inline SVG, coloured like the bottleneck diamonds of
// the drawing and the legend. The years come with the chain query (ChainMap.progress): no request of its own.
import type { YearProgress } from './api';
import { t } from './i18n';
import { COLORS } from './style';

/** The parts of a bar, bottom up; fill and stroke as the legend draws the statuses. */
const PARTS = [
  { status: 'RESOLVED', count: (y: YearProgress) => y.resolvedSoFar, fill: COLORS.resolved, stroke: '#94a3b8' },
  { status: 'IN_PROGRESS', count: (y: YearProgress) => y.inProgress, fill: COLORS.bottleneckInProgress, stroke: COLORS.bottleneck },
  { status: 'OPEN', count: (y: YearProgress) => y.open, fill: COLORS.bottleneck, stroke: '#7f1d1d' },
] as const;

const WIDTH = 320;
const HEIGHT = 120; // of the bars
const TOP = 8;
const BOTTOM = 20; // the year labels
const LEFT = 24; // the scale

/** ProgressChart draws the bottlenecks per year of a chain; a chain with nothing dated gets a sentence instead. */
export function ProgressChart({ years, chainName }: { years: YearProgress[]; chainName: string }) {
  const title = t('progressTitle', chainName);
  return (
    <section className="progress" data-testid="progress">
      <h3>
        {t('progress')} <span className="count">{years.length}</span>
      </h3>
      {years.length === 0 ? (
        <p className="muted small">{t('progressNone')}</p>
      ) : (
        <Bars years={years} title={title} />
      )}
      {years.length > 0 ? (
        <div className="muted small" style={{ display: 'flex', gap: 12 }}>
          {[...PARTS].reverse().map((p) => (
            <span key={p.status}>
              <i style={{ display: 'inline-block', width: 10, height: 10, marginRight: 4, background: p.fill, border: `1px solid ${p.stroke}` }} />
              {t(`progress.${p.status}`)}
            </span>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function Bars({ years, title }: { years: YearProgress[]; title: string }) {
  const total = Math.max(1, ...years.map((y) => y.open + y.inProgress + y.resolvedSoFar));
  const slot = (WIDTH - LEFT) / years.length;
  const barW = Math.min(32, slot * 0.7);
  // Label every year while they fit, else every other one (the last always).
  const every = slot < 22 ? 2 : 1;
  return (
    <svg
      className="progress-chart"
      role="img"
      aria-labelledby="progress-title"
      aria-describedby="progress-desc"
      viewBox={`0 0 ${WIDTH} ${TOP + HEIGHT + BOTTOM}`}
      width="100%"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="progress-title">{title}</title>
      <desc id="progress-desc">{years.map(describe).join('; ')}</desc>
      <line x1={LEFT} y1={TOP + HEIGHT} x2={WIDTH} y2={TOP + HEIGHT} stroke="#64748b" />
      <text x={LEFT - 4} y={TOP + 8} fontSize="10" textAnchor="end" fill="#64748b">{total}</text>
      <text x={LEFT - 4} y={TOP + HEIGHT} fontSize="10" textAnchor="end" fill="#64748b">0</text>
      {years.map((y, i) => {
        const x = LEFT + i * slot + (slot - barW) / 2;
        let base = TOP + HEIGHT;
        return (
          <g key={y.year} data-testid="progress-year" data-year={y.year}>
            {PARTS.map((p) => {
              const n = p.count(y);
              const h = (n * HEIGHT) / total;
              base -= h;
              return (
                <rect
                  key={p.status}
                  data-testid="progress-bar"
                  data-status={p.status}
                  data-count={n}
                  x={x}
                  y={base}
                  width={barW}
                  height={h}
                  fill={p.fill}
                  stroke={n ? p.stroke : 'none'}
                  strokeWidth="1"
                >
                  <title>{`${y.year}: ${n} ${t(`progress.${p.status}`)}`}</title>
                </rect>
              );
            })}
            {i % every === 0 || i === years.length - 1 ? (
              <text x={x + barW / 2} y={TOP + HEIGHT + 14} fontSize="10" textAnchor="middle" fill="#334155">
                {y.year}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** describe says a year's figures in words, for the chart's description. */
function describe(y: YearProgress) {
  return t('progressYear', y.year, y.resolvedSoFar, y.inProgress, y.open, y.started, y.resolvedInYear);
}
