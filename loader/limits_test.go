package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chainmap/chainmap"
)

// Sizes are capped before files are parsed, with problems that name the file and the field (issue 9, item 7).
func TestSizeLimits(t *testing.T) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	long := func(n int) string { return strings.Repeat("x", n) }
	zh := func(n int) string { return strings.Repeat("氢", n) }
	for _, tc := range []struct {
		name, file, data string
		wantOK           bool
		wantLine         int
		wantField        string
		wantMsg          string
	}{
		{name: "description at the limit", file: "extra.yaml", wantOK: true,
			data: "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [src-a], description: " + long(chainmap.MaxTextLength) + "}\n"},
		{name: "description over the limit", file: "extra.yaml", wantLine: 2, wantField: "enterprises[0].description",
			wantMsg: "is 4001 characters, more than the 4000 allowed",
			data:    "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [src-a], description: " + long(chainmap.MaxTextLength+1) + "}\n"},
		{name: "name at the limit", file: "extra.yaml", wantOK: true,
			data: "enterprises:\n  - {id: x, nameEn: " + long(chainmap.MaxNameLength) + ", confidence: REPORTED, sources: [src-a]}\n"},
		{name: "name over the limit", file: "extra.yaml", wantLine: 2, wantField: "enterprises[0].nameEn",
			wantMsg: "is 201 characters, more than the 200 allowed",
			data:    "enterprises:\n  - {id: x, nameEn: " + long(chainmap.MaxNameLength+1) + ", confidence: REPORTED, sources: [src-a]}\n"},
		{name: "Chinese name at the limit (600 bytes)", file: "extra.yaml", wantOK: true,
			data: "enterprises:\n  - {id: x, nameZh: " + zh(chainmap.MaxNameLength) + ", confidence: REPORTED, sources: [src-a]}\n"},
		{name: "Chinese name over the limit", file: "extra.yaml", wantLine: 2, wantField: "enterprises[0].nameZh",
			wantMsg: "is 201 characters, more than the 200 allowed",
			data:    "enterprises:\n  - {id: x, nameZh: " + zh(chainmap.MaxNameLength+1) + ", confidence: REPORTED, sources: [src-a]}\n"},
		{name: "control character", file: "extra.yaml", wantLine: 2, wantField: "enterprises[0].description",
			wantMsg: "contains a control character (U+0007) at character 2",
			data:    "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [src-a], description: \"a\\ab\"}\n"},
		{name: "name on two lines", file: "extra.yaml", wantLine: 2, wantField: "enterprises[0].nameEn",
			wantMsg: "must be one line",
			data:    "enterprises:\n  - {id: x, nameEn: \"a\\nb\", confidence: REPORTED, sources: [src-a]}\n"},
		{name: "csv Chinese name at the limit", file: "enterprises-x.csv", wantOK: true,
			data: "id,nameZh,confidence,sourceIds\nx," + zh(200) + ",REPORTED,src-a\n"},
		{name: "nested site name", file: "extra.yaml", wantLine: 3, wantField: "enterprises[0].sites[0].nameZh",
			wantMsg: "more than the 200 allowed",
			data:    "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [src-a],\n     sites: [{id: x-s, kind: HQ, region: \"131000\", nameZh: " + long(300) + "}]}\n"},
		{name: "huge key", file: "extra.yaml", wantLine: 2, wantField: "enterprises[0]", wantMsg: "a key of 5000 characters",
			data: "enterprises:\n  - ? " + long(5000) + "\n    : 1\n"},
		{name: "csv cell over the limit", file: "enterprises-x.csv", wantLine: 2, wantField: "description",
			wantMsg: "is 4001 characters, more than the 4000 allowed",
			data:    "id,nameEn,confidence,sourceIds,description\nx,X,REPORTED,src-a," + long(chainmap.MaxTextLength+1) + "\n"},
		{name: "csv name over the limit", file: "enterprises-x.csv", wantLine: 2, wantField: "nameEn",
			wantMsg: "is 201 characters", data: "id,nameEn,confidence,sourceIds\nx," + long(201) + ",REPORTED,src-a\n"},
		{name: "file over the limit", file: "big.yaml", wantMsg: "more than the 5242880 allowed for a seed file",
			data: "sources: []\n#" + long(MaxFileBytes)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]File{{Name: "base.yaml", Data: base}, {Name: tc.file, Data: []byte(tc.data)}})
			if tc.wantOK {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("Parse error %v, want an *InvalidError", err)
			}
			p := invalid.Problems[0]
			if p.File != tc.file || p.Line != tc.wantLine || p.Field != tc.wantField || !strings.Contains(p.Message, tc.wantMsg) {
				t.Errorf("problem %+v, want %s:%d %s: …%s…", p, tc.file, tc.wantLine, tc.wantField, tc.wantMsg)
			}
			if len(err.Error()) > 2000 {
				t.Errorf("the error is %d bytes: it must not echo the oversized value", len(err.Error()))
			}
		})
	}
}

// Oversized files are refused before they are read, from a folder and from a path.
func TestReadRefusesLargeFiles(t *testing.T) {
	big := make([]byte, MaxFileBytes+1)
	fsys := fstest.MapFS{"a.yaml": {Data: []byte("sources: []\n")}, "b.yaml": {Data: big}}
	_, err := ReadFS(fsys, ".")
	var invalid *InvalidError
	if !errors.As(err, &invalid) || len(invalid.Problems) != 1 || invalid.Problems[0].File != "b.yaml" {
		t.Errorf("ReadFS: %v, want one problem naming b.yaml", err)
	}

	dir := t.TempDir()
	name := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(name, big, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(name); !errors.As(err, &invalid) || invalid.Problems[0].File != name {
		t.Errorf("ReadFile: %v, want a problem naming %s", err, name)
	}
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("sources: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := ReadFile(small); err != nil || string(f.Data) != "sources: []\n" {
		t.Errorf("ReadFile(small) = %q, %v", f.Data, err)
	}
}
