// Turns chainGraph's payload into Cytoscape elements with fixed (preset) positions:
//
//   - one column per distinct segment `order` of the chain, upstream on the left; segments that share an order
//     are stacked in their column; segments of other chains that FEEDS links reach get a column of their own at
//     the left (they feed this chain) or right (this chain feeds them);
//   - stage bands (UPSTREAM / MIDSTREAM / DOWNSTREAM) behind the columns of each stage;
//   - in each column, top to bottom: the bottlenecks that constrain the segment (red diamonds), the segment box,
//     and the enterprises active in it (dots coloured by province), each firm under its most upstream segment of
//     the chain; a column with many firms shows them as a grid of small unlabelled dots.
//
// Labels are wrapped here, with the canvas's own text metrics, so that they never run into the next column.
import type { ElementDefinition } from 'cytoscape';
import type { GraphEdge, GraphNode } from './api';
import { nameOf, otherName, te } from './i18n';

export const FONT_FAMILY =
  '"Helvetica Neue", Arial, "Liberation Sans", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", sans-serif';

/** Province codes of Jing-Jin-Ji, with their legend names and colours. */
export const PROVINCES: Record<string, { name: string; nameZh: string; color: string }> = {
  '110000': { name: 'Beijing', nameZh: '北京', color: '#2563eb' },
  '120000': { name: 'Tianjin', nameZh: '天津', color: '#0d9488' },
  '130000': { name: 'Hebei', nameZh: '河北', color: '#ea8a0c' },
};
export const OTHER_PROVINCE_COLOR = '#8b5cf6';
export const NO_SITE_COLOR = '#cbd5e1';

export const STAGES = ['UPSTREAM', 'MIDSTREAM', 'DOWNSTREAM'] as const;

// Geometry, in model units (= CSS pixels at zoom 1).
const COL_W = 104; // content width of a column
const PITCH = 118; // distance between column centres
export const SEG_FONT = 11;
export const SEG_LINE = 13.5;
export const FIRM_FONT = 10.5;
export const FIRM_LINE = 12.5;
const FIRM_DOT = 12;
export const BN_FONT = 10.5;
const DENSE_AT = 30; // more firms than this in a column: a grid of small dots
const DENSE_DOT = 8;
const DENSE_CELL = 13;
const LANE = 8; // vertical distance between the lanes of skipping FEEDS links

