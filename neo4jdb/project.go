package neo4jdb

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap"
)

// The projection compiler. A request's Selection becomes one Cypher expression that reads exactly the fields
// asked for: plain values as map keys, related records as COLLECT subqueries nested as deep as the request goes,
// each with its own order, filter and LIMIT applied before its children are read. Argument values travel as
// parameters ($p1, $p2, …); variables are numbered by the compiler ($v1 …), never named by the request. The
// Cypher text comes only from the constant fragments of the kind table below.
//
// In the fragments, @n is the record being read (for relationships, @r is the relationship and @from, @to its
// ends), and @x is the variable a relation binds for the related record.

// kindSpec says how to read each field of a kind and how to decode what was read.
type kindSpec struct {
	node   bool // a node: read with a map projection of @n; else a map literal over the scope
	fields map[string]field
	one    func(m props, sel *chainmap.Selection) any     // a pointer to the decoded record
	many   func(items []any, sel *chainmap.Selection) any // a slice of decoded records
}

// field reads one field: a plain value (prop: a property of @n, or expr: an expression over the scope), or
// related records (rel).
type field struct {
	prop string
	expr string
	rel  *relation
}

// relation reads related records: bind returns the clauses that bind them (none: they are in scope already)
// and the scope of each.
type relation struct {
	kinds []chainmap.Kind // one kind, or the members of a union
	many  bool
	bind  func(c *compiler, parent scope, args chainmap.FieldArgs) (clauses string, child scope, err error)
}

// scope maps the placeholders of the fragments (@n, @r, @from, …) to variables, parameters, labels or keys.
// It is the one way Cypher text is put together from pieces here (not fmt verbs): each piece is named where it
// is used, and one the scope lacks fails at once. Its values are the compiler's own names and parameters and
// the labels and keys of this package's tables, never a request's text (TestRequestTextNeverBecomesCypher).
type scope map[string]string

var placeholder = regexp.MustCompile(`@[a-z][a-zA-Z]*`)

// fill replaces the placeholders of a fragment by the scope's variables.
func (s scope) fill(fragment string) string {
	return placeholder.ReplaceAllStringFunc(fragment, func(p string) string {
		v, ok := s[p[1:]]
		if !ok {
			panic("neo4jdb: fragment uses " + p + " outside its scope: " + fragment) // a bug in the kind table
		}
		return v
	})
}

// compiler builds one statement: it numbers variables and parameters.
type compiler struct {
	params map[string]any
	vars   int
}

func newCompiler() *compiler { return &compiler{params: map[string]any{}} }

// param returns a new parameter holding v.
func (c *compiler) param(v any) string {
	name := fmt.Sprintf("p%d", len(c.params)+1)
	c.params[name] = v
	return "$" + name
}

// fresh returns a new variable name.
func (c *compiler) fresh() string {
	c.vars++
	return fmt.Sprintf("v%d", c.vars)
}

// project returns the expression that reads sel of the record bound in s; entries come first in it.
func (c *compiler) project(sel *chainmap.Selection, s scope, entries ...string) (string, error) {
	spec, ok := kinds[sel.Kind]
	if !ok {
		return "", fmt.Errorf("no kind %q to read", sel.Kind)
	}
	seen := map[string]bool{}
	for i, f := range sel.Fields {
		fs, ok := spec.fields[f.Name]
		if !ok {
			return "", fmt.Errorf("%s has no field %q to read", sel.Kind, f.Name)
		}
		if fs.rel == nil {
			// Plain values go under their name: aliases of one field read the same value.
			if seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			switch {
			case fs.expr != "":
				entries = append(entries, f.Name+": "+s.fill(fs.expr))
			case spec.node:
				entries = append(entries, "."+propOf(fs, f.Name))
			default:
				entries = append(entries, f.Name+": "+s["n"]+"."+propOf(fs, f.Name))
			}
			continue
		}
		expr, err := c.related(fs.rel, f, s)
		if err != nil {
			return "", err
		}
		// Related records go under their position, not their alias: no request text becomes Cypher text.
		entries = append(entries, relKey(i)+": "+expr)
	}
	if spec.node {
		return s["n"] + " {" + strings.Join(entries, ", ") + "}", nil
	}
	return "{" + strings.Join(entries, ", ") + "}", nil
}

