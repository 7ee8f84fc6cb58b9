package loader

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"go.yaml.in/yaml/v3"
)

// Size limits of seed files. A file is measured before it is read or parsed, so that a huge file costs
// nothing; each field is measured before it is validated, with the API's limits: a text the API would refuse
// from an editor is refused from a seed file too.
const (
	MaxFileBytes = 5 << 20 // one seed file
	MaxNameBytes = 200     // names and titles
	MaxTextBytes = 4000    // descriptions, evidence, notes, URLs and every other text
)

// nameFields are the fields held to MaxNameBytes; every other text is held to MaxTextBytes.
var nameFields = map[string]bool{"name": true, "nameZh": true, "nameEn": true, "title": true, "publisher": true,
	"aliases": true, "product": true, "capacity": true}

func fieldLimit(key string) int {
	if nameFields[key] {
		return MaxNameBytes
	}
	return MaxTextBytes
}

func tooLarge(name string, size int64) Problem {
	return Problem{File: name, Message: fmt.Sprintf("the file is %d bytes, more than the %d allowed for a seed file "+
		"(split it)", size, MaxFileBytes)}
}

// ReadFile reads one seed file from disk, refusing it (an *InvalidError, nothing read) when it is larger than
// MaxFileBytes.
func ReadFile(name string) (File, error) {
	f, err := os.Open(name)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	return readLimited(name, f)
}

// readLimited reads r, which holds the file name, up to one byte past the limit: the size a Stat reports may
// be wrong (a pipe, a file still being written), the limit holds anyway.
func readLimited(name string, r io.Reader) (File, error) {
	if s, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := s.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > MaxFileBytes {
			return File{}, &InvalidError{Problems: []Problem{tooLarge(name, info.Size())}}
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return File{}, err
	}
	if len(data) > MaxFileBytes {
		return File{}, &InvalidError{Problems: []Problem{tooLarge(name, int64(len(data)))}}
	}
	return File{Name: name, Data: data}, nil
}

// checkSizes reports every scalar under node longer than its field's limit, with its path (e.g.
// enterprises[3].description) and line.
func checkSizes(file string, node *yaml.Node, path, key string) problems {
	var errs problems
	switch node.Kind {
	case yaml.DocumentNode:
		for _, c := range node.Content {
			errs = append(errs, checkSizes(file, c, path, key)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			if len(k.Value) > MaxNameBytes {
				errs = append(errs, Problem{File: file, Line: k.Line, Field: path,
					Message: fmt.Sprintf("a key of %d bytes, more than the %d allowed", len(k.Value), MaxNameBytes)})
				continue
			}
			if k.Value == "props" {
				continue // a dump's properties, as stored: only the file's own limit holds them
			}
			errs = append(errs, checkSizes(file, v, sub, k.Value)...)
		}
	case yaml.SequenceNode:
		for i, c := range node.Content {
			errs = append(errs, checkSizes(file, c, fmt.Sprintf("%s[%d]", path, i), key)...)
		}
	case yaml.ScalarNode:
		if limit := fieldLimit(key); len(node.Value) > limit {
			errs = append(errs, Problem{File: file, Line: node.Line, Field: path,
				Message: fmt.Sprintf("is %d bytes, more than the %d allowed", len(node.Value), limit)})
		}
	}
	return errs
}
