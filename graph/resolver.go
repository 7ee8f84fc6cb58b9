// Package graph is chainmap's GraphQL layer, built with gqlgen: the generated executor (generated.go, never
// edited), the planner that turns each root field's selection into a chainmap.Selection before anything is read
// (plan.go), thin resolvers that pass it to the Store and read what comes back (related.go), and the handler
// with its roles, limits and error presenter. It holds no Cypher.
package graph

//go:generate go tool gqlgen generate

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

// Store is what the resolvers need from the database; neo4jdb.DB implements it. Every read takes the selection
// the request makes of its results and reads it in one statement.
type Store interface {
	Records(ctx context.Context, reqs ...chainmap.RecordsRequest) ([]map[string]any, error)
	ChainMaps(ctx context.Context, sel *chainmap.Selection) ([]chainmap.ChainMap, error)
	Regions(ctx context.Context, level *chainmap.RegionLevel, sel *chainmap.Selection) ([]chainmap.Region, error)
	Enterprises(ctx context.Context, q chainmap.EnterpriseQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error)
	EnterpriseGroups(ctx context.Context, f chainmap.EnterpriseFilter, by chainmap.EnterpriseGroupBy) ([]chainmap.Group, error)
	Bottlenecks(ctx context.Context, q chainmap.BottleneckQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error)
	BottleneckGroups(ctx context.Context, f chainmap.BottleneckFilter, by chainmap.BottleneckGroupBy) ([]chainmap.Group, error)
	RDLinks(ctx context.Context, q chainmap.RDLinkQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error)
	RDLinkFlows(ctx context.Context, f chainmap.RDLinkFilter, sel *chainmap.Selection) ([]chainmap.RDLinkFlow, error)
	Indicators(ctx context.Context, f chainmap.IndicatorFilter, sel *chainmap.Selection) ([]chainmap.Indicator, error)
	Search(ctx context.Context, text string, types []chainmap.SearchType, first int, sel *chainmap.Selection) ([]chainmap.SearchHit, error)
	OfficialLists(ctx context.Context, chainMapID string, kind *chainmap.ListKind, sel *chainmap.Selection) ([]chainmap.OfficialList, error)

	// The analyses return ids; the resolvers read the records they refer to with Records.
	BottleneckImpact(ctx context.Context, id string, maxDepth, maxNodes int) (*chainmap.Impact, error)
	SupplyPaths(ctx context.Context, from, to string, maxHops, first int) ([]chainmap.Path, error)
	CoverageGaps(ctx context.Context, chainMapID string) ([]chainmap.CoverageGap, error)
	SingleSourceRisks(ctx context.Context, chainMapID string) ([]chainmap.SingleSourceRisk, error)
	AlternativeSuppliers(ctx context.Context, enterpriseID, segmentID string, first int) ([]chainmap.Alternative, error)
	SupplyNetwork(ctx context.Context, chainMapID string) (chainmap.SupplyNetwork, error)
	ChainGraph(ctx context.Context, chainMapID string, layers []string, maxNodes int) (chainmap.GraphView, error)
	GraphSlice(ctx context.Context, rootIDs []string, direction string, maxHops, maxNodes int) (chainmap.GraphView, error)
	RegionGaps(ctx context.Context, q chainmap.RegionGapQuery) (*chainmap.RegionGaps, error)
	Scenario(ctx context.Context, q chainmap.ScenarioQuery) (*chainmap.Scenario, error)
	ChangesSummary(ctx context.Context, q chainmap.ChangesQuery) (*chainmap.ChangesSummary, error)

	// The mutations return the record they changed (its id at least); the resolvers read it with Records.
	UpsertEnterprise(ctx context.Context, e chainmap.Enterprise, sites []chainmap.Site, replaceSites bool, author string) (chainmap.Enterprise, error)
	UpsertBottleneck(ctx context.Context, b chainmap.Bottleneck, author string) (chainmap.Bottleneck, error)
	SetBottleneckStatus(ctx context.Context, id string, status chainmap.BottleneckStatus, note, author string) (chainmap.Bottleneck, error)
	LinkSupplier(ctx context.Context, s chainmap.Supply, author string) (chainmap.Supply, error)
	UnlinkSupplier(ctx context.Context, from, to, product, author string) (chainmap.Enterprise, error)
	RecordTechTransfer(ctx context.Context, t chainmap.TechTransfer, author string) (chainmap.RDLink, error)

	// Readers' flags: raised by readers, listed and settled by editors, counted for the audit.
	FlagRecord(ctx context.Context, f chainmap.NewFlag) (chainmap.Flag, error)
	ResolveFlag(ctx context.Context, in chainmap.FlagResolutionInput) (chainmap.Flag, error)
	Flags(ctx context.Context, q chainmap.FlagQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error)
	FlagStats(ctx context.Context, chainMapID string) (chainmap.FlagStats, error)

	// The change log, for the changes query and the subscriptions.
	ChangeStore
	SourceStore
}

// Resolver is the root resolver; gqlgen calls it for every field that needs code.
type Resolver struct {
	Store    Store
	planner  *planner
	feed     *feed
	flagRate *flagRate
}

// record reads one record of a kind by id (code, for regions) with the selection below the field ctx resolves;
// nil when there is none.
func record[T any](ctx context.Context, r *Resolver, kind chainmap.Kind, id string) (*T, error) {
	sel, err := r.planner.plan(ctx)
	if err != nil {
		return nil, err
	}
	res, err := r.Store.Records(ctx, chainmap.RecordsRequest{Kind: kind, IDs: []string{id}, Sel: sel})
	if err != nil {
		return nil, err
	}
	v, _ := res[0][id].(*T)
	return v, nil
}

// written reads back a record a mutation changed, with the selection below the mutation's field.
func written[T any](ctx context.Context, r *Resolver, kind chainmap.Kind, id string) (*T, error) {
	v, err := record[T](ctx, r, kind, id)
	if err == nil && v == nil {
		return nil, fmt.Errorf("%s %q was written but cannot be read back", kind, id)
	}
	return v, err
}
