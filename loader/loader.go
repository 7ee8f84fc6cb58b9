// Package loader turns seed files (YAML and CSV, documented in seeds/README.md) into a validated
// chainmap.Dataset, which neo4jdb.DB.WriteDataset writes all-or-nothing. It checks everything before anything is
// written: types, enums, required fields, duplicate ids and references across files, reporting every problem
// with its file, line and field.
package loader

import (
	"io/fs"

	"github.com/chainmap/chainmap"
)

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
