// Package graph is chainmap's GraphQL layer, built with gqlgen: the generated executor (generated.go, never
// edited), thin resolvers that translate arguments and call the Store through per-request dataloaders, and the
// handler with its roles, limits and error presenter. It holds no Cypher.
package graph

//go:generate go tool gqlgen generate

import (
	"context"

	"github.com/chainmap/chainmap"
)

// Store is what the resolvers need from the database. neo4jdb.DB implements it. Batch methods return maps
// keyed by the keys asked for; a key with no record is absent.
type Store interface {
	ChainMaps(ctx context.Context) ([]chainmap.ChainMap, error)
	ChainMapsByID(ctx context.Context, ids []string) (map[string]chainmap.ChainMap, error)
	SegmentsByID(ctx context.Context, ids []string) (map[string]chainmap.Segment, error)
	EnterprisesByID(ctx context.Context, ids []string) (map[string]chainmap.Enterprise, error)
	SitesByID(ctx context.Context, ids []string) (map[string]chainmap.Site, error)
	RegionsByCode(ctx context.Context, codes []string) (map[string]chainmap.Region, error)
	BottlenecksByID(ctx context.Context, ids []string) (map[string]chainmap.Bottleneck, error)
	InstitutionsByID(ctx context.Context, ids []string) (map[string]chainmap.Institution, error)
	ParksByID(ctx context.Context, ids []string) (map[string]chainmap.Park, error)
	SourcesByID(ctx context.Context, ids []string) (map[string]chainmap.Source, error)

	SegmentEnterprises(ctx context.Context, keys []chainmap.SegmentEnterprisesKey) (map[chainmap.SegmentEnterprisesKey][]chainmap.Enterprise, error)
	RegionEnterprises(ctx context.Context, keys []chainmap.RegionEnterprisesKey) (map[chainmap.RegionEnterprisesKey][]chainmap.Enterprise, error)
	Suppliers(ctx context.Context, keys []chainmap.SupplyKey) (map[chainmap.SupplyKey][]chainmap.Supply, error)
	Customers(ctx context.Context, keys []chainmap.SupplyKey) (map[chainmap.SupplyKey][]chainmap.Supply, error)
	StatusHistory(ctx context.Context, ids []string) (map[string][]chainmap.StatusChange, error)
	ChainMapStats(ctx context.Context, ids []string) (map[string]chainmap.ChainMapStats, error)
	RegionStats(ctx context.Context, codes []string) (map[string]chainmap.RegionStats, error)

	Regions(ctx context.Context, level *chainmap.RegionLevel) ([]chainmap.Region, error)
	Enterprises(ctx context.Context, q chainmap.EnterpriseQuery) (chainmap.PageOf[chainmap.Enterprise], error)
	CountEnterprises(ctx context.Context, f chainmap.EnterpriseFilter) (int, error)
	EnterpriseGroups(ctx context.Context, f chainmap.EnterpriseFilter, by chainmap.EnterpriseGroupBy) ([]chainmap.Group, error)
	Bottlenecks(ctx context.Context, q chainmap.BottleneckQuery) (chainmap.PageOf[chainmap.Bottleneck], error)
	CountBottlenecks(ctx context.Context, f chainmap.BottleneckFilter) (int, error)
	BottleneckGroups(ctx context.Context, f chainmap.BottleneckFilter, by chainmap.BottleneckGroupBy) ([]chainmap.Group, error)
	RDLinks(ctx context.Context, q chainmap.RDLinkQuery) (chainmap.PageOf[chainmap.RDLink], error)
	CountRDLinks(ctx context.Context, f chainmap.RDLinkFilter) (int, error)
	Indicators(ctx context.Context, f chainmap.IndicatorFilter) ([]chainmap.Indicator, error)
	Search(ctx context.Context, text string, types []chainmap.SearchType, first int) ([]chainmap.SearchHit, error)

	BottleneckImpact(ctx context.Context, id string, maxDepth, maxNodes int) (*chainmap.Impact, error)
	SupplyPaths(ctx context.Context, from, to string, maxHops, first int) ([]chainmap.Path, error)
	CoverageGaps(ctx context.Context, chainMapID string) ([]chainmap.CoverageGap, error)
	SingleSourceRisks(ctx context.Context, chainMapID string) ([]chainmap.SingleSourceRisk, error)
	AlternativeSuppliers(ctx context.Context, enterpriseID, segmentID string, first int) ([]chainmap.Alternative, error)
	SupplyNetwork(ctx context.Context, chainMapID string) (chainmap.SupplyNetwork, error)
	Tiers(ctx context.Context, keys []chainmap.TierKey) (map[chainmap.TierKey][]chainmap.TierLink, error)
	ChainGraph(ctx context.Context, chainMapID string, layers []string, maxNodes int) (chainmap.GraphView, error)
	GraphSlice(ctx context.Context, rootIDs []string, direction string, maxHops, maxNodes int) (chainmap.GraphView, error)

	UpsertEnterprise(ctx context.Context, e chainmap.Enterprise, sites []chainmap.Site, replaceSites bool, author string) (chainmap.Enterprise, error)
	UpsertBottleneck(ctx context.Context, b chainmap.Bottleneck, author string) (chainmap.Bottleneck, error)
	SetBottleneckStatus(ctx context.Context, id string, status chainmap.BottleneckStatus, note, author string) (chainmap.Bottleneck, error)
	LinkSupplier(ctx context.Context, s chainmap.Supply, author string) (chainmap.Supply, error)
	UnlinkSupplier(ctx context.Context, from, to, product string) (chainmap.Enterprise, error)
	RecordTechTransfer(ctx context.Context, t chainmap.TechTransfer, author string) (chainmap.RDLink, error)
}

// Resolver is the root resolver; gqlgen calls it for every field that needs code.
type Resolver struct {
	Store Store
}
