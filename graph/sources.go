package graph

import (
	"context"

	"github.com/chainmap/chainmap"
)

// SourceStore is what the sources query and the editors' creates and deletes need from the database.
type SourceStore interface {
	Sources(ctx context.Context, q chainmap.SourceQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error)
	// CreateSource returns the source created (its id at least); the resolver reads it with Records.
	CreateSource(ctx context.Context, s chainmap.Source, author string) (chainmap.Source, error)
	DeleteEnterprise(ctx context.Context, id, author string) (chainmap.Deletion, error)
	DeleteBottleneck(ctx context.Context, id, author string) (chainmap.Deletion, error)
}

// SourceConnection is a page of sources.
type SourceConnection struct {
	Edges      []SourceEdge
	Nodes      []chainmap.Source
	PageInfo   PageInfo
	TotalCount int
}

// SourceEdge is a source and its cursor.
type SourceEdge struct {
	Cursor string
	Node   chainmap.Source
}

func checkSourceFilter(f *chainmap.SourceFilter) error {
	if f == nil {
		return nil
	}
	return firstErr(checkSearchText("filter.text", f.Text), checkSearchText("filter.language", f.Language))
}

// domain checks a source to create with the rules the loader applies to seed files (chainmap.Source.Problems).
func (in SourceInput) domain() (chainmap.Source, error) {
	s := chainmap.Source{ID: in.ID, Title: in.Title, Publisher: deref(in.Publisher), URL: in.URL, Date: deref(in.Date),
		Reliability: in.Reliability, Language: deref(in.Language), Note: deref(in.Note)}
	err := firstErr(chainmap.CheckID("input.id", in.ID), checkText("input.title", &in.Title), checkText("input.publisher", in.Publisher),
		checkText("input.url", &in.URL), checkText("input.note", in.Note), checkText("input.language", in.Language),
		checkText("input.date", in.Date))
	if err != nil {
		return s, err
	}
	if p := s.Problems(); len(p) > 0 {
		return s, chainmap.Invalid("input."+p[0].Field, "%s", p[0].Message)
	}
	return s, nil
}
