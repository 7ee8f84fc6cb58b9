package neo4jdb

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/chainmap/chainmap"
)

// The list engine. Each paginated list (enterprises, bottlenecks, R&D→manufacturing links) is a spec: anchors
// that bind its items from the most selective index a filter allows, one predicate per filter field, sort keys,
// and groupings. One engine turns a spec and a filter into Cypher: values always travel as parameters; the
// spec's fragments are the only Cypher text.

// list is the spec of a paginated list.
type list struct {
	kind     chainmap.Kind
	v        string                // the item variable of the fragments, for node lists
	id       string                // the expression of an item's id, the tie-breaker of every order
	scope    scope                 // how the item is read (the projection's scope)
	anchors  []anchor              // tried in order: the first whose condition is set binds the items
	preds    map[string]string     // by condition name
	sortKeys map[string]string     // by order field
	anchored map[string]anchorKeys // by anchor condition, for anchors that bind more than the item
	// total, when set, returns the statement that counts the items of a filter from maintained counts (a
	// clause returning total), or "" where it cannot; the count is then of the items bound.
	total  func(conds []cond, params map[string]any) string
	groups map[string]string // by grouping: fragments over the bound items that return key, name, count
}

// anchor binds the items from the index of one condition ("" for the anchor of last resort).
type anchor struct {
	cond   string
	cypher string
}

// anchorKeys are what an anchor that binds more than the item (the aggregate it found the item by) keeps, and
// the sort keys it gives in index order, which stand in for the list's own.
type anchorKeys struct {
	keep string
	keys map[string]string
}

// cond is one condition of a filter: when on, its anchor or predicate applies; its value is the parameter of
// the same name. A condition the spec has no fragment for is a parameter only (on or not).
type cond struct {
	name  string
	value any
	on    bool
}

// match returns the Cypher that binds each item of the filter once, and its parameters.
func (l list) match(conds []cond) (string, map[string]any) {
	text, params, _ := l.matchFrom(conds)
	return text, params
}

// matchFrom is match, also returning the anchor it binds the items from.
func (l list) matchFrom(conds []cond) (string, map[string]any, anchorKeys) {
	params := map[string]any{}
	var anchorText, anchored string
	for _, a := range l.anchors {
		if a.cond == "" || isOn(conds, a.cond) {
			anchorText, anchored = a.cypher, a.cond
			break
		}
	}
	from := l.anchored[anchored]
	var where []string
	for _, c := range conds {
		frag, isPred := l.preds[c.name]
		if c.on || !isPred && !l.isAnchor(c.name) {
			params[c.name] = c.value
		}
		if c.on && isPred && c.name != anchored {
			where = append(where, frag)
		}
	}
	text := anchorText
	if len(where) > 0 {
		keep := cmp.Or(from.keep, l.v, "*")
		text += "\nWITH " + keep + " WHERE " + strings.Join(where, "\n  AND ")
	}
	return text, params, from
}

func (l list) isAnchor(name string) bool {
	for _, a := range l.anchors {
		if a.cond == name {
			return true
		}
	}
	return false
}

func isOn(conds []cond, name string) bool {
	for _, c := range conds {
		if c.name == name {
			return c.on
		}
	}
	return false
}

// page reads one page of a list, each item with req.Node, and the count of all items when req.Count: one
// statement.
func (db *DB) page(ctx context.Context, method string, l list, conds []cond, order string, dir chainmap.Direction,
	pg chainmap.Page, req chainmap.ListRequest) (chainmap.PageOf[any], error) {
	cypher, params, err := l.pageStatement(conds, order, dir, pg, req)
	if err != nil {
		return chainmap.PageOf[any]{}, fmt.Errorf("%s: %w", method, err)
	}
	res, err := db.read(ctx, method, cypher, params)
	if err != nil {
		return chainmap.PageOf[any]{}, err
	}
	var out chainmap.PageOf[any]
	if len(res.Records) == 0 {
		return out, nil
	}
	row := props(res.Records[0].AsMap())
	out.Total = row.int("total")
	spec := kinds[l.kind]
	for i, r := range row.list("rows") {
		if i == pg.First {
			out.HasNext = true
			break
		}
		var item any
		if req.Node != nil {
			item = spec.one(r.sub("n"), req.Node)
		}
		out.Items = append(out.Items, chainmap.Keyed[any]{Item: item, Key: r["k"], ID: r.str("id")})
	}
	return out, nil
}

