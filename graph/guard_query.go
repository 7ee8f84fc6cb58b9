package graph

// The guard on the shape of a query: sizes, aliases, fragment spreads, fields and repeated response names,
// counted before gqlgen parses and validates the query.

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/chainmap/chainmap"
)

// refuse is a BAD_USER_INPUT error about the shape of the query, with a reason clients can switch on.
func refuse(reason, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": chainmap.CodeBadUserInput, "reason": reason}
	return err
}

// queryGuard bounds the size and shape of a query before gqlgen parses and validates it: validation (the
// overlapping-fields rule above all) costs time exponential in nested fragment spreads and quadratic in fields
// sharing a response name, so those are counted first, in one linear pass with fragments memoised.
type queryGuard struct {
	lim    Limits
	passed graphql.Cache[struct{}] // query texts already counted and found within the limits
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*queryGuard)(nil)

func newQueryGuard(lim Limits) *queryGuard {
	return &queryGuard{lim: lim, passed: lru.New[struct{}](1000)}
}

func (*queryGuard) ExtensionName() string                   { return "QueryGuard" }
func (*queryGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g *queryGuard) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Query) > g.lim.MaxQueryBytes {
		return refuse("QUERY_TOO_LARGE", "the query is %d bytes; the limit is %d", len(p.Query), g.lim.MaxQueryBytes)
	}
	if _, ok := g.passed.Get(ctx, p.Query); ok || p.Query == "" {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, g.lim.ParserTokenLimit)
	if err != nil {
		return nil // a syntax error or too many tokens: gqlgen's parser reports it, at the same (linear) cost
	}
	if err := g.count(doc); err != nil {
		return err
	}
	g.passed.Add(ctx, p.Query, struct{}{})
	return nil
}

// count checks a parsed document against the limits on spreads, aliases, fields (fragments expanded) and
// fields sharing one response name in one selection set.
func (g *queryGuard) count(doc *ast.QueryDocument) *gqlerror.Error {
	c := &counter{lim: g.lim, frags: map[string]*ast.FragmentDefinition{}, size: map[string]int{}, keys: map[string]map[string]int{}}
	for _, f := range doc.Fragments {
		c.frags[f.Name] = f
	}
	var sets []ast.SelectionSet
	for _, op := range doc.Operations {
		sets = append(sets, op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		sets = append(sets, f.SelectionSet)
	}
	// Raw counts: every selection set once, as written.
	for len(sets) > 0 {
		set := sets[len(sets)-1]
		sets = sets[:len(sets)-1]
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Alias != "" && s.Alias != s.Name {
					c.aliases++
				}
				sets = append(sets, s.SelectionSet)
			case *ast.InlineFragment:
				sets = append(sets, s.SelectionSet)
			case *ast.FragmentSpread:
				c.spreads++
			}
		}
		if c.err == nil {
			c.repeats(set)
		}
	}
	switch {
	case c.spreads > g.lim.MaxFragmentSpreads:
		return refuse("TOO_MANY_FRAGMENT_SPREADS", "the query has %d fragment spreads; the limit is %d", c.spreads, g.lim.MaxFragmentSpreads)
	case c.aliases > g.lim.MaxAliases:
		return refuse("TOO_MANY_ALIASES", "the query has %d aliases; the limit is %d", c.aliases, g.lim.MaxAliases)
	case c.err != nil:
		return c.err
	}
	total := 0
	for _, op := range doc.Operations {
		total = c.add(total, c.setSize(op.SelectionSet))
	}
	for _, f := range doc.Fragments {
		total = c.add(total, c.fragSize(f.Name))
	}
	if c.err != nil {
		return c.err
	}
	if total > g.lim.MaxFields {
		return refuse("TOO_MANY_FIELDS", "the query selects more than %d fields once its fragments are expanded", g.lim.MaxFields)
	}
	return nil
}

type counter struct {
	lim              Limits
	frags            map[string]*ast.FragmentDefinition
	size             map[string]int            // expanded field count of each fragment; -1 while being counted
	keys             map[string]map[string]int // response names at a fragment's top level, with multiplicity
	spreads, aliases int
	err              *gqlerror.Error
}

// add sums field counts, saturating just past the limit so that a fragment bomb cannot overflow an int.
func (c *counter) add(a, b int) int { return min(a+b, c.lim.MaxFields+1) }

func (c *counter) setSize(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n = c.add(n, c.add(1, c.setSize(s.SelectionSet)))
		case *ast.InlineFragment:
			n = c.add(n, c.setSize(s.SelectionSet))
		case *ast.FragmentSpread:
			n = c.add(n, c.fragSize(s.Name))
		}
	}
	return n
}

func (c *counter) fragSize(name string) int {
	if n, ok := c.size[name]; ok {
		if n < 0 && c.err == nil {
			c.err = refuse("FRAGMENT_CYCLE", "fragment %s spreads itself", name)
		}
		return max(n, 0)
	}
	f := c.frags[name]
	if f == nil {
		return 0 // validation reports the unknown fragment
	}
	c.size[name] = -1
	n := c.setSize(f.SelectionSet)
	c.size[name] = n
	return n
}

// repeats refuses a selection set in which one response name is selected more than MaxRepeats times,
// counting the fields that fragments at this level bring.
func (c *counter) repeats(set ast.SelectionSet) {
	for key, n := range c.setKeys(set, map[string]bool{}) {
		if n > c.lim.MaxRepeats {
			c.err = refuse("TOO_MANY_REPEATS", "%q is selected %d times in one selection set; the limit is %d", key, n, c.lim.MaxRepeats)
			return
		}
	}
}

func (c *counter) setKeys(set ast.SelectionSet, visiting map[string]bool) map[string]int {
	keys := map[string]int{}
	merge := func(m map[string]int) {
		for k, n := range m {
			keys[k] = min(keys[k]+n, c.lim.MaxRepeats+1)
		}
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			keys[key] = min(keys[key]+1, c.lim.MaxRepeats+1)
		case *ast.InlineFragment:
			merge(c.setKeys(s.SelectionSet, visiting))
		case *ast.FragmentSpread:
			merge(c.fragKeys(s.Name, visiting))
		}
	}
	return keys
}

func (c *counter) fragKeys(name string, visiting map[string]bool) map[string]int {
	if m, ok := c.keys[name]; ok {
		return m
	}
	f := c.frags[name]
	if f == nil || visiting[name] {
		return nil // unknown fragments and cycles are reported elsewhere
	}
	visiting[name] = true
	m := c.setKeys(f.SelectionSet, visiting)
	delete(visiting, name)
	c.keys[name] = m
	return m
}
