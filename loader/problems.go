package loader

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with the seed files, located by file, line and field.
type Problem struct {
	File    string
	Line    int
	Field   string // path of the field, e.g. enterprises[3].sites[0].region; a spreadsheet's column name
	Message string
	// Spreadsheets: the XLSX sheet ("" in a CSV file) and the cell (e.g. "D5"; "" for a whole row). Line is the
	// row as the spreadsheet numbers it (the header is row 1).
	Sheet, Cell string
}

func (p Problem) String() string {
	if p.Sheet != "" || p.Cell != "" {
		where := p.Cell
		if where == "" {
			where = "row " + strconv.Itoa(p.Line)
		}
		if p.Sheet != "" {
			where = p.Sheet + "!" + where
		}
		if p.Field != "" {
			where += " (" + p.Field + ")"
		}
		return p.File + ": " + where + ": " + p.Message
	}
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	if p.Field != "" {
		b.WriteString(": " + p.Field)
	}
	b.WriteString(": " + p.Message)
	return b.String()
}

// InvalidError lists every problem found in the seed files. Load returns it, and writes nothing, when there
// is at least one.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("%d problem(s) in the seed files; nothing was written:", len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems in the order they are found and sorts them by file and line at the end.
type problems []Problem

func (ps *problems) add(at loc, field, format string, args ...any) {
	p := Problem{File: at.file, Line: at.lineOf(field), Field: at.field(field), Message: fmt.Sprintf(format, args...)}
	if at.cells != nil {
		p.Sheet, p.Cell = at.sheet, at.cells[field]
	}
	*ps = append(*ps, p)
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	return &InvalidError{Problems: ps}
}

// loc is where a record came from: a mapping node in a YAML file, or a row of a CSV file.
type loc struct {
	file string
	path string // e.g. enterprises[3]
	line int    // line of the record
	node *shape // the shape of the record's mapping node; nil for spreadsheet rows
	// Spreadsheet rows: the XLSX sheet ("" in a CSV file), and by record field (the YAML key) the column that
	// holds it and its cell.
	sheet string
	cols  map[string]string
	cells map[string]string
}

// key names the record among all files.
func (l loc) key() string { return fmt.Sprintf("%s\x00%s\x00%d", l.file, l.path, l.line) }

// lineOf returns the line of the record's field key (the record's own line if the key is absent).
func (l loc) lineOf(key string) int {
	if v := l.value(key); v != nil {
		return v.line
	}
	return l.line
}

// field returns the path of a field of the record, as shown in problems.
func (l loc) field(key string) string {
	switch {
	case key == "":
		return l.path
	case l.node == nil && l.cols != nil:
		if col, ok := l.cols[key]; ok {
			return col
		}
		return key
	}
	return l.path + "." + key
}

// value returns the value of key in the record's mapping node, or nil.
func (l loc) value(key string) *shape {
	if l.node == nil || l.node.kind != yaml.MappingNode {
		return nil
	}
	for i, k := range l.node.keys {
		if k == key {
			return l.node.vals[i]
		}
	}
	return nil
}

// shape is what problems need of a YAML node: its line, and for a mapping its keys and values, for a
// sequence its elements. A record keeps the shape of its node, not the node: a yaml.Node and the nodes
// under it take some 35 times the record's text, which for a dump of 100,000 firms is gigabytes.
type shape struct {
	kind yaml.Kind
	line int
	keys []string
	vals []*shape // of a mapping, by key; of a sequence, its elements
}

// shapeKeys holds one copy of each key the record shapes know, so that a million records share them.
var shapeKeys = sync.OnceValue(func() map[string]string {
	keys := map[string]string{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for k, f := range fieldsByTag(t) {
			keys[k] = k
			walk(f.Type)
		}
	}
	for _, k := range recordKinds {
		if k.yamlKey() != "" {
			keys[k.yamlKey()] = k.yamlKey()
		}
		walk(k.shape())
	}
	return keys
})

func shapeOf(n *yaml.Node) *shape {
	s := &shape{kind: n.Kind, line: n.Line}
	switch n.Kind {
	case yaml.MappingNode:
		s.keys = make([]string, 0, len(n.Content)/2)
		s.vals = make([]*shape, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if known, ok := shapeKeys()[k]; ok {
				k = known
			}
			s.keys = append(s.keys, k)
			s.vals = append(s.vals, shapeOf(n.Content[i+1]))
		}
	case yaml.SequenceNode:
		s.vals = make([]*shape, len(n.Content))
		for i, c := range n.Content {
			s.vals[i] = shapeOf(c)
		}
	}
	return s
}

// child returns the location of the i-th element of the record's list field key.
func (l loc) child(key string, i int) loc {
	if l.cells != nil { // a list cell of a spreadsheet row: its items' problems are the cell's
		col, cell := l.cols[key], l.cells[key]
		c := l
		c.path = col
		c.cols, c.cells = map[string]string{}, map[string]string{}
		for _, k := range []string{"", "id", "since", "status"} {
			c.cols[k], c.cells[k] = col, cell
		}
		return c
	}
	c := loc{file: l.file, path: fmt.Sprintf("%s.%s[%d]", l.path, key, i), line: l.lineOf(key)}
	if v := l.value(key); v != nil && v.kind == yaml.SequenceNode && i < len(v.vals) {
		c.node, c.line = v.vals[i], v.vals[i].line
	}
	return c
}