// pageStatement compiles the statement of page: the total (null unless asked for) and the rows {k, id, n} of
// the page plus one.
func (l list) pageStatement(conds []cond, order string, dir chainmap.Direction, pg chainmap.Page, req chainmap.ListRequest) (string, map[string]any, error) {
	key, ok := l.sortKeys[order]
	if !ok {
		return "", nil, fmt.Errorf("unknown order %q", order)
	}
	match, params, from := l.matchFrom(conds)
	keep := l.v
	if k, ok := from.keys[order]; ok {
		key, keep = k, from.keep
	}
	c := newCompiler()
	c.params = params
	proj := "null"
	if req.Node != nil {
		var err error
		if proj, err = c.project(req.Node, l.scope); err != nil {
			return "", nil, err
		}
	}
	var b strings.Builder
	var total string
	if req.Count && l.total != nil {
		total = l.total(conds, params)
	}
	if total != "" {
		fmt.Fprintf(&b, "CALL () {\n%s\n}\n", total)
	} else if req.Count {
		fmt.Fprintf(&b, "CALL () {\n%s\nRETURN count(*) AS total\n}\n", match)
	} else {
		b.WriteString("WITH null AS total\n")
	}
	fmt.Fprintf(&b, "CALL () {\n%s\n%s\nRETURN k, %s AS id, %s AS n\n}\nRETURN total, collect({k: k, id: id, n: n}) AS rows",
		match, keysetPage(keep, l.id, key, dir, pg, params), l.id, proj)
	return b.String(), params, nil
}

// keysetPage returns the clauses that keep the items after the cursor, in order, plus one (to tell whether a
// next page exists). Ties on the key are broken by id, always ascending, so that pages never overlap.
func keysetPage(v, id, key string, dir chainmap.Direction, pg chainmap.Page, params map[string]any) string {
	cmp, order := ">", "ASC"
	if dir == chainmap.Desc {
		cmp, order = "<", "DESC"
	}
	params["limit"] = pg.First + 1
	keep := v
	if keep == "" {
		keep = "*"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s, %s AS k\n", keep, key)
	if pg.After {
		params["afterKey"], params["afterId"] = pg.AfterKey, pg.AfterID
		fmt.Fprintf(&b, "WHERE k %s $afterKey OR (k = $afterKey AND %s > $afterId)\n", cmp, id)
	}
	fmt.Fprintf(&b, "ORDER BY k %s, %s ASC\nLIMIT $limit", order, id)
	return b.String()
}

// The groupings by the segments an item x is tied to by rel (an enterprise ACTIVE_IN, a bottleneck
// CONSTRAINS), fragments for a list's groups: by chain map (named), by segment, by stage.
func groupByChainMap(x, rel string) string {
	return "MATCH (" + x + ")-[:" + rel + "]->(s:Segment)\nWITH DISTINCT " + x + ", s.chainMapId AS key\n" +
		"MATCH (g:ChainMap {id: key})\nRETURN key, g.name AS name, count(" + x + ") AS count"
}

func groupBySegment(x, rel string) string {
	return "MATCH (" + x + ")-[:" + rel + "]->(g:Segment)\nRETURN g.id AS key, g.name AS name, count(" + x + ") AS count"
}

func groupByStage(x, rel string) string {
	return "MATCH (" + x + ")-[:" + rel + "]->(s:Segment)\nWITH DISTINCT " + x + ", s.stage AS key\n" +
		"RETURN key, null AS name, count(" + x + ") AS count"
}

// groups counts the items of the filter by a grouping, largest group first.
func (db *DB) groups(ctx context.Context, method string, l list, conds []cond, by string) ([]chainmap.Group, error) {
	group, ok := l.groups[by]
	if !ok {
		return nil, fmt.Errorf("%s: unknown grouping %q", method, by)
	}
	match, params := l.match(conds)
	res, err := db.read(ctx, method, oneRow(match+"\n"+group+"\nORDER BY count DESC, key", "key", "name", "count"), params)
	if err != nil {
		return nil, err
	}
	return groupsFrom(rows(res), false), nil
}

// luceneQuery turns user text into a full-text query that can never be a syntax error: each word is quoted
// (so that Chinese words, split into bigrams by the cjk analyzer, match as a phrase), and all must match.
func luceneQuery(text string) string {
	var terms []string
	for _, w := range strings.Fields(text) {
		w = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(w)
		terms = append(terms, `"`+w+`"`)
	}
	return strings.Join(terms, " AND ")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// nullable turns a zero value ("", 0) into a Cypher null, so that SET removes the property.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// quoted writes a constant of the domain as a Cypher string literal (constants only: never user input).
func quoted[T ~string](v T) string { return "'" + string(v) + "'" }

// quotedList writes constants of the domain as a Cypher list literal.
func quotedList[T ~string](vs ...T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = quoted(v)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
