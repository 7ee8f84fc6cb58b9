package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/chainmap/chainmap"
)

// GraphMLFormat is the extension of GraphML files.
const GraphMLFormat = "graphml"

// Graph is a chainmap.GraphWriter to a file format; Close finishes the file.
type Graph interface {
	chainmap.GraphWriter
	Close() error
}

// graphML writes GraphML (http://graphml.graphdrawing.org/) as it goes: the key declarations of every
// attribute chainmap.NodeAttrs and chainmap.EdgeAttrs name first, then the nodes and edges. Gephi, yEd,
// networkx and igraph read it.
type graphML struct {
	w       *bufio.Writer
	started bool
	err     error
}

// NewGraphML returns a GraphML writer to w; name becomes the graph's id.
func NewGraphML(w io.Writer, name string) Graph {
	g := &graphML{w: bufio.NewWriterSize(w, 32<<10)}
	g.printf(`<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`)
	for _, a := range chainmap.NodeAttrs {
		g.printf("  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n", a, a, attrType(a))
	}
	for _, a := range chainmap.EdgeAttrs {
		g.printf("  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n", a, a, attrType(a))
	}
	g.printf("  <graph id=\"%s\" edgedefault=\"directed\">\n", escape(name))
	return g
}

// attrType is the GraphML type of an attribute.
func attrType(name string) string {
	switch name {
	case "order", "severity", "year", "contracts", "since":
		return "int"
	case "valueCny":
		return "double"
	case "synthetic", "derived":
		return "boolean"
	}
	return "string"
}

func (g *graphML) printf(format string, args ...any) {
	if g.err == nil {
		_, g.err = fmt.Fprintf(g.w, format, args...)
	}
}

// attrValue is one attribute of a node or edge, as text.
type attrValue struct{ name, text string }

// attrValues lists, in the order names declares them, the attributes attrs holds, as text: absent values are
// left out, and so is a value of a number attribute that is not a number, rather than break the file. Every
// graph format writes these.
func attrValues(names []string, attrs map[string]any) []attrValue {
	var out []attrValue
	for _, a := range names {
		v, ok := attrs[a]
		if !ok || v == nil {
			continue
		}
		s := text(v)
		if attrType(a) == "int" || attrType(a) == "double" {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		out = append(out, attrValue{a, s})
	}
	return out
}

// nodeValues are the attributes of a node: its label (what Gephi and yEd show) and type, then its own.
func nodeValues(n chainmap.ExportNode) []attrValue {
	attrs := map[string]any{"label": n.Label(), "type": n.Type}
	for k, v := range n.Attrs {
		attrs[k] = v
	}
	return attrValues(chainmap.NodeAttrs, attrs)
}

// edgeValues are the attributes of an edge: its type, then its own.
func edgeValues(e chainmap.ExportEdge) []attrValue {
	attrs := map[string]any{"type": e.Type}
	for k, v := range e.Attrs {
		attrs[k] = v
	}
	return attrValues(chainmap.EdgeAttrs, attrs)
}

func (g *graphML) Node(n chainmap.ExportNode) error {
	g.printf("    <node id=\"%s\">\n", escape(n.ID))
	for _, a := range nodeValues(n) {
		g.printf("      <data key=\"n_%s\">%s</data>\n", a.name, escape(a.text))
	}
	g.printf("    </node>\n")
	return g.err
}

func (g *graphML) Edge(e chainmap.ExportEdge) error {
	g.printf("    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", escape(e.ID), escape(e.Source), escape(e.Target))
	for _, a := range edgeValues(e) {
		g.printf("      <data key=\"e_%s\">%s</data>\n", a.name, escape(a.text))
	}
	g.printf("    </edge>\n")
	return g.err
}

func (g *graphML) Close() error {
	g.printf("  </graph>\n</graphml>\n")
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

// escape makes text safe inside XML text and attribute values; characters XML 1.0 forbids become U+FFFD.
func escape(s string) string {
	var b xmlBuf
	_ = xml.EscapeText(&b, []byte(s))
	return string(b)
}

type xmlBuf []byte

func (b *xmlBuf) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