// relKey is the key of the i-th field of a selection when it reads related records, as Cypher text;
// relName(i) is the same key in a record.
func relKey(i int) string { return "`" + relName(i) + "`" }

// relNames are the first relNames' keys, made once: the decoder looks one up for each related field of each
// record.
var relNames = func() (names [64]string) {
	for i := range names {
		names[i] = fmt.Sprintf("@%d", i)
	}
	return names
}()

func relName(i int) string {
	if i < len(relNames) {
		return relNames[i]
	}
	return fmt.Sprintf("@%d", i)
}

func propOf(fs field, name string) string {
	if fs.prop != "" {
		return fs.prop
	}
	return name
}

// related returns the expression that reads the related records of f: a list, or one record or null.
func (c *compiler) related(r *relation, f chainmap.SelectedField, parent scope) (string, error) {
	clauses, child, err := r.bind(c, parent, f.Args)
	if err != nil {
		return "", err
	}
	var proj string
	if len(r.kinds) == 1 {
		proj, err = c.project(f.Sel, child)
	} else {
		proj, err = c.union(f.Cases, child)
	}
	if err != nil {
		return "", err
	}
	switch {
	case clauses == "":
		return proj, nil
	case r.many:
		return "COLLECT {\n" + clauses + "\nRETURN " + proj + "\n}", nil
	default:
		return "COLLECT {\n" + clauses + "\nRETURN " + proj + "\nLIMIT 1\n}[0]", nil
	}
}

// union reads a record that may be of several kinds: each kind with its own selection, tagged with its kind.
func (c *compiler) union(cases []*chainmap.Selection, s scope) (string, error) {
	var b strings.Builder
	b.WriteString("CASE")
	for _, sel := range cases {
		// The kind tag rides in the projection, under a key no field can have (GraphQL names hold no backtick).
		proj, err := c.project(sel, s, "`_k_`: '"+string(sel.Kind)+"'")
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, " WHEN %s:%s THEN %s", s["n"], sel.Kind, proj)
	}
	b.WriteString(" END")
	return b.String(), nil
}

// Relations. Most bind @x by a MATCH from @n, in a stated order.

// match reads the records a pattern binds to @x, in order ("" for a single record).
func match(kind chainmap.Kind, many bool, pattern, order string) *relation {
	return &relation{kinds: []chainmap.Kind{kind}, many: many, bind: func(c *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
		x := c.fresh()
		s := scope{"n": p["n"], "x": x}
		for k, v := range p {
			if _, ok := s[k]; !ok {
				s[k] = v
			}
		}
		clauses := s.fill(pattern)
		if order != "" {
			clauses += "\nWITH " + x + " ORDER BY " + s.fill(order)
		}
		return clauses, scope{"n": x}, nil
	}}
}

// inline reads a kind from the same scope: a relationship's end, or values computed from the record.
func inline(kind chainmap.Kind, rename map[string]string) *relation {
	return &relation{kinds: []chainmap.Kind{kind}, bind: func(_ *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
		if rename == nil {
			return "", p, nil
		}
		s := scope{}
		for to, from := range rename {
			s[to] = p[from]
		}
		return "", s, nil
	}}
}

// sourcesOf reads the sources whose ids a list expression holds, in its order.
func sourcesOf(ids string) *relation {
	return &relation{kinds: []chainmap.Kind{chainmap.KindSource}, many: true, bind: func(c *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
		s := scope{"ids": p.fill(ids), "x": c.fresh(), "i": c.fresh()}
		return s.fill("UNWIND range(0, size(coalesce(@ids, [])) - 1) AS @i\nMATCH (@x:Source {id: @ids[@i]})\nWITH @x ORDER BY @i"),
			scope{"n": s["x"]}, nil
	}}
}

