package neo4jdb

import (
	"fmt"
	"slices"
)

// touched gathers, from the rows a load created or changed, what of the maintained aggregates (aggregates.go)
// the load may have changed, so that it refreshes those firms and not every curated one: a reload of
// unchanged seeds then maintains nothing, and a planner's sheet of a few changed firms refreshes a few.
//
// A firm's aggregate depends on its own node, segments and sites (their kinds and regions), the supply links
// to it, its sites' technology transfers, the bottlenecks on its segments, and on what every firm's may
// depend on: the segments' chain maps and the regions' provinces and hierarchy. A row of the last kind, or
// anything a prune removed, refreshes every curated firm (maintainCurated).
type touched struct {
	all         bool
	firms       []string // enterprises
	sites       []string // sites, whose operators are refreshed
	segments    []string // segments, whose firms' exposure is refreshed
	bottlenecks []string // bottlenecks, the firms on whose segments have their exposure refreshed
}

// nodes notes the rows of a label that a load created or changed.
func (t *touched) nodes(label string, rows []row) {
	switch label {
	case "Region", "Segment":
		t.all = t.all || len(rows) > 0
	case "Enterprise":
		t.firms = appendKeys(t.firms, rows, "key")
	case "Site":
		t.sites = appendKeys(t.sites, rows, "key")
	case "Bottleneck":
		t.bottlenecks = appendKeys(t.bottlenecks, rows, "key")
	}
}

// rels notes the rows of a relationship spec that a load created or changed.
func (t *touched) rels(s relSpec, rows []row) {
	switch {
	case s.typ == "PART_OF":
		t.all = t.all || len(rows) > 0
	case s.typ == "CONSTRAINS":
		t.segments = appendKeys(t.segments, rows, "to")
	case s.typ == "SUPPLIES":
		t.firms = appendKeys(t.firms, rows, "to")
	case s.from == "Enterprise" && (s.typ == "ACTIVE_IN" || s.typ == "OPERATES"):
		t.firms = appendKeys(t.firms, rows, "from")
	case s.from == "Site" && s.typ == "LOCATED_IN":
		t.sites = appendKeys(t.sites, rows, "from")
	case s.typ == "TRANSFERS_TECH_TO":
		if s.from == "Site" {
			t.sites = appendKeys(t.sites, rows, "from")
		}
		if s.to == "Site" {
			t.sites = appendKeys(t.sites, rows, "to")
		}
	}
}

func appendKeys(out []string, rows []row, key string) []string {
	for _, r := range rows {
		out = append(out, fmt.Sprint(r[key]))
	}
	return out
}

// operatorsOf lists the enterprises that operate the sites $ids. The operator carries no label, so that the only
// way to it is from its site (see derivedPairs); OPERATES leads only from enterprises.
const operatorsOf = `RETURN COLLECT { UNWIND $ids AS id MATCH (:Site {id: id})<-[:OPERATES]-(e) RETURN DISTINCT e.id } AS ids`

// maintain brings up to date, in the load's transaction, the aggregates of what the load touched.
func (t *touched) maintain(run txRunner) error {
	if t.all {
		return maintainCurated(run)
	}
	firms := t.firms
	if len(t.sites) > 0 {
		recs, err := run(operatorsOf, map[string]any{"ids": slices.Compact(slices.Sorted(slices.Values(t.sites)))})
		if err != nil {
			return fmt.Errorf("aggregates: %w", err)
		}
		ids, _ := recs[0].Get("ids")
		firms = append(firms, stringList(ids)...)
	}
	if len(firms) > 0 {
		if err := maintainFirms(run, firms); err != nil {
			return err
		}
	}
	return maintainExposure(run, t.segments, t.bottlenecks)
}
