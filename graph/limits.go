package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/chainmap/chainmap"
)

// Limits protect the API from queries too large to answer. Complexity grows with the page size (`first`) of
// every list and with nesting; depth counts nested selections, introspection excepted (GraphiQL's own
// introspection query is deep); the token limit bounds the parser's work before anything else runs.
type Limits struct {
	MaxDepth         int
	MaxComplexity    int
	ParserTokenLimit int

	// Counted before validation (graph/guard_query.go), which is what costs when they are large.
	MaxQueryBytes      int // length of the query text
	MaxFields          int // fields selected, fragments expanded (a fragment counted once, however often spread)
	MaxAliases         int
	MaxFragmentSpreads int
	MaxRepeats         int // fields sharing one response name in one selection set

	// Checked on every input value, variables and literals.
	MaxListItems   int
	MaxStringBytes int
}

// DefaultLimits fit every question in the API's documentation, and GraphiQL's introspection query, with room
// to spare. A field of Options.Limits left at 0 takes its value here (chainmap.WithDefaults).
var DefaultLimits = Limits{MaxDepth: 10, MaxComplexity: 20000, ParserTokenLimit: 15000,
	MaxQueryBytes: 32 << 10, MaxFields: 3000, MaxAliases: 100, MaxFragmentSpreads: 200, MaxRepeats: 30,
	MaxListItems: 500, MaxStringBytes: 16 << 10}

// depthLimit rejects operations nested deeper than max.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]int{}); depth > d.max {
		err := gqlerror.Errorf("the query is nested %d levels deep; the limit is %d", depth, d.max)
		err.Extensions = map[string]any{"code": chainmap.CodeBadUserInput, "reason": "DEPTH_LIMIT"}
		return err
	}
	return nil
}

// selectionDepth returns how deep a selection set nests, following fragments and skipping introspection. The
// depth of each fragment is computed once (memo), so spreading a fragment many times costs nothing more; a
// fragment being computed counts 0, so a cycle cannot loop (validation has rejected cycles anyway).
func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, memo map[string]int) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet, frags, memo)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, frags, memo)
		case *ast.FragmentSpread:
			if known, ok := memo[s.Name]; ok {
				d = known
			} else if f := frags.ForName(s.Name); f != nil {
				memo[s.Name] = 0
				d = selectionDepth(f.SelectionSet, frags, memo)
				memo[s.Name] = d
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// introspectionPolicy opens schema introspection to everyone, or to admins only.
type introspectionPolicy struct{ open bool }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = introspectionPolicy{}

func (introspectionPolicy) ExtensionName() string                   { return "IntrospectionPolicy" }
func (introspectionPolicy) Validate(graphql.ExecutableSchema) error { return nil }
func (i introspectionPolicy) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	p, _ := principalFrom(ctx)
	oc.DisableIntrospection = !i.open && p.Role < Admin
	return nil
}

// checkIntrospection refuses an operation that introspects the schema where introspection is closed to the
// caller. It runs after authentication, so a bad token is reported as such first.
func checkIntrospection(oc *graphql.OperationContext) error {
	if oc.DisableIntrospection && oc.Operation != nil && introspects(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{}) {
		return &chainmap.Error{Code: chainmap.CodeForbidden, Message: "schema introspection is open to admins only on this server"}
	}
	return nil
}

// introspects reports whether a selection asks for __schema or __type, however deep in fragments (each
// fragment looked at once).
func introspects(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if introspects(s.SelectionSet, frags, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil && !seen[s.Name] {
				seen[s.Name] = true
				if introspects(f.SelectionSet, frags, seen) {
					return true
				}
			}
		}
	}
	return false
}

