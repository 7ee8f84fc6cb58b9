package neo4jdb

import (
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// props is a map projection returned by a query (RETURN n {.a, .b} AS n). Missing or null keys read as zero
// values: the schema, not the mapper, decides which properties are required.
type props map[string]any

func recordMap(rec *neo4j.Record, key string) (props, error) {
	v, ok := rec.Get(key)
	if !ok {
		return nil, fmt.Errorf("record has no %q", key)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("record %q is %T, want a map", key, v)
	}
	return m, nil
}

func (p props) str(k string) string {
	s, _ := p[k].(string)
	return s
}

func (p props) int(k string) int {
	n, _ := p[k].(int64)
	return int(n)
}

func (p props) float(k string) float64 {
	switch v := p[k].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}

func (p props) boolean(k string) bool {
	b, _ := p[k].(bool)
	return b
}

func (p props) strs(k string) []string {
	list, _ := p[k].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p props) sub(k string) props {
	m, _ := p[k].(map[string]any)
	return m
}

func (p props) list(k string) []props {
	list, _ := p[k].([]any)
	out := make([]props, 0, len(list))
	for _, v := range list {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func provenanceFrom(p props) chainmap.Provenance {
	return chainmap.Provenance{
		Confidence: chainmap.Confidence(p.str("confidence")),
		SourceIDs:  p.strs("sourceIds"),
		Evidence:   p.str("evidence"),

		SourcingNote: p.str("sourcingNote"),
		SourcesAsOf:  p.str("sourcesAsOf"),
	}
}

// provenanceProps adds a record's provenance to the properties of its node or relationship, and returns them.
// SourcesAsOf is not stored: reads work it out from the sources cited.
func provenanceProps(m map[string]any, p chainmap.Provenance) map[string]any {
	m["confidence"] = string(p.Confidence)
	m["sourceIds"] = p.SourceIDs
	m["evidence"] = p.Evidence
	m["sourcingNote"] = p.SourcingNote
	return m
}

// oneRow turns a query that returns many rows (with the given columns) into one that returns a single row
// whose column "rows" lists them as maps, in order. Neo4j spends far more per returned record than per list
// element (measured here: 1,000 records take 14 ms, the same values as one list 1 ms), so every read that can
// return many records returns one list instead.
func oneRow(cypher string, cols ...string) string {
	fields := make([]string, len(cols))
	for i, c := range cols {
		fields[i] = c + ": " + c
	}
	return "CALL () {\n" + cypher + "\n}\nRETURN collect({" + strings.Join(fields, ", ") + "}) AS rows"
}

// rows reads the single row of a oneRow query.
func rows(res *neo4j.EagerResult) []props {
	if len(res.Records) == 0 {
		return nil
	}
	v, _ := res.Records[0].Get("rows")
	list, _ := v.([]any)
	out := make([]props, 0, len(list))
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
