package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/chainmap/chainmap"
)

// Connections: a page of a list, read in one statement with its total count when asked for.

// EnterpriseConnection is a page of enterprises.
type EnterpriseConnection struct {
	Edges      []EnterpriseEdge
	Nodes      []chainmap.Enterprise
	PageInfo   PageInfo
	TotalCount int
}

// EnterpriseEdge is an enterprise and its cursor.
type EnterpriseEdge struct {
	Cursor string
	Node   chainmap.Enterprise
}

// BottleneckConnection is a page of bottlenecks.
type BottleneckConnection struct {
	Edges      []BottleneckEdge
	Nodes      []chainmap.Bottleneck
	PageInfo   PageInfo
	TotalCount int
}

// BottleneckEdge is a bottleneck and its cursor.
type BottleneckEdge struct {
	Cursor string
	Node   chainmap.Bottleneck
}

// RDLinkConnection is a page of R&D→manufacturing links.
type RDLinkConnection struct {
	Edges      []RDLinkEdge
	Nodes      []chainmap.RDLink
	PageInfo   PageInfo
	TotalCount int
}

// RDLinkEdge is a link and its cursor.
type RDLinkEdge struct {
	Cursor string
	Node   chainmap.RDLink
}

// PageInfo is Relay's page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// page turns a page read from the store into a connection's parts: its nodes, edges (made by edge from a
// cursor and a node) and page information. Cursors belong to the order they were made in. Edges are made only
// when the request selects them, and cursors only where it reads them (each edge's; pageInfo's first and last):
// each cursor is JSON in base64, one of the larger costs of a page.
func page[T any, E any](ctx context.Context, pg chainmap.PageOf[any], order string, edge func(cursor string, node T) E) ([]T, []E, PageInfo) {
	withEdges, withInfo := selectedParts(ctx)
	nodes := make([]T, 0, len(pg.Items))
	var edges []E
	if withEdges {
		edges = make([]E, 0, len(pg.Items))
	}
	last := len(pg.Items) - 1
	cursors := make([]string, len(pg.Items))
	for i, it := range pg.Items {
		var node T
		if p, ok := it.Item.(*T); ok {
			node = *p
		}
		if withEdges || withInfo && (i == 0 || i == last) {
			cursors[i] = encodeCursor(order, it.Key, it.ID)
		}
		nodes = append(nodes, node)
		if withEdges {
			edges = append(edges, edge(cursors[i], node))
		}
	}
	info := PageInfo{HasNextPage: pg.HasNext}
	if last >= 0 {
		info.StartCursor, info.EndCursor = &cursors[0], &cursors[last]
	}
	return nodes, edges, info
}

// selectedParts says whether the request selects the edges and the pageInfo of the connection being
// resolved (through fragments and aliases, after @skip and @include); both when it cannot tell.
func selectedParts(ctx context.Context) (edges, pageInfo bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil || !graphql.HasOperationContext(ctx) {
		return true, true
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{fc.Field.Definition.Type.Name()}) {
		switch f.Name {
		case "edges":
			edges = true
		case "pageInfo":
			pageInfo = true
		}
	}
	return edges, pageInfo
}

// parts are a connection's parts, as connection reads them.
type parts[T, E any] struct {
	nodes []T
	edges []E
	info  PageInfo
	total int
}

// connection is the body of a connection resolver: it checks first and after against the order (with the
// filter's own check, filterErr), plans the nodes' selection, reads the page with read and returns the
// connection's parts. Its errors are those of the checks (BAD_USER_INPUT), the planner and read, in that order.
func connection[T, E any](ctx context.Context, p *planner, first *int, after *string, order string, filterErr error,
	read func(chainmap.Page, chainmap.ListRequest) (chainmap.PageOf[any], error), edge func(cursor string, node T) E) (parts[T, E], error) {
	var c parts[T, E]
	pg, err := pageOf(first, firstDefault(ctx), after, order, filterErr)
	if err != nil {
		return c, err
	}
	req, err := p.list(ctx)
	if err != nil {
		return c, err
	}
	res, err := read(pg, req)
	if err != nil {
		return c, err
	}
	c.total = res.Total
	c.nodes, c.edges, c.info = page(ctx, res, order, edge)
	return c, nil
}
