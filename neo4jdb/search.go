package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// search asks the full-text index over names (cjk analyzer) and keeps the kinds asked for. Hits are read in
// score order and the first $first of the wanted kinds returned; the index is asked for a bounded number of
// candidates so that a frequent word cannot make the query scan the graph.
const search = `
CALL db.index.fulltext.queryNodes('names', $query, {limit: $candidates}) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
WHERE label IS NOT NULL
RETURN label, coalesce(node.id, node.code) AS id, node.name AS name, score
ORDER BY score DESC, id
LIMIT $first`

// Search returns the best full-text matches of text among the given kinds (all kinds when none is given).
func (db *DB) Search(ctx context.Context, text string, types []chainmap.SearchType, first int) ([]chainmap.SearchHit, error) {
	labels := make([]string, 0, len(chainmap.SearchTypes))
	byLabel := map[string]chainmap.SearchType{}
	for t, l := range chainmap.SearchTypes {
		byLabel[l] = t
	}
	if len(types) == 0 {
		for _, l := range chainmap.SearchTypes {
			labels = append(labels, l)
		}
	}
	for _, t := range types {
		labels = append(labels, chainmap.SearchTypes[t])
	}
	res, err := db.read(ctx, "Search", oneRow(search, "label", "id", "name", "score"), map[string]any{
		"query": luceneQuery(text), "labels": labels, "first": first, "candidates": max(200, first*10),
	})
	if err != nil {
		return nil, err
	}
	list := rows(res)
	out := make([]chainmap.SearchHit, 0, len(list))
	for _, m := range list {
		out = append(out, chainmap.SearchHit{Type: byLabel[m.str("label")], ID: m.str("id"), Name: m.str("name"), Score: m.float("score")})
	}
	return out, nil
}

const indicators = `
MATCH (i:Indicator)
WHERE ($ids IS NULL OR i.id IN $ids)
  AND ($text IS NULL OR EXISTS {
    CALL db.index.fulltext.queryNodes('names', $text) YIELD node WITH node WHERE node = i RETURN node })
RETURN i {.id, .name, .nameZh, .nameEn, .unit, .scope, .confidence, .sourceIds, .evidence,
  values: COLLECT { MATCH (i)-[:HAS_VALUE]->(v:IndicatorValue)
    WHERE ($fromYear IS NULL OR v.year >= $fromYear) AND ($toYear IS NULL OR v.year <= $toYear)
    RETURN v {.year, .period, .value, .note, .confidence, .sourceIds, .evidence} ORDER BY v.year, v.period }} AS n
ORDER BY i.id`

// Indicators returns the indicators of the filter with their values, oldest first.
func (db *DB) Indicators(ctx context.Context, f chainmap.IndicatorFilter) ([]chainmap.Indicator, error) {
	p := map[string]any{"ids": nil, "text": nil, "fromYear": nil, "toYear": nil}
	if f.IDs != nil {
		p["ids"] = f.IDs
	}
	if f.Text != nil {
		p["text"] = luceneQuery(*f.Text)
	}
	if f.FromYear != nil {
		p["fromYear"] = *f.FromYear
	}
	if f.ToYear != nil {
		p["toYear"] = *f.ToYear
	}
	res, err := db.read(ctx, "Indicators", oneRow(indicators, "n"), p)
	if err != nil {
		return nil, err
	}
	list := rows(res)
	out := make([]chainmap.Indicator, 0, len(list))
	for _, r := range list {
		m := r.sub("n")
		in := chainmap.Indicator{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
			Unit: m.str("unit"), Scope: m.str("scope"), Provenance: provenanceFrom(m)}
		for _, v := range m.list("values") {
			in.Values = append(in.Values, chainmap.IndicatorValue{Year: v.int("year"), Period: v.str("period"),
				Value: v.float("value"), Note: v.str("note"), Provenance: provenanceFrom(v)})
		}
		out = append(out, in)
	}
	return out, nil
}
