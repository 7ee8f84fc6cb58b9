package loader

import (
	"errors"
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the seed parser as a YAML file and as a CSV file next to a valid base.
// Parse must never panic, and must either succeed or return an *InvalidError whose problems all name a file.
// Run it with: go test ./loader -run '^$' -fuzz FuzzParse -fuzztime 2m (finds go to testdata/fuzz/FuzzParse).
func FuzzParse(f *testing.F) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base, false)
	f.Add([]byte("enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [src-a], sites: [{id: y, kind: HQ, region: \"131000\"}]}\n"), false)
	f.Add([]byte("segments: [{id: s, chainMap: tools, stage: UPSTREAM, order: 1, feeds: [s]}]\n"), false)
	f.Add([]byte("regions:\n  - {code: \"120000\", level: PROVINCE, parent: \"120000\"}\n"), false)
	f.Add([]byte("&a [*a]"), false)
	f.Add([]byte("id,nameEn,confidence,sources\nx,X,REPORTED,src-a\n"), true)
	f.Add([]byte("id,nameEn\n\"unterminated\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		name := "fuzz.yaml"
		if csv {
			name = "enterprises.csv"
		}
		ds, err := Parse([]File{{Name: "base.yaml", Data: base}, {Name: name, Data: data}})
		if err == nil {
			if ds == nil {
				t.Fatal("Parse returned neither a dataset nor an error")
			}
			return
		}
		var inv *InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) == 0 {
			t.Fatalf("Parse error %v is not an *InvalidError with problems", err)
		}
		for _, p := range inv.Problems {
			if p.File == "" || p.Message == "" {
				t.Fatalf("problem %+v lacks a file or message", p)
			}
		}
	})
}
