package loader

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/chainmap/chainmap"
)

// MaxFileBytes caps one seed file. A file is measured before it is read or parsed, so that a huge file costs
// nothing; each field is checked before it is validated, by the API's rule (chainmap.CheckText: characters,
// not bytes, and no control characters), so that a text the API would refuse from an editor is refused from
// a seed file too, and one it takes loads.
const MaxFileBytes = 5 << 20

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

// checkTexts reports every scalar under node that chainmap.CheckText refuses (too long for its field, a
// control character, a name on two lines), with its path (e.g. enterprises[3].description) and line.
func checkTexts(file string, node *yaml.Node, path string) problems {
	var errs problems
	switch node.Kind {
	case yaml.DocumentNode:
		for _, c := range node.Content {
			errs = append(errs, checkTexts(file, c, path)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			if n := utf8.RuneCountInString(k.Value); n > chainmap.MaxNameLength {
				errs = append(errs, Problem{File: file, Line: k.Line, Field: path,
					Message: fmt.Sprintf("a key of %d characters, more than the %d allowed", n, chainmap.MaxNameLength)})
				continue
			}
			if k.Value == "props" {
				continue // a dump's properties, as stored: only the file's own limit holds them
			}
			errs = append(errs, checkTexts(file, v, sub)...)
		}
	case yaml.SequenceNode:
		for i, c := range node.Content {
			errs = append(errs, checkTexts(file, c, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case yaml.ScalarNode:
		if err := chainmap.CheckText(path, node.Value); err != nil {
			errs = append(errs, Problem{File: file, Line: node.Line, Field: path, Message: err.(*chainmap.Error).Message})
		}
	}
	return errs
}
