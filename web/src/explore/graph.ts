// The Cytoscape canvas: created once, fed with laid-out elements, and restyled with highlight classes.
import cytoscape from 'cytoscape';
import type { Core, EventObject, NodeSingular } from 'cytoscape';
import type { BuiltGraph } from './layout';
import { stylesheet } from './style';

/** What to emphasise on the canvas; computed by the app from the selection, the impact and the gaps view. */
export interface Highlight {
  selected: string | null;
  /** When set, everything else is dimmed. */
  focus: Set<string> | null;
  /** Node id → extra classes (impact, gap-…). */
  classes: Map<string, string>;
  /** Edges to draw emphasised (and not dimmed). */
  edges: Set<string>;
  /** Edges to draw in the impact colour. */
  impactEdges: Set<string>;
  /** Dim less (the gaps view, where firms and bottlenecks stay legible). */
  soft?: boolean;
}

export interface CanvasEvents {
  onSelect(id: string | null): void;
  onHover(info: { id: string; x: number; y: number } | null): void;
}

/** The smallest zoom at which labels stay readable; a wider chain starts at its upstream end instead of fitting. */
const READABLE_ZOOM = 0.72;

export class Canvas {
  readonly cy: Core;

  constructor(container: HTMLElement, events: CanvasEvents) {
    this.cy = cytoscape({
      container,
      style: stylesheet,
      layout: { name: 'preset' },
      minZoom: 0.08,
      maxZoom: 3,
      autoungrabify: true,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('tap', (ev: EventObject) => {
      if (ev.target === this.cy) events.onSelect(null);
      else if (ev.target.isNode?.() && ev.target.data('type') !== 'Band') events.onSelect(ev.target.id());
    });
    this.cy.on('mouseover', 'node', (ev: EventObject) => {
      const n = ev.target as NodeSingular;
      if (n.data('type') === 'Band') return;
      n.addClass('hover');
      container.style.cursor = 'pointer';
      const p = n.renderedPosition();
      events.onHover({ id: n.id(), x: p.x, y: p.y - n.renderedOuterHeight() / 2 });
    });
    this.cy.on('mouseout', 'node', (ev: EventObject) => {
      ev.target.removeClass('hover');
      container.style.cursor = '';
      events.onHover(null);
    });
    this.cy.on('viewport', () => events.onHover(null));
    // Cytoscape sends no mouseout when the pointer leaves the canvas straight from a node.
    container.addEventListener('mouseleave', () => {
      this.cy.nodes('.hover').removeClass('hover');
      container.style.cursor = '';
      events.onHover(null);
    });
  }

  setGraph(g: BuiltGraph | null) {
    this.cy.batch(() => {
      this.cy.elements().remove();
      if (g) this.cy.add(g.elements);
    });
    this.fit();
  }

  /** fit shows the whole chain when it is readable that way, else its upstream end at a readable zoom. */
  fit() {
    const cy = this.cy;
    if (cy.elements().empty()) return;
    cy.resize();
    cy.fit(undefined, 24);
    if (cy.zoom() < READABLE_ZOOM) {
      const bb = cy.elements().boundingBox();
      cy.zoom(READABLE_ZOOM);
      cy.pan({ x: 24 - bb.x1 * READABLE_ZOOM, y: 24 - bb.y1 * READABLE_ZOOM });
    }
  }

  zoomBy(factor: number) {
    const cy = this.cy;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  setSupplies(show: boolean) {
    this.cy.edges('.supplies').toggleClass('hidden-supplies', !show);
  }

  highlight(h: Highlight) {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass(
        'dim soft hl impact selected-node gap-RD_WITHOUT_MANUFACTURING gap-NO_FIRM_IN_REGION',
      );
      for (const [id, cls] of h.classes) cy.getElementById(id).addClass(cls);
      if (h.selected) cy.getElementById(h.selected).addClass('selected-node');
      if (h.focus) {
        const focus = h.focus;
        cy.nodes().forEach((n) => {
          if (n.data('type') !== 'Band' && !focus.has(n.id())) n.addClass(h.soft ? 'dim soft' : 'dim');
        });
        cy.edges().forEach((e) => {
          if (!h.edges.has(e.id()) && !h.impactEdges.has(e.id())) e.addClass('dim');
        });
      }
      for (const id of h.edges) cy.getElementById(id).addClass('hl');
      for (const id of h.impactEdges) cy.getElementById(id).addClass('hl impact');
    });
  }

  /** Centre a node if it is out of view (after a selection made from the panel). */
  reveal(id: string) {
    const n = this.cy.getElementById(id);
    if (n.empty()) return;
    const p = n.renderedPosition();
    const w = this.cy.width();
    const h = this.cy.height();
    if (p.x < 30 || p.y < 30 || p.x > w - 30 || p.y > h - 30) this.cy.animate({ center: { eles: n } }, { duration: 250 });
  }

  /**
   * Where a node is drawn, in the page's CSS pixels (for the tests' real mouse clicks), or null when it is out of
   * view or covered by something else (the zoom buttons, a tooltip).
   */
  clientPosition(id: string): { x: number; y: number } | null {
    const n = this.cy.getElementById(id);
    const container = this.cy.container();
    if (n.empty() || !n.isNode() || !container) return null;
    const rect = container.getBoundingClientRect();
    const p = n.renderedPosition();
    if (p.x < 0 || p.y < 0 || p.x > rect.width || p.y > rect.height) return null;
    const at = { x: rect.left + p.x, y: rect.top + p.y };
    const hit = document.elementFromPoint(at.x, at.y);
    return hit && container.contains(hit) ? at : null;
  }

  destroy() {
    this.cy.destroy();
  }
}
