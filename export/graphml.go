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

func (g *graphML) data(prefix string, names []string, attrs map[string]any) {
	for _, a := range names {
		v, ok := attrs[a]
		if !ok || v == nil {
			continue
		}
		s := text(v)
		if attrType(a) == "int" || attrType(a) == "double" {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				continue // a value that is not a number is left out rather than break the file
			}
		}
		g.printf("      <data key=\"%s_%s\">%s</data>\n", prefix, a, escape(s))
	}
}

func (g *graphML) Node(n chainmap.ExportNode) error {
	g.printf("    <node id=\"%s\">\n", escape(n.ID))
	attrs := map[string]any{"label": n.Label}
	for k, v := range n.Attrs {
		attrs[k] = v
	}
	g.data("n", chainmap.NodeAttrs, attrs)
	g.printf("    </node>\n")
	return g.err
}

func (g *graphML) Edge(e chainmap.ExportEdge) error {
	g.printf("    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", escape(e.ID), escape(e.Source), escape(e.Target))
	attrs := map[string]any{"type": e.Type}
	for k, v := range e.Attrs {
		attrs[k] = v
	}
	g.data("e", chainmap.EdgeAttrs, attrs)
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
