// The Cytoscape stylesheet of the explorer. Colours match the legend (explore.css and main.tsx).
import type { StylesheetJson } from 'cytoscape';
import { BN_FONT, FIRM_FONT, FIRM_LINE, FONT_FAMILY, NO_SITE_COLOR, SEG_FONT, SEG_LINE } from './layout';

export const COLORS = {
  bottleneck: '#dc2626',
  bottleneckInProgress: '#fca5a5',
  resolved: '#e2e8f0',
  feeds: '#64748b',
  supplies: '#a16207',
  impact: '#dc2626',
  gapRd: '#9333ea',
  gapNone: '#be123c',
  select: '#0f172a',
  bands: { UPSTREAM: '#eef4ff', MIDSTREAM: '#edf8f1', DOWNSTREAM: '#fdf6e7', IN: '#f3f4f6', OUT: '#f3f4f6', UNPLACED: '#f3f4f6' },
  bandText: { UPSTREAM: '#1d4ed8', MIDSTREAM: '#047857', DOWNSTREAM: '#b45309', IN: '#6b7280', OUT: '#6b7280', UNPLACED: '#6b7280' },
};

// Cytoscape accepts properties its type definitions do not list yet (pie slices, underlays); they are checked at
// run time, so the sheet is typed loosely here.
type Rule = { selector: string; style: Record<string, unknown> };

