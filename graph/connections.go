package graph

import (
	"github.com/chainmap/chainmap"
)

// Connections carry their page and, for totalCount, the filter that selected it: the count is computed only
// when a client asks for it (a resolver), never as a side effect of fetching a page.

// EnterpriseConnection is a page of enterprises.
type EnterpriseConnection struct {
	Edges    []EnterpriseEdge
	PageInfo PageInfo
	filter   chainmap.EnterpriseFilter
}

// EnterpriseEdge is an enterprise and its cursor.
type EnterpriseEdge struct {
	Cursor string
	Node   chainmap.Enterprise
}

// BottleneckConnection is a page of bottlenecks.
type BottleneckConnection struct {
	Edges    []BottleneckEdge
	PageInfo PageInfo
	filter   chainmap.BottleneckFilter
}

// BottleneckEdge is a bottleneck and its cursor.
type BottleneckEdge struct {
	Cursor string
	Node   chainmap.Bottleneck
}

// RDLinkConnection is a page of R&D→manufacturing links.
type RDLinkConnection struct {
	Edges    []RDLinkEdge
	PageInfo PageInfo
	filter   chainmap.RDLinkFilter
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
