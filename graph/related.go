package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/chainmap/chainmap"
)

// Reading what was planned. A resolver below a root field finds its records in its parent's Related, under the
// response key of the field it resolves: the root field read them, with everything below, in its one statement.

// relatedValue returns what the request read for the field ctx resolves.
func relatedValue(ctx context.Context, rel chainmap.Related) (any, error) {
	key := graphql.GetFieldContext(ctx).Field.Alias
	v, ok := rel[key]
	if !ok {
		return nil, fmt.Errorf("%s was not read with its parent: the plan missed it", key)
	}
	return v, nil
}

// one returns the record read for the field ctx resolves, or nil.
func one[T any](ctx context.Context, rel chainmap.Related) (*T, error) {
	v, err := relatedValue(ctx, rel)
	switch x := v.(type) {
	case nil:
		return nil, err
	case *T:
		return x, nil
	case T:
		return &x, nil
	}
	return nil, fmt.Errorf("read a %T, want a %T", v, new(T))
}

// list returns the records read for the field ctx resolves.
func list[T any](ctx context.Context, rel chainmap.Related) ([]T, error) {
	v, err := relatedValue(ctx, rel)
	switch x := v.(type) {
	case nil:
		return []T{}, err
	case []T:
		return x, nil
	case []any: // hydrated: pointers to records
		out := make([]T, 0, len(x))
		for _, it := range x {
			p, ok := it.(*T)
			if !ok {
				return nil, fmt.Errorf("read a %T, want a %T", it, p)
			}
			out = append(out, *p)
		}
		return out, nil
	}
	return nil, fmt.Errorf("read a %T, want a []%T", v, *new(T))
}

// hydrator reads, in one statement, the records that analysis results and mutation results refer to by id,
// each with what the request selects of it. It is made with the paths below the root field where such records
// sit ("bottleneck", "segments.segment"): each path the request selects is one request of that statement, its
// aliases merged, whether or not the analysis then finds anything — so the round trips follow from the text.
type hydrator struct {
	paths map[string]*slot
	reqs  []chainmap.RecordsRequest
	fills []fill
}

// slot is a path the request selects: its request and the response keys its records go under.
type slot struct {
	req  int
	keys []string
}

type fill struct {
	rel  *chainmap.Related
	slot *slot
	ids  []string
	many bool
}

// hydrator plans the root field's selection and makes the hydrator of the records at paths in it; its errors
// are the planner's and newHydrator's.
func (p *planner) hydrator(ctx context.Context, paths ...string) (*hydrator, error) {
	sel, err := p.plan(ctx)
	if err != nil {
		return nil, err
	}
	return newHydrator(sel, paths...)
}

func newHydrator(sel *chainmap.Selection, paths ...string) (*hydrator, error) {
	h := &hydrator{paths: map[string]*slot{}}
	for _, path := range paths {
		var found []chainmap.SelectedField
		level := []*chainmap.Selection{sel}
		names := strings.Split(path, ".")
		for i, name := range names {
			var next []*chainmap.Selection
			for _, s := range level {
				for _, f := range fieldsNamed(s, name) {
					if i == len(names)-1 {
						found = append(found, f)
					} else {
						next = append(next, f.Sel)
					}
				}
			}
			level = next
		}
		if len(found) == 0 {
			continue
		}
		sl := &slot{req: len(h.reqs)}
		req := chainmap.RecordsRequest{Kind: found[0].Sel.Kind}
		for _, f := range found {
			merged, err := merge(req.Sel, f.Sel)
			if err != nil {
				return nil, err
			}
			req.Sel = merged
			if !slices.Contains(sl.keys, f.Key) {
				sl.keys = append(sl.keys, f.Key)
			}
		}
		h.reqs = append(h.reqs, req)
		h.paths[path] = sl
	}
	return h, nil
}

// want asks for the records with ids at path, to be put in *rel under the path's response keys: as a list when
// many, else as one record (or nil). A path the request does not select is ignored.
func (h *hydrator) want(path string, rel *chainmap.Related, many bool, ids ...string) {
	sl, ok := h.paths[path]
	if !ok {
		return
	}
	h.reqs[sl.req].IDs = append(h.reqs[sl.req].IDs, ids...)
	h.fills = append(h.fills, fill{rel: rel, slot: sl, ids: ids, many: many})
}

// run reads the records asked for and puts them in place: one round trip when the request selects any path.
func (h *hydrator) run(ctx context.Context, s Store) error {
	if len(h.reqs) == 0 {
		return nil
	}
	for i := range h.reqs {
		h.reqs[i].IDs = uniq(h.reqs[i].IDs)
	}
	res, err := s.Records(ctx, h.reqs...)
	if err != nil {
		return err
	}
	for _, f := range h.fills {
		if *f.rel == nil {
			*f.rel = chainmap.Related{}
		}
		recs := res[f.slot.req]
		var v any
		if f.many {
			list := make([]any, 0, len(f.ids))
			for _, id := range f.ids {
				if r, ok := recs[id]; ok {
					list = append(list, r)
				}
			}
			v = list
		} else if len(f.ids) > 0 && f.ids[0] != "" {
			v = recs[f.ids[0]]
		}
		for _, k := range f.slot.keys {
			(*f.rel)[k] = v
		}
	}
	return nil
}

func uniq(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// fieldsNamed returns the fields of sel named name (each alias of it).
func fieldsNamed(sel *chainmap.Selection, name string) []chainmap.SelectedField {
	var out []chainmap.SelectedField
	for _, f := range sel.Fields {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}
