package chainmap

// Exports stream lists and graphs row by row, so that memory stays flat however many rows there are.

// TableWriter receives a table: the header once, then each row as it is read. A cell is a string, an int64, a
// float64, a bool or nil. An error stops the export and is returned by it.
type TableWriter interface {
	Header(columns []string) error
	Row(cells []any) error
}

// GraphWriter receives a graph: every node first, then every edge whose two ends were written. Attribute
// values are strings, int64s, float64s, bools or nil (absent).
type GraphWriter interface {
	Node(n ExportNode) error
	Edge(e ExportEdge) error
}

// ExportNode is a node of an exported graph: its id (its key in the graph), its type (the Neo4j label: Segment,
// Enterprise, …) and its attributes.
type ExportNode struct {
	ID, Type string
	Attrs    map[string]any
}

// Label is what a graph tool shows on the node: its Chinese name, else its name, else its id.
func (n ExportNode) Label() string {
	for _, k := range []string{"nameZh", "name"} {
		if s, ok := n.Attrs[k].(string); ok && s != "" {
			return s
		}
	}
	return n.ID
}

// ExportEdge is a relationship of an exported graph, by the ids of its ends.
type ExportEdge struct {
	ID, Source, Target, Type string
	Attrs                    map[string]any
}

// NodeAttrs and EdgeAttrs are the attributes an exported graph may carry, in order, so that formats that
// declare their attributes up front (GraphML, GEXF) can.
var (
	NodeAttrs = []string{"label", "type", "name", "nameZh", "nameEn", "stage", "order", "kind", "category", "severity",
		"status", "chainRole", "level", "regionCode", "province", "synthetic", "confidence", "sources", "sourcesAsOf"}
	EdgeAttrs = []string{"type", "kind", "year", "contracts", "valueCny", "since", "status", "product", "derived",
		"sources"}
)
