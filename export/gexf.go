package export

import (
	"bufio"
	"fmt"
	"io"

	"github.com/chainmap/chainmap"
)

// GEXFFormat is the extension of GEXF files.
const GEXFFormat = "gexf"

// gexf writes GEXF 1.3 (https://gexf.net/) as it goes, from the same nodes and edges as GraphML: the
// attributes chainmap.NodeAttrs and chainmap.EdgeAttrs name, declared first, then the nodes and the edges with
// their values (attvalues). A node's label is GEXF's own label; an edge's type is its label and its type
// attribute. Gephi and networkx read it.
type gexf struct {
	w     *bufio.Writer
	edges bool // the nodes are closed and the edges open
	err   error
}

// NewGEXF returns a GEXF writer to w; name becomes the graph's description.
func NewGEXF(w io.Writer, name string) Graph {
	g := &gexf{w: bufio.NewWriterSize(w, 32<<10)}
	g.printf(`<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>chainmap</creator>
    <description>%s</description>
  </meta>
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node" mode="static">
`, escape(name))
	for _, a := range chainmap.NodeAttrs {
		if a != "label" { // GEXF's own
			g.printf("      <attribute id=\"n_%s\" title=\"%s\" type=\"%s\"/>\n", a, a, gexfType(a))
		}
	}
	g.printf("    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n")
	for _, a := range chainmap.EdgeAttrs {
		g.printf("      <attribute id=\"e_%s\" title=\"%s\" type=\"%s\"/>\n", a, a, gexfType(a))
	}
	g.printf("    </attributes>\n    <nodes>\n")
	return g
}

// gexfType is the GEXF type of an attribute.
func gexfType(name string) string {
	if t := attrType(name); t != "int" {
		return t // string, double, boolean: the same names as GraphML's
	}
	return "integer"
}

func (g *gexf) printf(format string, args ...any) {
	if g.err == nil {
		_, g.err = fmt.Fprintf(g.w, format, args...)
	}
}

func (g *gexf) attvalues(prefix string, values []attrValue) {
	if len(values) == 0 {
		return
	}
	g.printf("        <attvalues>\n")
	for _, a := range values {
		g.printf("          <attvalue for=\"%s_%s\" value=\"%s\"/>\n", prefix, a.name, escape(a.text))
	}
	g.printf("        </attvalues>\n")
}

func (g *gexf) Node(n chainmap.ExportNode) error {
	if g.edges {
		return fmt.Errorf("gexf: node %s after the edges", n.ID)
	}
	g.printf("      <node id=\"%s\" label=\"%s\">\n", escape(n.ID), escape(n.Label()))
	var values []attrValue
	for _, a := range nodeValues(n) {
		if a.name != "label" {
			values = append(values, a)
		}
	}
	g.attvalues("n", values)
	g.printf("      </node>\n")
	return g.err
}

func (g *gexf) Edge(e chainmap.ExportEdge) error {
	g.startEdges()
	g.printf("      <edge id=\"%s\" source=\"%s\" target=\"%s\" label=\"%s\">\n", escape(e.ID), escape(e.Source),
		escape(e.Target), escape(e.Type))
	g.attvalues("e", edgeValues(e))
	g.printf("      </edge>\n")
	return g.err
}

// startEdges closes the nodes and opens the edges, once: a GraphWriter gets every node before any edge.
func (g *gexf) startEdges() {
	if !g.edges {
		g.edges = true
		g.printf("    </nodes>\n    <edges>\n")
	}
}

func (g *gexf) Close() error {
	g.startEdges()
	g.printf("    </edges>\n  </graph>\n</gexf>\n")
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}