// complexity sets the cost of the fields whose size the client chooses: a list costs its page size times the
// cost of one item; lists without `first` cost a typical length times one item; aggregates cost more. An Int
// argument sent as null counts as its default in the schema (argDefault), as its resolver reads it.
func complexity(c *ComplexityRoot) {
	size := func(v *int, typ, field, arg string) int {
		if v == nil {
			return argDefault(typ, field, arg)
		}
		return max(*v, 1)
	}
	page := func(first *int, field string) int { return size(first, "Query", field, "first") }
	c.Query.Enterprises = func(child int, _ *chainmap.EnterpriseFilter, _ *EnterpriseOrder, first *int, _ *string) int {
		return 10 + child*page(first, "enterprises")
	}
	c.Query.Bottlenecks = func(child int, _ *chainmap.BottleneckFilter, _ *BottleneckOrder, first *int, _ *string) int {
		return 10 + child*page(first, "bottlenecks")
	}
	c.Query.Sources = func(child int, _ *chainmap.SourceFilter, _ *SourceOrder, first *int, _ *string) int {
		return 10 + child*page(first, "sources")
	}
	c.Query.RdManufacturingLinks = func(child int, _ *chainmap.RDLinkFilter, first *int, _ *string) int {
		return 10 + child*page(first, "rdManufacturingLinks")
	}
	// Flows are bounded by the pairs of regions and the kinds; a map of the seeds has a few dozen.
	c.Query.RdLinkFlows = func(child int, _ *chainmap.RDLinkFilter) int { return 10 + child*100 }
	c.Query.Search = func(child int, _ string, _ []chainmap.SearchType, first *int) int {
		return 10 + child*page(first, "search")
	}
	c.Query.Flags = func(child int, _ *chainmap.FlagFilter, first *int, _ *string) int {
		return 10 + child*page(first, "flags")
	}
	c.Query.FlagStats = func(child int, _ *string) int { return 50 + child }
	c.Query.Regions = func(child int, _ *chainmap.RegionLevel) int { return 1 + child*60 }
	c.Query.ChainMaps = func(child int) int { return 1 + child*6 }
	c.Query.EnterpriseGroups = func(child int, _ *chainmap.EnterpriseFilter, _ chainmap.EnterpriseGroupBy) int { return 50 + child*20 }
	c.Query.BottleneckGroups = func(child int, _ *chainmap.BottleneckFilter, _ chainmap.BottleneckGroupBy) int { return 50 + child*20 }
	c.Segment.Enterprises = func(child int, _ *string, _ *chainmap.ChainRole, first *int) int {
		return 1 + child*size(first, "Segment", "enterprises", "first")
	}
	c.Region.Enterprises = func(child int, first *int) int { return 1 + child*size(first, "Region", "enterprises", "first") }
	c.Enterprise.Suppliers = func(child int, first *int) int { return 1 + child*size(first, "Enterprise", "suppliers", "first") }
	c.Enterprise.Customers = func(child int, first *int) int { return 1 + child*size(first, "Enterprise", "customers", "first") }
	c.ChainMap.Progress = func(child int) int { return 50 + child*10 } // an aggregate, about ten years
	c.ChainMap.Segments = func(child int) int { return 1 + child*10 }
	c.ChainMap.Stats = func(child int) int { return 50 + child }
	c.Region.Stats = func(child int, _ *string) int { return 50 + child }
	c.Region.Children = func(child int) int { return 1 + child*16 }
	c.Segment.Upstream = func(child int) int { return 1 + child*4 }
	c.Segment.Downstream = func(child int) int { return 1 + child*4 }
	c.Segment.Bottlenecks = func(child int) int { return 1 + child*4 }
	c.Enterprise.Sites = func(child int) int { return 1 + child*3 }
	c.Enterprise.Segments = func(child int) int { return 1 + child*3 }
	c.Query.ChainGraph = func(child int, _ string, _ []GraphLayer, maxNodes *int) int {
		return 50 + child*size(maxNodes, "Query", "chainGraph", "maxNodes")/20
	}
	c.Query.GraphSlice = func(child int, _ []string, _ *GraphDirection, _ *int, maxNodes *int) int {
		return 50 + child*size(maxNodes, "Query", "graphSlice", "maxNodes")/20
	}
	c.Query.BottleneckImpact = func(child int, _ string, _ *int, maxNodes *int) int {
		return 50 + child*size(maxNodes, "Query", "bottleneckImpact", "maxNodes")/10
	}
	c.Query.SupplyPaths = func(child int, _, _ string, _ *int, first *int) int { return 50 + child*page(first, "supplyPaths") }
	c.Query.Criticality = func(child int, _ string, first *int) int { return 200 + child*page(first, "criticality") }
	c.Query.AlternativeSuppliers = func(child int, _ string, _ *string, first *int) int {
		return 50 + child*page(first, "alternativeSuppliers")
	}
	c.Query.CoverageGaps = func(child int, _ string) int { return 50 + child*10 }
	c.Query.SingleSourceRisks = func(child int, _ string) int { return 50 + child*10 }
	c.Enterprise.Upstream = func(child int, _ *int) int { return 10 + child*20 }
	c.Enterprise.Downstream = func(child int, _ *int) int { return 10 + child*20 }
}