let measureCtx: CanvasRenderingContext2D | null = null;
function measure(text: string, font: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 6;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/**
 * wrap breaks text into at most maxLines lines no wider than width (at the given font), between words for Latin
 * text and between characters for Chinese; the last line ends in … when the text does not fit.
 */
export function wrap(text: string, width: number, fontPx: number, maxLines: number, weight = 'normal'): string[] {
  const font = `${weight} ${fontPx}px ${FONT_FAMILY}`;
  const tokens: string[] = [];
  for (const m of text.trim().matchAll(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/g)) {
    tokens.push(m[0]);
  }
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const next = line + tok;
    if (measure(next.trimEnd(), font) <= width || line === '') {
      if (line === '' && measure(tok.trimEnd(), font) > width && !CJK.test(tok)) {
        // A single word wider than the line: cut it.
        let cut = tok;
        while (cut.length > 1 && measure(cut + '…', font) > width) cut = cut.slice(0, -1);
        line = cut + '…';
        if (i < tokens.length - 1) line += ' ';
        continue;
      }
      line = next;
      continue;
    }
    lines.push(line.trimEnd());
    line = tok.trimStart();
    if (lines.length === maxLines) {
      line = '';
      // Text is left over: mark the last line as cut.
      let last = lines[maxLines - 1];
      while (last.length > 1 && measure(last + '…', font) > width) last = last.slice(0, -1).trimEnd();
      lines[maxLines - 1] = last.replace(/[\s,;:(（-]+$/, '') + '…';
      return lines;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  // No lone Chinese character on the last line: take one more from the line before.
  const n = lines.length;
  if (n >= 2 && [...lines[n - 1]].length === 1 && CJK.test(lines[n - 1]) && CJK.test(lines[n - 2].slice(-1))) {
    lines[n - 1] = lines[n - 2].slice(-1) + lines[n - 1];
    lines[n - 2] = lines[n - 2].slice(0, -1);
  }
  return lines;
}

export interface Counts {
  segments: number;
  enterprises: number;
  bottlenecks: number;
  supplies: number;
}

export interface BuiltGraph {
  elements: ElementDefinition[];
  counts: Counts;
  /** Payload nodes by id, for names and properties. */
  nodes: Map<string, GraphNode>;
  /** Segment id → the ids of the firms placed under it. */
  firmsBySegment: Map<string, string[]>;
  /** Whether the chain has so many supply links that they start hidden. */
  manySupplies: boolean;
  /** Bottleneck id → how many drawn segments it constrains. */
  constrainsCount: Map<string, number>;
}

interface Column {
  key: string;
  band: string; // a stage, IN, OUT or UNPLACED
  segments: GraphNode[];
}

const provinceColor = (code: string) => PROVINCES[code]?.color ?? OTHER_PROVINCE_COLOR;

/** build lays out a chain graph; chainMapId tells the chain's own segments from other chains' ones. */
export function build(chainMapId: string, payload: { nodes: GraphNode[]; edges: GraphEdge[] }): BuiltGraph {
  const nodes = new Map(payload.nodes.map((n) => [n.id, n]));
  const segments = payload.nodes.filter((n) => n.type === 'Segment');
  const own = segments.filter((s) => s.chainMapId === chainMapId);
  const ownIds = new Set(own.map((s) => s.id));
  const edges = payload.edges.filter((e) => nodes.has(e.source) && nodes.has(e.target));

  // Columns: distinct orders of the chain's own segments, then other chains' segments at either end.
  const byOrder = new Map<number, GraphNode[]>();
  for (const s of own) {
    const o = s.order ?? 0;
    if (!byOrder.has(o)) byOrder.set(o, []);
    byOrder.get(o)!.push(s);
  }
  const stageRank = (s: GraphNode) => Math.max(0, STAGES.indexOf((s.stage ?? 'MIDSTREAM') as (typeof STAGES)[number]));
  const columns: Column[] = [...byOrder.entries()]
    .sort(([a], [b]) => a - b)
    .map(([o, segs]) => {
      segs.sort((a, b) => stageRank(a) - stageRank(b) || a.name.localeCompare(b.name));
      return { key: `order-${o}`, band: segs[0].stage ?? 'MIDSTREAM', segments: segs };
    });
  const external = segments.filter((s) => !ownIds.has(s.id));
  const feedsIn = external.filter((s) => edges.some((e) => e.type === 'FEEDS' && e.source === s.id && ownIds.has(e.target)));
  const feedsOut = external.filter((s) => !feedsIn.includes(s));
  if (feedsIn.length) columns.unshift({ key: 'in', band: 'IN', segments: feedsIn });
  if (feedsOut.length) columns.push({ key: 'out', band: 'OUT', segments: feedsOut });

  // Home segment of each firm and bottleneck: its most upstream drawn segment, own chain first.
  const colOf = new Map<string, number>();
  columns.forEach((c, i) => c.segments.forEach((s) => colOf.set(s.id, i)));
  const rank = (segId: string) => (ownIds.has(segId) ? 0 : 1000) + (colOf.get(segId) ?? 999);
  const homeOf = new Map<string, string>();
  for (const e of edges) {
    if (e.type !== 'ACTIVE_IN' && e.type !== 'CONSTRAINS') continue;
    if (!colOf.has(e.target)) continue;
    const cur = homeOf.get(e.source);
    if (cur === undefined || rank(e.target) < rank(cur)) homeOf.set(e.source, e.target);
  }
  const firmsBySegment = new Map<string, string[]>();
  const bnsBySegment = new Map<string, GraphNode[]>();
  const unplaced: GraphNode[] = [];
  for (const n of payload.nodes) {
    if (n.type !== 'Enterprise' && n.type !== 'Bottleneck') continue;
    const home = homeOf.get(n.id);
    if (!home) {
      if (n.type === 'Enterprise') unplaced.push(n);
      continue;
    }
    if (n.type === 'Enterprise') {
      if (!firmsBySegment.has(home)) firmsBySegment.set(home, []);
      firmsBySegment.get(home)!.push(n.id);
    } else {
      if (!bnsBySegment.has(home)) bnsBySegment.set(home, []);
      bnsBySegment.get(home)!.push(n);
    }
  }
  const byName = (a: GraphNode, b: GraphNode) => a.name.localeCompare(b.name, 'en');
  for (const ids of firmsBySegment.values()) ids.sort((a, b) => byName(nodes.get(a)!, nodes.get(b)!));
  for (const bns of bnsBySegment.values()) bns.sort((a, b) => (b.severity ?? 0) - (a.severity ?? 0) || byName(a, b));
  if (unplaced.length) columns.push({ key: 'unplaced', band: 'UNPLACED', segments: [] });

  // Segment labels: the name in the language shown over the other one; every box as tall as the tallest.
  const segLabels = new Map<string, { lines: string[]; h: number }>();
  for (const s of segments) {
    const other = otherName(s);
    const first = wrap(nameOf(s), COL_W - 10, SEG_FONT, other && CJK.test(nameOf(s)) ? 2 : 5, 'bold');
    const second = other ? wrap(other, COL_W - 10, SEG_FONT, CJK.test(other) ? 2 : 5, 'bold') : [];
    const lines = [...first, ...second];
    segLabels.set(s.id, { lines, h: 14 + lines.length * SEG_LINE });
  }
  const segHeight = Math.max(40, ...[...segLabels.values()].map((l) => l.h));

  // FEEDS links that skip columns run in lanes just above the segment boxes, shortest lowest, so that they
  // cross no box; the bottlenecks sit above the lanes.
  const lanes = new Map<string, number>();
  edges
    .filter((e) => e.type === 'FEEDS' && colOf.has(e.source) && colOf.has(e.target))
    .map((e) => ({ e, span: Math.abs(colOf.get(e.target)! - colOf.get(e.source)!) }))
    .filter((x) => x.span > 1)
    .sort((a, b) => a.span - b.span || a.e.id.localeCompare(b.e.id))
    .forEach((x, k) => lanes.set(x.e.id, k));
  const laneY = (k: number) => 9 + k * LANE;
  const lanesHeight = lanes.size ? laneY(lanes.size - 1) + 8 : 0;

  // Firms active in more of the drawn segments than their home one say so: "+N".
  const extraSegments = new Map<string, number>();
  for (const e of edges) {
    if (e.type === 'ACTIVE_IN' && colOf.has(e.target) && homeOf.get(e.source) !== e.target) {
      extraSegments.set(e.source, (extraSegments.get(e.source) ?? 0) + 1);
    }
  }

  const elements: ElementDefinition[] = [];
  const segPos = new Map<string, { x: number; y: number; row: number; col: number }>();
  const top = { y: 0 };
  const bottom = { y: 0 };
  const colX = (i: number) => i * PITCH;
  const left = (i: number) => colX(i) - COL_W / 2;

  const placeFirms = (firms: GraphNode[], i: number, y0: number): number => {
    let y = y0;
    if (firms.length > DENSE_AT) {
      const perRow = Math.floor(COL_W / DENSE_CELL);
      firms.forEach((f, k) => {
        const x = left(i) + DENSE_CELL / 2 + (k % perRow) * DENSE_CELL;
        const yy = y0 + DENSE_CELL / 2 + Math.floor(k / perRow) * DENSE_CELL;
        elements.push(firmElement(f, x, yy, [], true));
      });
      y = y0 + Math.ceil(firms.length / perRow) * DENSE_CELL;
    } else {
      for (const f of firms) {
        const extra = extraSegments.get(f.id);
        const lines = wrap(extra ? `${nameOf(f)} (+${extra})` : nameOf(f), COL_W - FIRM_DOT - 5, FIRM_FONT, 3);
        const h = Math.max(FIRM_DOT, lines.length * FIRM_LINE) + 7;
        elements.push(firmElement(f, left(i) + FIRM_DOT / 2, y + h / 2, lines, false));
        y += h;
      }
    }
    bottom.y = Math.max(bottom.y, y);
    return y;
  };

  columns.forEach((col, i) => {
    let cursor = 0; // top of the next segment box
    col.segments.forEach((s, k) => {
      const bns = bnsBySegment.get(s.id) ?? [];
      // Bottlenecks, most severe nearest the segment, stacked upwards from just above the box.
      const bnRows = bns.map((b) => {
        const size = bottleneckSize(b.severity);
        const lines = wrap(nameOf(b), COL_W - size - 5, BN_FONT, 3);
        return { b, size, lines, h: Math.max(size, lines.length * FIRM_LINE) + 6 };
      });
      const bnHeight = bnRows.reduce((sum, r) => sum + r.h, 0);
      if (k > 0) cursor += bnHeight + 30;
      let y = cursor - (k === 0 ? lanesHeight : 0) - 6;
      for (const r of bnRows) {
        elements.push({
          group: 'nodes',
          data: {
            id: r.b.id, type: 'Bottleneck', label: r.lines.join('\n'), name: r.b.name, nameZh: r.b.nameZh ?? '',
            size: r.size, severity: r.b.severity ?? 0, status: r.b.status ?? 'OPEN', kind: r.b.kind ?? '',
          },
          position: { x: left(i) + r.size / 2, y: y - r.h / 2 },
          classes: `bottleneck status-${r.b.status ?? 'OPEN'}`,
        });
        y -= r.h;
      }
      top.y = Math.min(top.y, y);

      const ext = !ownIds.has(s.id);
      const { lines } = segLabels.get(s.id)!;
      elements.push({
        group: 'nodes',
        data: {
          id: s.id, type: 'Segment', label: lines.join('\n'), name: s.name, nameZh: s.nameZh ?? '',
          stage: s.stage ?? '', order: s.order ?? 0, chainMapId: s.chainMapId ?? '', w: COL_W, h: segHeight,
        },
        position: { x: colX(i), y: cursor + segHeight / 2 },
        classes: `segment stage-${s.stage ?? 'NONE'}${ext ? ' external' : ''}`,
      });
      segPos.set(s.id, { x: colX(i), y: cursor + segHeight / 2, row: k, col: i });
      const firms = (firmsBySegment.get(s.id) ?? []).map((id) => nodes.get(id)!);
      cursor = placeFirms(firms, i, cursor + segHeight + 12);
    });
    if (col.key === 'unplaced') placeFirms(unplaced.sort(byName), i, 0);
  });

  // Stage bands behind the columns, with their labels above.
  const bandTop = top.y - 20;
  const bandBottom = bottom.y + 16;
  let start = 0;
  for (let i = 1; i <= columns.length; i++) {
    if (i < columns.length && columns[i].band === columns[start].band) continue;
    const band = columns[start].band;
    const x0 = colX(start) - PITCH / 2 + 4;
    const x1 = colX(i - 1) + PITCH / 2 - 4;
    elements.push({
      group: 'nodes',
      data: { id: `band:${start}`, type: 'Band', label: te('band', band), w: x1 - x0, h: bandBottom - bandTop },
      position: { x: (x0 + x1) / 2, y: (bandTop + bandBottom) / 2 },
      classes: `band band-${band}`,
      selectable: false,
      grabbable: false,
    });
    start = i;
  }

  // FEEDS routing. Neighbours on the main row: a straight arrow. Links that skip columns leave the top of the
  // source box, run in their lane above the row and drop into the top of the target box; links from or to a box
  // stacked lower in its column leave and enter by the box's side and run up and down the gutters between
  // columns. Cytoscape's segment edges take their bend points relative to the line between the two node centres
  // (weight along it, distance across it), so the absolute points are converted.
  const laneUsers = new Map<string, string[]>(); // segment id → lane edges touching its top, by lane
  for (const [id] of [...lanes].sort((x, y) => x[1] - y[1])) {
    const e = edges.find((x) => x.id === id)!;
    for (const end of [e.source, e.target]) {
      if (segPos.get(end)?.row !== 0) continue;
      if (!laneUsers.has(end)) laneUsers.set(end, []);
      laneUsers.get(end)!.push(id);
    }
  }
  const topOffset = (seg: string, edgeId: string) => {
    const users = laneUsers.get(seg) ?? [edgeId];
    const i = users.indexOf(edgeId);
    const step = Math.min(9, (COL_W - 24) / Math.max(1, users.length - 1));
    return Math.round((i - (users.length - 1) / 2) * step);
  };
  function routeFeeds(e: GraphEdge): 'same-column' | Record<string, unknown> | null {
    const S = segPos.get(e.source);
    const T = segPos.get(e.target);
    if (!S || !T) return null;
    if (S.col === T.col) return 'same-column';
    const span = Math.abs(T.col - S.col);
    const lane = lanes.get(e.id);
    if (S.row === 0 && T.row === 0 && (span === 1 || lane === undefined)) return null;
    const dir = Math.sign(T.col - S.col);
    const points: { x: number; y: number }[] = [];
    let sep: string;
    let tep: string;
    if (S.row === 0 && T.row === 0) {
      const ly = -laneY(lane!);
      const os = topOffset(e.source, e.id);
      const ot = topOffset(e.target, e.id);
      points.push({ x: S.x + os, y: ly }, { x: T.x + ot, y: ly });
      sep = `${os}px -50%`;
      tep = `${ot}px -50%`;
    } else {
      const gs = S.x + (dir * PITCH) / 2;
      const gt = T.x - (dir * PITCH) / 2;
      points.push({ x: gs, y: S.y });
      if (span > 1 && lane !== undefined) points.push({ x: gs, y: -laneY(lane) }, { x: gt, y: -laneY(lane) });
      points.push({ x: gt, y: T.y });
      sep = dir > 0 ? '50% 0%' : '-50% 0%';
      tep = dir > 0 ? '-50% 0%' : '50% 0%';
    }
    const dx = T.x - S.x;
    const dy = T.y - S.y;
    const len = Math.hypot(dx, dy);
    const weights = points.map((p) => ((p.x - S.x) * dx + (p.y - S.y) * dy) / (len * len));
    const distances = points.map((p) => (dx * (p.y - S.y) - dy * (p.x - S.x)) / len);
    return { segw: weights, segd: distances, sep, tep };
  }

  // Edges. A firm's link to its home segment and a bottleneck's to its own are implied by the grouping.
  let supplies = 0;
  const constrainsCount = new Map<string, number>();
  for (const e of edges) {
    if (e.type === 'CONSTRAINS') constrainsCount.set(e.source, (constrainsCount.get(e.source) ?? 0) + 1);
    const classes: string[] = [];
    const data: Record<string, unknown> = { id: e.id, source: e.source, target: e.target, type: e.type };
    switch (e.type) {
      case 'FEEDS': {
        classes.push('feeds');
        const route = routeFeeds(e);
        if (route === 'same-column') classes.push('same-column');
        else if (route) {
          classes.push('routed');
          Object.assign(data, route);
        }
        break;
      }
      case 'ACTIVE_IN':
        classes.push('active-in');
        if (homeOf.get(e.source) === e.target) classes.push('home');
        break;
      case 'CONSTRAINS':
        classes.push('constrains');
        if (homeOf.get(e.source) === e.target) classes.push('home');
        break;
      case 'SUPPLIES':
        classes.push('supplies');
        supplies++;
        break;
      default:
        classes.push('other-edge');
    }
    elements.push({ group: 'edges', data, classes: classes.join(' ') });
  }

  const count = (t: string) => payload.nodes.filter((n) => n.type === t).length;
  return {
    elements,
    counts: { segments: count('Segment'), enterprises: count('Enterprise'), bottlenecks: count('Bottleneck'), supplies },
    nodes,
    firmsBySegment,
    manySupplies: supplies > 400,
    constrainsCount,
  };
}

/** Diamond size by severity 1–5. */
export function bottleneckSize(severity: number | null | undefined): number {
  const s = Math.min(5, Math.max(1, severity ?? 3));
  return 10 + s * 3;
}

function firmElement(f: GraphNode, x: number, y: number, lines: string[], dense: boolean): ElementDefinition {
  const provinces = [...new Set(f.provinces?.length ? f.provinces : f.province ? [f.province] : [])].sort();
  const classes = ['enterprise'];
  const data: Record<string, unknown> = {
    id: f.id, type: 'Enterprise', label: lines.join('\n'), name: f.name, nameZh: f.nameZh ?? '',
    provinces: provinces.join(','), size: dense ? DENSE_DOT : FIRM_DOT,
    color: provinces.length ? provinceColor(provinces[0]) : NO_SITE_COLOR,
  };
  if (dense) classes.push('dense');
  if (f.synthetic) classes.push('synthetic');
  if (provinces.length === 0) classes.push('no-site');
  else if (provinces.length > 1) {
    classes.push('multi');
    // Pie slices, one per province (at most three drawn).
    const shown = provinces.slice(0, 3);
    for (let k = 0; k < 3; k++) {
      data[`pie${k + 1}`] = provinceColor(shown[k] ?? shown[0]);
      data[`pie${k + 1}Size`] = k < shown.length ? 100 / shown.length : 0;
    }
  } else if (!PROVINCES[provinces[0]]) classes.push('other-province');
  return { group: 'nodes', data, position: { x, y }, classes: classes.join(' ') };
}
