package graph

import (
	"context"
	"errors"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/chainmap/chainmap"
)

// loaders batch the fetches of one request: every field that needs records by key asks its loader, and the
// loader makes one Store call for all the keys asked for within a few milliseconds. So a request costs one
// round trip per loader and level of nesting, however long its lists are.
type loaders struct {
	chainMaps          *dataloadgen.Loader[string, chainmap.ChainMap]
	segments           *dataloadgen.Loader[string, chainmap.Segment]
	enterprises        *dataloadgen.Loader[string, chainmap.Enterprise]
	sites              *dataloadgen.Loader[string, chainmap.Site]
	regions            *dataloadgen.Loader[string, chainmap.Region]
	bottlenecks        *dataloadgen.Loader[string, chainmap.Bottleneck]
	institutions       *dataloadgen.Loader[string, chainmap.Institution]
	parks              *dataloadgen.Loader[string, chainmap.Park]
	sources            *dataloadgen.Loader[string, chainmap.Source]
	indicators         *dataloadgen.Loader[string, chainmap.Indicator]
	segmentEnterprises *dataloadgen.Loader[chainmap.SegmentEnterprisesKey, []chainmap.Enterprise]
	regionEnterprises  *dataloadgen.Loader[chainmap.RegionEnterprisesKey, []chainmap.Enterprise]
	suppliers          *dataloadgen.Loader[chainmap.SupplyKey, []chainmap.Supply]
	customers          *dataloadgen.Loader[chainmap.SupplyKey, []chainmap.Supply]
	statusHistory      *dataloadgen.Loader[string, []chainmap.StatusChange]
	chainMapStats      *dataloadgen.Loader[string, chainmap.ChainMapStats]
	regionStats        *dataloadgen.Loader[string, chainmap.RegionStats]
}

// loaderWait is how long a loader collects keys before it fetches. gqlgen resolves the items of a list
// concurrently, so their keys arrive within microseconds of each other.
const loaderWait = 3 * time.Millisecond

func newLoaders(s Store) *loaders {
	opt := dataloadgen.WithWait(loaderWait)
	return &loaders{
		chainMaps:    dataloadgen.NewMappedLoader(s.ChainMapsByID, opt),
		segments:     dataloadgen.NewMappedLoader(s.SegmentsByID, opt),
		enterprises:  dataloadgen.NewMappedLoader(s.EnterprisesByID, opt),
		sites:        dataloadgen.NewMappedLoader(s.SitesByID, opt),
		regions:      dataloadgen.NewMappedLoader(s.RegionsByCode, opt),
		bottlenecks:  dataloadgen.NewMappedLoader(s.BottlenecksByID, opt),
		institutions: dataloadgen.NewMappedLoader(s.InstitutionsByID, opt),
		parks:        dataloadgen.NewMappedLoader(s.ParksByID, opt),
		sources:      dataloadgen.NewMappedLoader(s.SourcesByID, opt),
		indicators: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]chainmap.Indicator, error) {
			list, err := s.Indicators(ctx, chainmap.IndicatorFilter{IDs: ids})
			out := make(map[string]chainmap.Indicator, len(list))
			for _, in := range list {
				out[in.ID] = in
			}
			return out, err
		}, opt),
		segmentEnterprises: dataloadgen.NewMappedLoader(s.SegmentEnterprises, opt),
		regionEnterprises:  dataloadgen.NewMappedLoader(s.RegionEnterprises, opt),
		suppliers:          dataloadgen.NewMappedLoader(s.Suppliers, opt),
		customers:          dataloadgen.NewMappedLoader(s.Customers, opt),
		statusHistory:      dataloadgen.NewMappedLoader(s.StatusHistory, opt),
		chainMapStats:      dataloadgen.NewMappedLoader(s.ChainMapStats, opt),
		regionStats:        dataloadgen.NewMappedLoader(s.RegionStats, opt),
	}
}

type loadersKey struct{}

func withLoaders(ctx context.Context, l *loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}

// one loads the record with key; a missing record is (nil, nil): a lookup of something absent is null.
func one[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], key K) (*V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// all loads the records with the keys, in key order, leaving out those that no longer exist.
func all[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], keys []K) ([]V, error) {
	thunks := make([]func() (V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.LoadThunk(ctx, k)
	}
	out := make([]V, 0, len(keys))
	for _, th := range thunks {
		v, err := th()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// list loads the list stored under key; a key with no entry has an empty list.
func list[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, []V], key K) ([]V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return []V{}, nil
	}
	return v, err
}
