package chainmap

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
)

// A dump (`chainmap dump`) is the whole graph written as seed files: the curated record kinds, plus what a load
// of curated seeds cannot know — where a record came from, who created and edited it and when, its status
// history, the properties and relationships that differ from what its fields give — the nodes and
// relationships no record kind holds, and the change log's position. Loading a dump into an empty database
// gives back, node for node and relationship for relationship, the graph it was taken from.

// ErrNotEmpty is returned, and nothing is written, when a dump is loaded into a database that holds data: a
// dump restores a graph, it does not merge into one.
var ErrNotEmpty = errors.New("the database is not empty")

// Origins of records: curated seed files, the API, the synthetic-data generator.
const (
	OriginSeed = "seed"
	OriginAPI  = "api"
	OriginGen  = "gen"
)

// Origins lists the origins a record may have.
var Origins = []string{OriginSeed, OriginAPI, OriginGen}

// Marker labels say something about a node besides its kind; Ref skips them.
var markerLabels = map[string]bool{"Record": true, "Synthetic": true}

// StoredGraph is a database's data as stored: every node with its labels and properties, every relationship with
// its type, ends and properties, and the change log's position. Property values are canonical (see
// CanonicalValue). The change log's entries and the nodes that coordinate processes (leases) are not data.
type StoredGraph struct {
	Nodes        []StoredNode
	Rels         []StoredRel
	ChangeLogSeq int64 // the seq of the last change the data reflects
	// SettledSeq, when set, says that changes committed while the graph was read: it reflects every change up
	// to ChangeLogSeq and some after it, and is exact once the changes up to SettledSeq are replayed on it.
	SettledSeq int64
}

// StoredNode is a node: its labels (sorted) and properties.
type StoredNode struct {
	Labels []string
	Props  map[string]any
}

// StoredRel is a relationship between two nodes named by their refs (see Ref).
type StoredRel struct {
	Type     string
	From, To string
	Props    map[string]any
}

// KeyProps are the properties that key a node, in order of preference: records have an id, regions a code,
// tombstones (:Deleted) a key.
var KeyProps = []string{"id", "code", "key"}

// Ref names a node within a graph: its kind (its first label, in sorted order, that is not a marker label
// such as Record) and its key (see KeyProps), e.g. "Enterprise/sinohytec" or "Region/110000". It returns ""
// for a node without a string key.
func Ref(labels []string, props map[string]any) string {
	for _, p := range KeyProps {
		if key, _ := props[p].(string); key != "" {
			return RefOf(KindLabel(labels), key)
		}
	}
	return ""
}

// RefOf joins a kind label and a key into a ref.
func RefOf(kind, key string) string { return kind + "/" + key }

// SplitRef splits a ref into its kind label and key.
func SplitRef(ref string) (kind, key string) {
	kind, key, _ = strings.Cut(ref, "/")
	return kind, key
}

// KindLabel returns the label that says what kind of node a node with these labels is.
func KindLabel(labels []string) string {
	sorted := append([]string(nil), labels...)
	sort.Strings(sorted)
	for _, l := range sorted {
		if !markerLabels[l] {
			return l
		}
	}
	if len(sorted) > 0 {
		return sorted[0]
	}
	return ""
}

// DumpState is what a dataset read from a dump holds besides its records.
type DumpState struct {
	ChangeLogSeq int64
	SettledSeq   int64 // see StoredGraph.SettledSeq
	// Records holds, by ref, what a record carries beyond its seed fields. Records of origin seed that carry
	// nothing else have no entry.
	Records map[string]*Stored
	// StatusHistory holds each bottleneck's status changes, by bottleneck id, in seq order.
	StatusHistory map[string][]StatusEntry
	// Nodes and Rels are the nodes and relationships that no record holds, as stored.
	Nodes []StoredNode
	Rels  []StoredRel
}

// Stored is what a dump records about one record besides its seed fields.
type Stored struct {
	Origin    string // "" means OriginSeed
	CreatedBy string
	EditedBy  string
	EditedAt  string
	// Labels, when set, are the node's labels (sorted), when they differ from those of its kind and origin.
	Labels []string
	// Props are properties the node (or, for supply links and tech transfers, the relationship) has with
	// other values than its fields give, or that no field gives; Unset are properties its fields give that it
	// lacks.
	Props map[string]any
	Unset []string
	// Links are the record's relationships whose properties differ from the default for its origin.
	Links []StoredLink
}

// StoredLink is one relationship of a record, named by its type and the key of the node at its other end: Props are
// its properties, or Absent says that the relationship its fields give does not exist.
type StoredLink struct {
	Type   string
	With   string
	Props  map[string]any
	Absent bool
}

// StatusEntry is one entry of a bottleneck's status history as stored.
type StatusEntry struct {
	ID       string
	Seq      int
	From, To string
	Note     string
	Author   string
	At       string
}

// CanonicalValue turns a property value into the one form graphs compare in: integers as int64, floats as
// float64, lists as []any of canonical values. Other values are returned as they are.
func CanonicalValue(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = CanonicalValue(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []int:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = int64(e)
		}
		return out
	case []int64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return v
}

// CanonicalProps returns a copy of props with canonical values.
func CanonicalProps(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		out[k] = CanonicalValue(v)
	}
	return out
}

// SameValue reports whether two canonical values are equal (NaN equals NaN, so that a graph equals itself).
func SameValue(a, b any) bool {
	if fa, ok := a.(float64); ok {
		fb, ok := b.(float64)
		return ok && (fa == fb || math.IsNaN(fa) && math.IsNaN(fb))
	}
	return reflect.DeepEqual(a, b)
}

