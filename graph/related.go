package graph

import (
	"context"
	"fmt"

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
// each with what the request selects of it. Requests are per slot (a path of field names below the root), so
// aliases of one field share one merged selection.
type hydrator struct {
	slots map[string]int
	reqs  []chainmap.RecordsRequest
	fills []fill
}

type fill struct {
	rel  *chainmap.Related
	key  string
	req  int
	ids  []string
	many bool
}

// want asks for the records with ids for every field of sel named name: put in *rel under the field's response
// key, as a list when many, else as one record (or nil).
func (h *hydrator) want(sel *chainmap.Selection, name string, rel *chainmap.Related, many bool, ids ...string) error {
	if sel == nil {
		return nil
	}
	for _, f := range sel.Fields {
		if f.Name != name || f.Sel == nil {
			continue
		}
		slot := string(sel.Kind) + "." + name
		if h.slots == nil {
			h.slots = map[string]int{}
		}
		i, ok := h.slots[slot]
		if !ok {
			i = len(h.reqs)
			h.slots[slot] = i
			h.reqs = append(h.reqs, chainmap.RecordsRequest{Kind: f.Sel.Kind})
		}
		merged, err := merge(h.reqs[i].Sel, f.Sel)
		if err != nil {
			return err
		}
		h.reqs[i].Sel = merged
		h.reqs[i].IDs = append(h.reqs[i].IDs, ids...)
		h.fills = append(h.fills, fill{rel: rel, key: f.Key, req: i, ids: ids, many: many})
	}
	return nil
}

// run reads the records asked for and puts them in place: one round trip, none when nothing was asked.
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
		recs := res[f.req]
		if !f.many {
			var v any
			if len(f.ids) > 0 && f.ids[0] != "" {
				v = recs[f.ids[0]]
			}
			(*f.rel)[f.key] = v
			continue
		}
		list := make([]any, 0, len(f.ids))
		for _, id := range f.ids {
			if v, ok := recs[id]; ok {
				list = append(list, v)
			}
		}
		(*f.rel)[f.key] = list
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