const rules: Rule[] = [
  {
    selector: 'node',
    style: {
      'font-family': FONT_FAMILY,
      color: '#1e293b',
      'text-wrap': 'wrap',
      'text-max-width': '1000px',
      'min-zoomed-font-size': 5,
      'overlay-opacity': 0,
      'transition-property': 'opacity',
      'transition-duration': 150,
    },
  },
  {
    selector: 'node.band',
    style: {
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'background-opacity': 1,
      'border-width': 0,
      label: 'data(label)',
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -6,
      'font-size': 13,
      'font-weight': 'bold',
      'z-compound-depth': 'bottom',
      'z-index': 0,
      events: 'no',
    },
  },
  ...Object.entries(COLORS.bands).map(([band, color]) => ({
    selector: `node.band-${band}`,
    style: { 'background-color': color, color: COLORS.bandText[band as keyof typeof COLORS.bandText] },
  })),
  {
    selector: 'node.segment',
    style: {
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'background-color': '#ffffff',
      'border-width': 1.5,
      'border-color': '#475569',
      label: 'data(label)',
      'text-valign': 'center',
      'text-halign': 'center',
      'font-size': SEG_FONT,
      'font-weight': 'bold',
      'line-height': SEG_LINE / SEG_FONT,
      'z-index': 10,
      'underlay-shape': 'round-rectangle',
    },
  },
  { selector: 'node.segment.stage-UPSTREAM', style: { 'border-color': '#3b82f6' } },
  { selector: 'node.segment.stage-MIDSTREAM', style: { 'border-color': '#10b981' } },
  { selector: 'node.segment.stage-DOWNSTREAM', style: { 'border-color': '#f59e0b' } },
  { selector: 'node.segment.external', style: { 'border-style': 'dashed', 'border-color': '#6b7280', color: '#475569' } },
  {
    selector: 'node.enterprise',
    style: {
      shape: 'ellipse',
      width: 'data(size)',
      height: 'data(size)',
      'background-color': 'data(color)',
      'border-width': 1,
      'border-color': '#ffffff',
      label: 'data(label)',
      'text-valign': 'center',
      'text-halign': 'right',
      'text-justification': 'left',
      'text-margin-x': 5,
      'font-size': FIRM_FONT,
      'line-height': FIRM_LINE / FIRM_FONT,
      'z-index': 20,
    },
  },
  {
    selector: 'node.enterprise.multi',
    style: {
      'pie-size': '100%',
      'pie-1-background-color': 'data(pie1)',
      'pie-1-background-size': 'data(pie1Size)',
      'pie-2-background-color': 'data(pie2)',
      'pie-2-background-size': 'data(pie2Size)',
      'pie-3-background-color': 'data(pie3)',
      'pie-3-background-size': 'data(pie3Size)',
      'border-width': 2,
      'border-color': '#111827',
    },
  },
  {
    selector: 'node.enterprise.no-site',
    style: { 'background-color': NO_SITE_COLOR, 'border-width': 1.5, 'border-style': 'dashed', 'border-color': '#64748b' },
  },
  { selector: 'node.enterprise.synthetic', style: { 'background-opacity': 0.55 } },
  { selector: 'node.enterprise.dense', style: { label: '', 'border-width': 0.5 } },
  {
    selector: 'node.bottleneck',
    style: {
      shape: 'diamond',
      width: 'data(size)',
      height: 'data(size)',
      'background-color': COLORS.bottleneck,
      'border-width': 1.5,
      'border-color': '#7f1d1d',
      label: 'data(label)',
      'text-valign': 'center',
      'text-halign': 'right',
      'text-justification': 'left',
      'text-margin-x': 5,
      'font-size': BN_FONT,
      'line-height': FIRM_LINE / BN_FONT,
      color: '#7f1d1d',
      'z-index': 20,
    },
  },
  {
    selector: 'node.bottleneck.status-IN_PROGRESS',
    style: { 'background-color': COLORS.bottleneckInProgress, 'border-color': COLORS.bottleneck, 'border-width': 2 },
  },
  {
    selector: 'node.bottleneck.status-RESOLVED',
    style: {
      'background-color': COLORS.resolved,
      'border-color': '#94a3b8',
      'border-style': 'dashed',
      color: '#64748b',
    },
  },

  // Edges.
  {
    selector: 'edge',
    style: { width: 1, 'line-color': '#94a3b8', 'curve-style': 'bezier', 'overlay-opacity': 0, 'z-index': 5 },
  },
  {
    selector: 'edge.feeds',
    style: {
      width: 2.5,
      'line-color': COLORS.feeds,
      'target-arrow-color': COLORS.feeds,
      'target-arrow-shape': 'triangle',
      'arrow-scale': 1.1,
      'curve-style': 'straight',
      'z-index': 8,
    },
  },
  {
    selector: 'edge.feeds.routed',
    style: {
      'curve-style': 'segments',
      'segment-distances': 'data(segd)',
      'segment-weights': 'data(segw)',
      'edge-distances': 'node-position',
      'source-endpoint': 'data(sep)',
      'target-endpoint': 'data(tep)',
      'segment-radius': 5,
      width: 2,
    },
  },
  { selector: 'edge.feeds.same-column', style: { 'curve-style': 'bezier' } },
  // A firm's links to its other segments and a bottleneck's to its other segments show with the record's
  // neighbourhood (selection or impact); the ones to its home segment are implied by the grouping.
  {
    selector: 'edge.active-in',
    style: { 'line-style': 'dashed', 'line-dash-pattern': [4, 3], 'line-color': '#475569', display: 'none' },
  },
  {
    selector: 'edge.constrains',
    style: { 'line-color': COLORS.bottleneck, 'line-style': 'dashed', width: 1.5, display: 'none' },
  },
  {
    selector: 'edge.supplies',
    style: {
      width: 1.2,
      'line-color': COLORS.supplies,
      'target-arrow-color': COLORS.supplies,
      'target-arrow-shape': 'vee',
      'arrow-scale': 0.8,
      opacity: 0.55,
    },
  },
  { selector: 'edge.supplies.hidden-supplies', style: { display: 'none' } },

  // Highlights: selection, neighbourhood, impact, coverage gaps.
  { selector: '.dim', style: { opacity: 0.14 } },
  { selector: 'edge.dim', style: { opacity: 0.06 } },
  { selector: 'node.dim.soft', style: { opacity: 0.35 } },
  { selector: 'edge.hl', style: { opacity: 1 } },
  { selector: 'edge.active-in.hl, edge.constrains.hl', style: { display: 'element' } },
  { selector: 'edge.home.hl', style: { display: 'none' } },
  {
    selector: 'node.impact',
    style: { 'underlay-color': COLORS.impact, 'underlay-opacity': 0.22, 'underlay-padding': 5 },
  },
  { selector: 'node.segment.impact', style: { 'border-color': COLORS.impact, 'border-width': 3 } },
  { selector: 'node.enterprise.impact, node.bottleneck.impact', style: { 'font-weight': 'bold', 'underlay-shape': 'ellipse' } },
  { selector: 'edge.impact', style: { 'line-color': COLORS.impact, 'target-arrow-color': COLORS.impact, opacity: 1, width: 3.5 } },
  { selector: 'edge.constrains.impact', style: { width: 2 } },
  {
    selector: 'node.gap-RD_WITHOUT_MANUFACTURING',
    style: {
      'border-color': COLORS.gapRd,
      'border-width': 4,
      'background-color': '#f5edff',
      'underlay-color': COLORS.gapRd,
      'underlay-opacity': 0.18,
      'underlay-padding': 6,
    },
  },
  {
    selector: 'node.gap-NO_FIRM_IN_REGION',
    style: {
      'border-color': COLORS.gapNone,
      'border-width': 4,
      'border-style': 'dashed',
      'background-color': '#fff1f3',
      'underlay-color': COLORS.gapNone,
      'underlay-opacity': 0.15,
      'underlay-padding': 6,
    },
  },
  {
    selector: 'node.selected-node',
    style: {
      'underlay-color': COLORS.select,
      'underlay-opacity': 0.25,
      'underlay-padding': 6,
      'underlay-shape': 'ellipse',
      'font-weight': 'bold',
      'z-index': 30,
    },
  },
  { selector: 'node.segment.selected-node', style: { 'underlay-shape': 'round-rectangle', 'border-width': 3, 'border-color': COLORS.select } },
  { selector: 'node.hover', style: { 'underlay-color': '#334155', 'underlay-opacity': 0.15, 'underlay-padding': 4 } },
];

export const stylesheet = rules as unknown as StylesheetJson;
