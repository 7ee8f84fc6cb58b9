package graph

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

func sourcesOf(ctx context.Context, s Store, ids []string) ([]chainmap.Source, error) {
	return all(ctx, "Source", s.SourcesByID, ids)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optional turns the domain's "0 means unknown" into null.
func optional[T int | float64](v T) *T {
	if v == 0 {
		return nil
	}
	return &v
}

// linkEnd loads the site, institution or enterprise with the id.
func linkEnd(ctx context.Context, s Store, id string) (LinkEnd, error) {
	return oneOf(ctx, s, id, "Site", "Institution", "Enterprise")
}

// oneOf loads the record with the id among the kinds given (ids are unique across kinds, so at most one has
// it), asking all kinds at once so that each costs one batch. It returns nil when none has it.
func oneOf(ctx context.Context, s Store, id string, kinds ...string) (any, error) {
	waits := make([]func() (any, bool, error), len(kinds))
	for i, k := range kinds {
		switch k {
		case "ChainMap":
			waits[i] = pending(ctx, k, s.ChainMapsByID, id)
		case "Segment":
			waits[i] = pending(ctx, k, s.SegmentsByID, id)
		case "Enterprise":
			waits[i] = pending(ctx, k, s.EnterprisesByID, id)
		case "Site":
			waits[i] = pending(ctx, k, s.SitesByID, id)
		case "Institution":
			waits[i] = pending(ctx, k, s.InstitutionsByID, id)
		case "Park":
			waits[i] = pending(ctx, k, s.ParksByID, id)
		case "Bottleneck":
			waits[i] = pending(ctx, k, s.BottlenecksByID, id)
		case "Region":
			waits[i] = pending(ctx, k, s.RegionsByCode, id)
		case "Indicator":
			waits[i] = pending(ctx, k, indicatorsByID(s), id)
		default:
			return nil, fmt.Errorf("no batch fetch for kind %q", k)
		}
	}
	arrive(ctx)
	for _, wait := range waits {
		v, ok, err := wait()
		if err != nil {
			return nil, err
		}
		if ok {
			return v, nil
		}
	}
	return nil, nil
}

// pending enqueues a key and returns a function that waits for its record.
func pending[V any](ctx context.Context, kind string, fetch func(context.Context, []string) (map[string]V, error), id string) func() (any, bool, error) {
	bt := batcherFor(ctx, kind, fetch).enqueue(ctx, id)
	return func() (any, bool, error) {
		if err := bt.wait(ctx); err != nil {
			return nil, false, err
		}
		v, ok := bt.res[id]
		return v, ok, nil
	}
}

// indicatorsByID adapts Store.Indicators to a batch fetch by id.
func indicatorsByID(s Store) func(context.Context, []string) (map[string]chainmap.Indicator, error) {
	return func(ctx context.Context, ids []string) (map[string]chainmap.Indicator, error) {
		list, err := s.Indicators(ctx, chainmap.IndicatorFilter{IDs: ids})
		out := make(map[string]chainmap.Indicator, len(list))
		for _, in := range list {
			out[in.ID] = in
		}
		return out, err
	}
}