// propsString prints properties with sorted keys (fmt sorts map keys), types included where fmt would hide
// them (1 and 1.0).
func propsString(props map[string]any) string {
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", k, valueString(props[k]))
	}
	b.WriteString("}")
	return b.String()
}

func valueString(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case float64:
		return fmt.Sprintf("%v(float)", x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("%v", v)
}

// Lines returns the graph as sorted lines, one per node and relationship with every label and property, and
// one for the change log's position: two graphs are equal exactly when their lines are.
func (g *StoredGraph) Lines() []string {
	out := make([]string, 0, len(g.Nodes)+len(g.Rels)+1)
	for _, n := range g.Nodes {
		out = append(out, NodeLine(n))
	}
	for _, r := range g.Rels {
		out = append(out, RelLine(r))
	}
	sort.Strings(out)
	return append(out, fmt.Sprintf("changeLog seq %d", g.ChangeLogSeq))
}

// NodeLine is a node's line in Lines.
func NodeLine(n StoredNode) string {
	labels := append([]string(nil), n.Labels...)
	sort.Strings(labels)
	return fmt.Sprintf("node %s %v %s", Ref(n.Labels, n.Props), labels, propsString(n.Props))
}

// RelLine is a relationship's line in Lines.
func RelLine(r StoredRel) string {
	return fmt.Sprintf("rel %s -[%s]-> %s %s", r.From, r.Type, r.To, propsString(r.Props))
}

// GraphPrint is a graph's fingerprint: a 128-bit hash of each of its lines (see Lines), so that two graphs
// too large to hold twice in memory can be compared — each is read, printed and dropped in turn — in 16 bytes
// per node and relationship. Add the nodes and relationships in any order, then Sum.
type GraphPrint struct {
	ChangeLogSeq int64
	Nodes, Rels  int
	hashes       [][16]byte
	sorted       bool
}

func lineHash(line string) [16]byte {
	sum := sha256.Sum256([]byte(line))
	var h [16]byte
	copy(h[:], sum[:16])
	return h
}

// AddNode adds a node.
func (p *GraphPrint) AddNode(n StoredNode) {
	p.hashes = append(p.hashes, lineHash(NodeLine(n)))
	p.Nodes++
	p.sorted = false
}

// AddRel adds a relationship.
func (p *GraphPrint) AddRel(r StoredRel) {
	p.hashes = append(p.hashes, lineHash(RelLine(r)))
	p.Rels++
	p.sorted = false
}

func (p *GraphPrint) sum() {
	if !p.sorted {
		sort.Slice(p.hashes, func(i, j int) bool { return bytes.Compare(p.hashes[i][:], p.hashes[j][:]) < 0 })
		p.sorted = true
	}
}

// PrintOf returns g's fingerprint.
func PrintOf(g *StoredGraph) *GraphPrint {
	p := &GraphPrint{ChangeLogSeq: g.ChangeLogSeq, hashes: make([][16]byte, 0, len(g.Nodes)+len(g.Rels))}
	for _, n := range g.Nodes {
		p.AddNode(n)
	}
	for _, r := range g.Rels {
		p.AddRel(r)
	}
	return p
}

// Diff says how the graph printed as b differs from the one printed as a: the lines only in a, the lines only
// in b, and whether the change log's positions differ. Both are equal when it returns "".
func (a *GraphPrint) Diff(b *GraphPrint) string {
	a.sum()
	b.sum()
	onlyA, onlyB := 0, 0
	i, j := 0, 0
	for i < len(a.hashes) || j < len(b.hashes) {
		switch {
		case j == len(b.hashes) || i < len(a.hashes) && bytes.Compare(a.hashes[i][:], b.hashes[j][:]) < 0:
			onlyA++
			i++
		case i == len(a.hashes) || bytes.Compare(a.hashes[i][:], b.hashes[j][:]) > 0:
			onlyB++
			j++
		default:
			i++
			j++
		}
	}
	var out []string
	if onlyA > 0 || onlyB > 0 {
		out = append(out, fmt.Sprintf("%d nodes and relationships only in the first (of %d nodes, %d relationships), "+
			"%d only in the second (of %d, %d)", onlyA, a.Nodes, a.Rels, onlyB, b.Nodes, b.Rels))
	}
	if a.ChangeLogSeq != b.ChangeLogSeq {
		out = append(out, fmt.Sprintf("change log at %d, then at %d", a.ChangeLogSeq, b.ChangeLogSeq))
	}
	return strings.Join(out, "; ")
}

// DiffGraphs lists how b differs from a: lines only in a ("- …") and lines only in b ("+ …"), at most max
// of them (0: all).
func DiffGraphs(a, b *StoredGraph, max int) []string {
	count := map[string]int{}
	for _, l := range a.Lines() {
		count[l]++
	}
	for _, l := range b.Lines() {
		count[l]--
	}
	var out []string
	for l, n := range count {
		for ; n > 0; n-- {
			out = append(out, "- "+l)
		}
		for ; n < 0; n++ {
			out = append(out, "+ "+l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][2:] < out[j][2:] || out[i][2:] == out[j][2:] && out[i] < out[j] })
	if max > 0 && len(out) > max {
		out = append(out[:max], fmt.Sprintf("… and %d more", len(out)-max))
	}
	return out
}
