package graph

import (
	"context"

	"github.com/chainmap/chainmap"
)

func sourcesOf(ctx context.Context, ids []string) ([]chainmap.Source, error) {
	return all(ctx, loadersFrom(ctx).sources, ids)
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

// linkEnd loads the site, institution or enterprise with the id; ids are unique across kinds, so at most one
// loader finds it. All three are asked at once, so the lookup still costs one round trip per loader.
func linkEnd(ctx context.Context, id string) (LinkEnd, error) {
	l := loadersFrom(ctx)
	site, inst, ent := l.sites.LoadThunk(ctx, id), l.institutions.LoadThunk(ctx, id), l.enterprises.LoadThunk(ctx, id)
	if v, err := site(); err == nil {
		return v, nil
	}
	if v, err := inst(); err == nil {
		return v, nil
	}
	v, err := ent()
	if err != nil {
		return nil, err
	}
	return v, nil
}
