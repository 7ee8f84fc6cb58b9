package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is one seed file: its name (shown in problems) and its content.
type File struct {
	Name string
	Data []byte
}

// ReadFS returns the seed files (*.yaml, *.yml, *.csv, *.xlsx) under root in fsys, in lexical order. Files larger
// than MaxFileBytes are not read: ReadFS then returns an *InvalidError naming each of them.
func ReadFS(fsys fs.FS, root string) ([]File, error) {
	var files []File
	var errs problems
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch path.Ext(name) {
		case ".yaml", ".yml", ".csv", ".xlsx":
			f, err := fsys.Open(name)
			if err != nil {
				return err
			}
			file, err := readLimited(name, f)
			f.Close()
			var invalid *InvalidError
			if errors.As(err, &invalid) {
				errs = append(errs, invalid.Problems...)
				return nil
			}
			if err != nil {
				return err
			}
			files = append(files, file)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return files, nil
}

// item is a decoded record and where it came from.
type item[T any] struct {
	v  T
	at loc
}

// parsed holds the records of all files before validation, a list per entry of recordKinds. Sites nested in
// enterprises are flattened into sites, with their enterprise filled in (and list entries into listItems).
type parsed struct {
	sources       []item[sourceRec]
	regions       []item[regionRec]
	chainMaps     []item[chainMapRec]
	segments      []item[segmentRec]
	enterprises   []item[enterpriseRec]
	sites         []item[siteRec]
	institutions  []item[institutionRec]
	parks         []item[parkRec]
	bottlenecks   []item[bottleneckRec]
	techTransfers []item[techTransferRec]
	supplies      []item[supplyRec]
	indicators    []item[indicatorRec]
	officialLists []item[officialListRec]
	listItems     []item[listItemRec]
	hosts         []item[hostRec]
	changeLogs    []item[changeLogRec]
	nodes         []item[nodeRec]
	rels          []item[relRec]
}

// parse decodes every file, collecting every problem rather than stopping at the first.
func parse(files []File) (*parsed, problems) {
	p := &parsed{}
	var errs problems
	for _, f := range files {
		if len(f.Data) > MaxFileBytes {
			errs = append(errs, tooLarge(f.Name, int64(len(f.Data))))
			continue
		}
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".csv", ".xlsx":
			errs = append(errs, p.parseSheets(f)...)
		default:
			errs = append(errs, p.parseYAML(f)...)
		}
	}
	errs = append(errs, p.overlaySheets()...)
	return p, errs
}

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// parseYAML decodes one YAML file. Every key must be known: a misspelt key is an error, not a silently
// dropped fact.
func (p *parsed) parseYAML(f File) problems {
	var errs problems
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(f.Data))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil // an empty file holds no records
		}
		return append(errs, yamlProblems(f.Name, "", err)...)
	}
	if textErrs := checkTexts(f.Name, &doc, ""); len(textErrs) > 0 {
		return textErrs // the records are not decoded: their problems would drown these
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return append(errs, Problem{File: f.Name, Line: root.Line, Message: "want a mapping of record lists (sources:, enterprises:, …)"})
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, list := root.Content[i], root.Content[i+1]
		kind, ok := yamlKinds[key.Value]
		if !ok {
			errs = append(errs, Problem{File: f.Name, Line: key.Line, Field: key.Value,
				Message: "unknown record kind; want one of " + strings.Join(sortedKeys(yamlKinds), ", ")})
			continue
		}
		if kind.single() && list.Kind == yaml.MappingNode { // a dump's position: one mapping
			at := loc{file: f.Name, path: key.Value, line: list.Line, node: shapeOf(list)}
			errs = append(errs, kind.decode(p, list, at)...)
			continue
		}
		if list.Kind != yaml.SequenceNode {
			if list.Tag == "!!null" {
				continue
			}
			errs = append(errs, Problem{File: f.Name, Line: list.Line, Field: key.Value, Message: "want a list"})
			continue
		}
		for j, node := range list.Content {
			at := loc{file: f.Name, path: fmt.Sprintf("%s[%d]", key.Value, j), line: node.Line, node: shapeOf(node)}
			errs = append(errs, kind.decode(p, node, at)...)
		}
	}
	return errs
}

func decodeInto[T any](list *[]item[T], node *yaml.Node, at loc) problems {
	var v T
	errs := checkKeys(node, reflect.TypeOf(v), at)
	if node.Kind != yaml.MappingNode {
		return append(errs, Problem{File: at.file, Line: node.Line, Field: at.path, Message: "want a mapping"})
	}
	if err := node.Decode(&v); err != nil {
		return append(errs, yamlProblems(at.file, at.path, err)...)
	}
	if len(errs) == 0 {
		*list = append(*list, item[T]{v: v, at: at})
	}
	return errs
}

// checkKeys reports keys of the mapping node that the struct type t does not declare, recursing into nested
// records and lists of records.
func checkKeys(node *yaml.Node, t reflect.Type, at loc) problems {
	if node.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return nil
	}
	var errs problems
	fields := fieldsByTag(t)
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, val := node.Content[i], node.Content[i+1]
		f, ok := fields[key.Value]
		if !ok {
			errs = append(errs, Problem{File: at.file, Line: key.Line, Field: at.path + "." + key.Value,
				Message: "unknown field; want one of " + strings.Join(sortedKeys(fields), ", ")})
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && val.Kind == yaml.SequenceNode {
			for j, el := range val.Content {
				sub := loc{file: at.file, path: fmt.Sprintf("%s.%s[%d]", at.path, key.Value, j), line: el.Line}
				errs = append(errs, checkKeys(el, ft.Elem(), sub)...)
			}
		}
	}
	return errs
}

// fieldsByTag maps the yaml keys of struct type t (inline structs included) to their fields.
func fieldsByTag(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" {
			for k, v := range fieldsByTag(f.Type) {
				out[k] = v
			}
			continue
		}
		if name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// yamlProblems turns a yaml error ("yaml: line 4: …", or a TypeError listing several lines) into Problems
// located at the lines it names.
func yamlProblems(file, field string, err error) problems {
	msgs := []string{err.Error()}
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	}
	var out problems
	for _, m := range msgs {
		p := Problem{File: file, Field: field, Message: strings.TrimPrefix(m, "yaml: ")}
		if sub := lineRE.FindStringSubmatch(strings.TrimSpace(m)); sub != nil {
			p.Line, _ = strconv.Atoi(sub[1])
			p.Message = sub[2]
		}
		out = append(out, p)
	}
	return out
}
