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

// parsed holds the records of all files before validation. Sites nested in enterprises are flattened into
// sites, with their enterprise filled in.
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
	kinds := fieldsByTag(reflect.TypeOf(file{}))
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, list := root.Content[i], root.Content[i+1]
		if _, ok := kinds[key.Value]; !ok {
			errs = append(errs, Problem{File: f.Name, Line: key.Line, Field: key.Value,
				Message: "unknown record kind; want one of " + strings.Join(sortedKeys(kinds), ", ")})
			continue
		}
		if key.Value == "changeLog" && list.Kind == yaml.MappingNode { // a dump's position: one mapping
			at := loc{file: f.Name, path: key.Value, line: list.Line, node: shapeOf(list)}
			errs = append(errs, decodeInto(&p.changeLogs, list, at)...)
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
			errs = append(errs, p.decode(key.Value, node, at)...)
		}
	}
	return errs
}

// decode decodes one record of the given kind and appends it to p.
func (p *parsed) decode(kind string, node *yaml.Node, at loc) problems {
	switch kind {
	case "sources":
		return decodeInto(&p.sources, node, at)
	case "regions":
		return decodeInto(&p.regions, node, at)
	case "chainMaps":
		return decodeInto(&p.chainMaps, node, at)
	case "segments":
		return decodeInto(&p.segments, node, at)
	case "enterprises":
		errs := decodeInto(&p.enterprises, node, at)
		if len(errs) == 0 {
			e := p.enterprises[len(p.enterprises)-1]
			for i, s := range e.v.Sites {
				s.Enterprise = e.v.ID
				p.sites = append(p.sites, item[siteRec]{v: s, at: at.child("sites", i)})
			}
		}
		return errs
	case "institutions":
		return decodeInto(&p.institutions, node, at)
	case "parks":
		return decodeInto(&p.parks, node, at)
	case "bottlenecks":
		return decodeInto(&p.bottlenecks, node, at)
	case "techTransfers":
		return decodeInto(&p.techTransfers, node, at)
	case "supplies":
		return decodeInto(&p.supplies, node, at)
	case "indicators":
		return decodeInto(&p.indicators, node, at)
	case "officialLists":
		errs := decodeInto(&p.officialLists, node, at)
		if len(errs) == 0 {
			l := p.officialLists[len(p.officialLists)-1]
			for i, it := range l.v.Items {
				it.List = l.v.ID
				p.listItems = append(p.listItems, item[listItemRec]{v: it, at: at.child("items", i)})
			}
		}
		return errs
	case "listItems":
		return decodeInto(&p.listItems, node, at)
	case "hosts":
		return decodeInto(&p.hosts, node, at)
	case "changeLog":
		return decodeInto(&p.changeLogs, node, at)
	case "nodes":
		return decodeInto(&p.nodes, node, at)
	case "relationships":
		return decodeInto(&p.rels, node, at)
	}
	return nil
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