var nodeSources = sourcesOf("@n.sourceIds")

// sourcesAsOf reads the date of the newest dated source among ids: how fresh the record's facts are.
func sourcesAsOf(ids string) field {
	return field{expr: "COLLECT { UNWIND coalesce(" + ids + ", []) AS asof_id MATCH (asof_s:Source {id: asof_id})\n" +
		"    WHERE asof_s.date IS NOT NULL RETURN asof_s.date ORDER BY asof_s.date DESC LIMIT 1 }[0]"}
}

// first reads at most first records a pattern binds to @x, in order.
func first(kind chainmap.Kind, pattern, order string) *relation {
	return &relation{kinds: []chainmap.Kind{kind}, many: true, bind: func(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
		x := c.fresh()
		s := scope{"n": p["n"], "x": x}
		return s.fill(pattern) + "\nWITH DISTINCT " + x + " ORDER BY " + s.fill(order) + " LIMIT " + c.param(a.First),
			scope{"n": x}, nil
	}}
}

// supplies reads the SUPPLIES relationships into (upstream) or out of an enterprise, as SupplyLinks.
func supplies(upstream bool) *relation {
	return &relation{kinds: []chainmap.Kind{chainmap.KindSupplyLink}, many: true, bind: func(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
		s := scope{"n": p["n"], "r": c.fresh(), "o": c.fresh()}
		pattern, child := "(@n)-[@r:SUPPLIES]->(@o:Enterprise)", scope{"r": s["r"], "from": p["n"], "to": s["o"]}
		if upstream {
			pattern, child = "(@n)<-[@r:SUPPLIES]-(@o:Enterprise)", scope{"r": s["r"], "from": s["o"], "to": p["n"]}
		}
		s["first"] = c.param(a.First)
		return s.fill("MATCH " + pattern + "\nWITH @r, @o ORDER BY @o.name, @o.id, @r.product LIMIT @first"), child, nil
	}}
}

// tiers reads the enterprises up to Tiers SUPPLIES hops upstream or downstream, breadth-first: each tier holds
// the neighbours of the tier before that no nearer tier holds, by name then id, until TierLimit in all. The tiers
// are unrolled into one WITH per hop (at most MaxDepth), so the walk is one statement whatever it finds.
func tiers(upstream bool) *relation {
	return &relation{kinds: []chainmap.Kind{chainmap.KindTierLink}, many: true, bind: func(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
		if a.Tiers < 1 || a.Tiers > MaxDepth {
			return "", nil, fmt.Errorf("tiers out of 1..%d", MaxDepth)
		}
		step := "-[:SUPPLIES]->"
		if upstream {
			step = "<-[:SUPPLIES]-"
		}
		limit := c.param(TierLimit)
		var lines, names, parts []string
		frontier, reached := "["+p["n"]+"]", "["+p["n"]+"]"
		for t := 1; t <= a.Tiers; t++ {
			tv := c.fresh()
			carry := ""
			if len(names) > 0 {
				carry = strings.Join(names, ", ") + ", "
			}
			s := scope{"frontier": frontier, "step": step, "reached": reached, "limit": limit, "tier": tv, "t": strconv.Itoa(t)}
			lines = append(lines, "WITH "+carry+s.fill("COLLECT { UNWIND @frontier AS f_ MATCH (f_)@step(o_:Enterprise) WHERE NOT o_ IN @reached "+
				"RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..(@limit - size(@reached) + 1)] AS @tier"))
			names = append(names, tv)
			parts = append(parts, s.fill("[x_ IN @tier | {tier: @t, e: x_}]"))
			frontier, reached = tv, "["+p["n"]+"] + "+strings.Join(names, " + ")
		}
		row, tier, e := c.fresh(), c.fresh(), c.fresh()
		lines = append(lines, "UNWIND "+strings.Join(parts, " + ")+" AS "+row,
			"WITH "+row+".tier AS "+tier+", "+row+".e AS "+e)
		return strings.Join(lines, "\n"), scope{"tier": tier, "n": e}, nil
	}}
}
