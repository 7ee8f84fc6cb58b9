package neo4jdb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap"
)

// The flags list and the flag counts of records compile like the other lists and fields (golden statements,
// no database): the list anchored on the most selective condition, the counts as COUNT subqueries, the flagged
// record as a union of the flaggable kinds.
func TestCompiledFlagStatements(t *testing.T) {
	open := chainmap.FlagOpen
	chain, record := "hydrogen", "sinohytec"
	union := chainmap.SelectedField{Key: "record", Name: "record"}
	for _, k := range []chainmap.Kind{chainmap.KindEnterprise, chainmap.KindSite} {
		union.Cases = append(union.Cases, sel(k, "id", rel("flags", "flags", nil, sel(chainmap.KindRecordFlags, "open"))))
	}
	for _, tc := range []struct {
		name  string
		build func() (string, map[string]any, error)
	}{
		{"flags-page-open-in-a-chain-with-records", func() (string, map[string]any, error) {
			return flags.pageStatement(flagConds(chainmap.FlagFilter{Status: &open, ChainMapID: &chain}), "SEQ", chainmap.Desc,
				chainmap.Page{First: 20, After: true, AfterKey: int64(120), AfterID: "f-1"},
				chainmap.ListRequest{Node: sel(chainmap.KindFlag, "id", "note", "status", union), Count: true})
		}},
		{"flags-page-of-one-record", func() (string, map[string]any, error) {
			return flags.pageStatement(flagConds(chainmap.FlagFilter{RecordID: &record, Status: &open}), "SEQ", chainmap.Desc,
				chainmap.Page{First: 5}, chainmap.ListRequest{Node: sel(chainmap.KindFlag, "id")})
		}},
		{"enterprise-with-flag-counts", func() (string, map[string]any, error) {
			return recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindEnterprise, IDs: []string{"sinohytec"},
				Sel: sel(chainmap.KindEnterprise, "id", rel("flags", "flags", nil, sel(chainmap.KindRecordFlags, "open", "total")),
					rel("sites", "sites", nil, sel(chainmap.KindSite, "id", rel("flags", "flags", nil, sel(chainmap.KindRecordFlags, "open")))))}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cypher, params, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			p, _ := json.MarshalIndent(params, "", "  ")
			got := cypher + "\n\n// parameters\n" + string(p) + "\n"
			path := filepath.Join("testdata", "cypher", tc.name+".cypher")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("statement differs from %s (run with -update and read the diff):\n%s", path, got)
			}
		})
	}
}

// Every flaggable kind has its flag counts, and every kind that a flag's record can be is flaggable.
func TestFlaggableKindsHaveFlagCounts(t *testing.T) {
	for _, k := range chainmap.FlaggableKinds {
		spec, ok := kinds[k]
		if !ok || !spec.node {
			t.Errorf("%s is flaggable but not a kind of node", k)
			continue
		}
		if f := spec.fields["flags"]; f.rel == nil || f.rel.kinds[0] != chainmap.KindRecordFlags {
			t.Errorf("%s has no flags counts", k)
		}
	}
	if got, want := len(kinds[chainmap.KindFlag].fields["record"].rel.kinds), len(chainmap.FlaggableKinds); got != want {
		t.Errorf("a flag's record is one of %d kinds, want the %d flaggable ones", got, want)
	}
}
