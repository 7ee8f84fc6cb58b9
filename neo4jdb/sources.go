package neo4jdb

import (
	"context"
	"strings"

	"github.com/chainmap/chainmap"
)

// sources is the list of sources. There are a few hundred: a label scan with the filter as predicates is cheap.
var sources = list{
	kind: chainmap.KindSource, v: "s", id: "s.id", scope: scope{"n": "s"},
	anchors: []anchor{{"", `MATCH (s:Source)`}},
	preds: map[string]string{
		"text": `(toLower(s.title) CONTAINS $text OR toLower(coalesce(s.publisher, '')) CONTAINS $text
    OR toLower(s.url) CONTAINS $text)`,
		"reliability": `s.reliability IN $reliability`,
		"language":    `s.language = $language`,
	},
	sortKeys: map[string]string{
		string(chainmap.SourceByID):    `s.id`,
		string(chainmap.SourceByTitle): `s.title`,
		string(chainmap.SourceByDate):  `coalesce(s.date, '')`,
	},
}

func sourceConds(f chainmap.SourceFilter) []cond {
	rel := make([]string, len(f.Reliability))
	for i, r := range f.Reliability {
		rel[i] = string(r)
	}
	return []cond{
		{"text", strings.ToLower(deref(f.Text)), f.Text != nil},
		{"reliability", rel, len(f.Reliability) > 0},
		{"language", deref(f.Language), f.Language != nil},
	}
}

// Sources returns a page of the sources of q, each read with req.Node, with their sort keys and, when
// req.Count, the number of all that match.
func (db *DB) Sources(ctx context.Context, q chainmap.SourceQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error) {
	return db.page(ctx, "Sources", sources, sourceConds(q.Filter), string(q.OrderBy), q.Direction, q.Page, req)
}

const recordKind = `OPTIONAL MATCH (n:Record {id: $id}) RETURN [l IN labels(n) WHERE l <> 'Record'][0] AS label`

const createSource = `
CREATE (s:Source:Record {id: $id, name: $title, title: $title, publisher: $publisher, url: $url, date: $date,
  reliability: $reliability, language: $language, note: $note, origin: 'api', createdBy: $author,
  editedBy: $author, editedAt: toString(datetime())})
RETURN s.id AS id`

// CreateSource creates a source that records can then cite. The caller has checked its fields
// (chainmap.Source.Problems); an id that names a record already, a source or any other kind, is CONFLICT on
// input.id (the record_id constraint settles two editors creating it at once).
func (db *DB) CreateSource(ctx context.Context, s chainmap.Source, author string) (chainmap.Source, error) {
	out, err := db.inTx(ctx, "CreateSource", func(run txRunner) (any, error) {
		recs, err := run(recordKind, map[string]any{"id": s.ID})
		if err != nil {
			return nil, err
		}
		switch label, _ := recs[0].Get("label"); label {
		case nil:
		case "Source":
			return nil, chainmap.Conflict("input.id", "source %q exists already", s.ID)
		default:
			return nil, chainmap.Conflict("input.id", "%q is already the id of another kind of record", s.ID)
		}
		c := newChange(chainmap.ChangeSource, "createSource", s.ID, author)
		if err := c.start(run); err != nil {
			return nil, err
		}
		if _, err := run(createSource, map[string]any{"id": s.ID, "title": s.Title, "publisher": nullable(s.Publisher),
			"url": s.URL, "date": nullable(s.Date), "reliability": string(s.Reliability), "language": nullable(s.Language),
			"note": nullable(s.Note), "author": author}); err != nil {
			return nil, err
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return chainmap.Source{ID: s.ID}, nil
	})
	if err != nil {
		return chainmap.Source{}, err
	}
	return out.(chainmap.Source), nil
}
