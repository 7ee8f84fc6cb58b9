package loader

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chainmap/chainmap"
)

// Each entry of recordKinds fills one list of parsed, and each list is some entry's: a list added to parsed
// without an entry (which no pass would check) or an entry that shares another's list fails here. Keys,
// names and sheets are each one kind's.
func TestRecordKindsCoverParsed(t *testing.T) {
	owner := map[string]string{} // parsed field → the entry that fills it
	keys, names, sheets := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, k := range recordKinds {
		what := k.yamlKey()
		name, _ := k.nodeLabel()
		if what == "" {
			what = name
		}
		p := &parsed{}
		switch {
		case k.yamlKey() != "":
			if errs := k.decode(p, &yaml.Node{Kind: yaml.MappingNode}, loc{file: "t.yaml"}); len(errs) > 0 {
				t.Fatalf("entry %d (%s): decoding an empty record: %v", i, what, errs)
			}
		case k.sheetName() != "":
			k.readRow(p, loc{file: "t.csv"}, &rowCells{keys: k.sheetColumns()})
		default:
			t.Errorf("entry %d (%s): neither a YAML key nor a sheet reads it", i, what)
			continue
		}
		var filled []string
		pv := reflect.ValueOf(p).Elem()
		for f := 0; f < pv.NumField(); f++ {
			if pv.Field(f).Len() > 0 {
				filled = append(filled, pv.Type().Field(f).Name)
			}
		}
		if len(filled) != 1 {
			t.Errorf("entry %d (%s) fills %v, want one list", i, what, filled)
			continue
		}
		if prev, dup := owner[filled[0]]; dup {
			t.Errorf("entries %s and %s both fill parsed.%s", prev, what, filled[0])
		}
		owner[filled[0]] = what

		for set, v := range map[*map[string]bool]string{&keys: k.yamlKey(), &names: name, &sheets: k.sheetName()} {
			if v != "" && (*set)[v] {
				t.Errorf("entry %d: %q is another entry's too", i, v)
			}
			(*set)[v] = true
		}
	}
	pt := reflect.TypeFor[parsed]()
	for f := 0; f < pt.NumField(); f++ {
		if _, ok := owner[pt.Field(f).Name]; !ok {
			t.Errorf("parsed.%s is filled by no entry of recordKinds", pt.Field(f).Name)
		}
	}
	for _, s := range chainmap.Sheets {
		if !sheets[s.Name] {
			t.Errorf("sheet %s: no entry of recordKinds reads it", s.Name)
		}
	}
}

// The table's order is the order ids are registered in: of two records with one id, the one of the earlier
// kind keeps it, whatever the files' order, and the later one is reported.
func TestDuplicateIDKeptByEarlierKind(t *testing.T) {
	for _, tc := range []struct {
		name, file, wantField, wantMsg string
	}{
		{"site before park", `parks: [{id: maker-bj-rd, nameEn: P, region: "131000", confidence: REPORTED, sources: [src-a]}]`,
			"parks[0].id", `duplicate id "maker-bj-rd": already used by the site at base.yaml:21`},
		{"enterprise before institution", `institutions: [{id: buyer, nameEn: I, kind: LAB, region: "131000", confidence: REPORTED, sources: [src-a]}]`,
			"institutions[0].id", `duplicate id "buyer": already used by the enterprise at base.yaml:23`},
		{"chain map before segment", `chainMaps: [{id: machines, nameEn: M, confidence: REPORTED, sources: [src-a]}]`,
			"segments[1].id", `duplicate id "machines": already used by the chain map at a.yaml:1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]File{{Name: "a.yaml", Data: []byte(tc.file)}, baseFile(t)})
			inv, ok := err.(*InvalidError)
			if !ok {
				t.Fatalf("Parse = %v, want an *InvalidError", err)
			}
			var got []string
			for _, p := range inv.Problems {
				got = append(got, p.String())
				if p.Field == tc.wantField && p.Message == tc.wantMsg {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant %s: %s", strings.Join(got, "\n"), tc.wantField, tc.wantMsg)
		})
	}
}
