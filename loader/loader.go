// Package loader turns seed files (YAML and CSV, documented in seeds/README.md) into a validated
// chainmap.Dataset and writes it through a Writer. It checks everything before writing anything: types,
// enums, required fields, duplicate ids and references across files, reporting every problem with its file,
// line and field. Writing is all-or-nothing and idempotent (see Writer).
package loader

import (
	"context"
	"io/fs"

	"github.com/chainmap/chainmap"
)

// Writer writes a dataset. Implementations must write it in one transaction, so that a failure or a kill in
// the middle leaves the graph as it was, and must be idempotent: writing the same dataset twice leaves the
// same nodes, relationships and property values. neo4jdb.DB is the Writer.
type Writer interface {
	WriteDataset(ctx context.Context, ds *chainmap.Dataset, opts chainmap.LoadOptions) (chainmap.LoadSummary, error)
}

// Parse decodes and validates the files. It returns an *InvalidError listing every problem when there is any.
func Parse(files []File) (*chainmap.Dataset, error) {
	p, errs := parse(files)
	ds, verrs := validate(p)
	errs = append(errs, verrs...)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return ds, nil
}

// ParseFS reads the seed files under root in fsys (e.g. the embedded seeds.FS) and parses them, as Parse.
func ParseFS(fsys fs.FS, root string) (*chainmap.Dataset, error) {
	files, err := ReadFS(fsys, root)
	if err != nil {
		return nil, err
	}
	return Parse(files)
}

// Load parses and validates the files, then writes them with w. Nothing is written when any file has a
// problem; the error is then an *InvalidError.
func Load(ctx context.Context, files []File, w Writer, opts chainmap.LoadOptions) (chainmap.LoadSummary, error) {
	ds, err := Parse(files)
	if err != nil {
		return nil, err
	}
	return w.WriteDataset(ctx, ds, opts)
}
