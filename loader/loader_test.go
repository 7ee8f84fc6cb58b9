package loader

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func baseFile(t *testing.T) File {
	t.Helper()
	data, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return File{Name: "base.yaml", Data: data}
}

func TestParseValidBase(t *testing.T) {
	ds, err := Parse([]File{baseFile(t)})
	if err != nil {
		t.Fatalf("Parse(base) = %v", err)
	}
	if len(ds.Enterprises) != 2 || len(ds.Sites) != 3 || len(ds.Segments) != 2 || len(ds.TechTransfers) != 1 {
		t.Errorf("Parse(base) = %d enterprises, %d sites, %d segments, %d tech transfers; want 2, 3, 2, 1",
			len(ds.Enterprises), len(ds.Sites), len(ds.Segments), len(ds.TechTransfers))
	}
	site := ds.Sites[0]
	if site.EnterpriseID != "maker" || site.Confidence != "REPORTED" || len(site.SourceIDs) != 1 {
		t.Errorf("nested site = %+v, want enterprise maker with the enterprise's provenance", site)
	}
	for _, r := range ds.Regions {
		if r.Code == "131000" && r.ProvinceCode != "130000" {
			t.Errorf("Langfang's province = %q, want 130000", r.ProvinceCode)
		}
	}
}

// Each case adds a file (or replaces the base) and expects one problem: where it is and what it says.
func TestParseProblems(t *testing.T) {
	for _, tc := range []struct {
		name      string
		file      string // a second file, added to the base
		csv       bool
		replace   [2]string // replace [0] by [1] in the base
		wantFile  string
		wantLine  int
		wantField string
		wantMsg   string
	}{
		{name: "yaml syntax", file: "enterprises:\n  - id: x\n   nameEn: bad indent\n", wantFile: "extra.yaml", wantLine: 1, wantMsg: "did not find expected"},
		{name: "not a mapping", file: "- a\n- b\n", wantFile: "extra.yaml", wantLine: 1, wantMsg: "want a mapping"},
		{name: "unknown kind", file: "companies: []\n", wantFile: "extra.yaml", wantLine: 1, wantField: "companies", wantMsg: "unknown record kind"},
		{name: "kind not a list", file: "enterprises: {id: x}\n", wantFile: "extra.yaml", wantLine: 1, wantField: "enterprises", wantMsg: "want a list"},
		{name: "unknown field", file: "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [src-a], employees: 5}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].employees", wantMsg: "unknown field"},
		{name: "unknown nested field", file: "enterprises:\n  - id: x\n    nameEn: X\n    confidence: REPORTED\n    sources: [src-a]\n    sites:\n      - {id: x-s, kind: HQ, region: \"131000\", city: Langfang}\n",
			wantFile: "extra.yaml", wantLine: 7, wantField: "enterprises[0].sites[0].city", wantMsg: "unknown field"},
		{name: "wrong type", file: "segments:\n  - {id: s, chainMap: tools, nameEn: S, stage: UPSTREAM, order: first, confidence: ILLUSTRATIVE, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantMsg: "cannot unmarshal"},
		{name: "missing id", file: "enterprises:\n  - {nameEn: X, confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].id", wantMsg: "is required"},
		{name: "bad id", file: "enterprises:\n  - {id: Big Corp, nameEn: X, confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].id", wantMsg: "not a valid id"},
		{name: "duplicate id across files and kinds", file: "parks:\n  - {id: maker, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "parks[0].id", wantMsg: "duplicate id \"maker\": already used by the enterprise at base.yaml"},
		{name: "missing name", file: "enterprises:\n  - {id: x, confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].nameZh", wantMsg: "nameZh or nameEn is required"},
		{name: "missing confidence", file: "enterprises:\n  - {id: x, nameEn: X, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].confidence", wantMsg: "is required"},
		{name: "bad confidence", file: "enterprises:\n  - {id: x, nameEn: X, confidence: LIKELY, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].confidence", wantMsg: `"LIKELY" is not one of REPORTED, ILLUSTRATIVE`},
		{name: "no sources", file: "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].sources", wantMsg: "at least one source"},
		{name: "unknown source", file: "enterprises:\n  - {id: x, nameEn: X, confidence: REPORTED, sources: [nowhere]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].sources", wantMsg: `unknown source "nowhere"`},
		{name: "reference to the wrong kind", file: "enterprises:\n  - {id: x, nameEn: X, segments: [maker], confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].segments", wantMsg: `"maker" is a enterprise, want a segment`},
		{name: "bad enum", file: "enterprises:\n  - {id: x, nameEn: X, chainRole: KING, confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "enterprises[0].chainRole", wantMsg: `"KING" is not one of CHAIN_MASTER, LEAD, SUPPORTING`},
		{name: "unknown region", file: "parks:\n  - {id: p2, nameEn: P, region: \"139999\", confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "parks[0].region", wantMsg: `unknown region "139999"`},
		{name: "bad region code", file: "regions:\n  - {code: \"13\", nameEn: R, level: CITY, parent: \"130000\", confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "regions[0].code", wantMsg: "six-digit"},
		{name: "province with parent", file: "regions:\n  - {code: \"120000\", nameEn: Tianjin, level: PROVINCE, parent: \"110000\", confidence: REPORTED, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "regions[0].parent", wantMsg: "a province has no parent"},
		{name: "segment order taken", file: "segments:\n  - {id: s3, chainMap: tools, nameEn: S, stage: DOWNSTREAM, order: 2, confidence: ILLUSTRATIVE, sources: [src-a]}\n",
			wantFile: "extra.yaml", wantLine: 2, wantField: "segments[0].order", wantMsg: "order 2 is already used"},
		{name: "segment feeds itself", replace: [2]string{"feeds: [machines]", "feeds: [cnc]"},
			wantFile: "base.yaml", wantLine: 11, wantField: "segments[0].feeds", wantMsg: "cannot feed itself"},
		{name: "severity out of range", replace: [2]string{"severity: 5", "severity: 9"},
			wantFile: "base.yaml", wantLine: 29, wantField: "bottlenecks[0].severity", wantMsg: "must be 1 to 5"},
		{name: "tackler unknown", replace: [2]string{"tacklers: [{id: uni", "tacklers: [{id: nobody"},
			wantFile: "base.yaml", wantLine: 30, wantField: "bottlenecks[0].tacklers[0].id", wantMsg: `unknown enterprise or institution "nobody"`},
		{name: "tech transfer not from Beijing", replace: [2]string{"from: maker-bj-rd", "from: maker-lf-plant"},
			wantFile: "base.yaml", wantLine: 32, wantField: "techTransfers[0].from", wantMsg: "is not in Beijing"},
		{name: "tech transfer not to Tianjin or Hebei", replace: [2]string{"to: maker-lf-plant", "to: maker-bj-rd"},
			wantFile: "base.yaml", wantLine: 32, wantField: "techTransfers[0].to", wantMsg: "has no site in Tianjin or Hebei"},
		{name: "supplier supplies itself", replace: [2]string{"{from: maker, to: buyer", "{from: maker, to: maker"},
			wantFile: "base.yaml", wantLine: 34, wantField: "supplies[0].to", wantMsg: "cannot supply itself"},
		{name: "implausible year", replace: [2]string{"year: 2014", "year: 14"},
			wantFile: "base.yaml", wantLine: 32, wantField: "techTransfers[0].year", wantMsg: "not a plausible year"},
		{name: "bad source date", replace: [2]string{"date: 2024-04-15", "date: April 2024"},
			wantFile: "base.yaml", wantLine: 2, wantField: "sources[0].date", wantMsg: "is not YYYY"},
		{name: "indicator without values", replace: [2]string{"values: [{year: 2023, value: 10.4}]", "values: []"},
			wantFile: "base.yaml", wantLine: 36, wantField: "indicators[0].values", wantMsg: "at least one value"},
		{name: "csv unknown column", csv: true, file: "id,nameEn,founded,confidence,sourceIds\nx,X,1999,REPORTED,src-a\n",
			wantFile: "enterprises.csv", wantLine: 1, wantField: "founded", wantMsg: `unknown column "founded"`},
		{name: "csv missing column", csv: true, file: "nameEn,confidence\nX,REPORTED\n",
			wantFile: "enterprises.csv", wantLine: 1, wantField: "header", wantMsg: `missing column "id"`},
		{name: "csv without sources", csv: true, file: "id,nameEn,confidence\nx,X,REPORTED\n",
			wantFile: "enterprises.csv", wantLine: 2, wantField: "sourceIds", wantMsg: `at least one source is required`},
		{name: "csv titles for sources", csv: true, file: "id,nameEn,confidence,sources\nx,X,REPORTED,src-a\n",
			wantFile: "enterprises.csv", wantLine: 1, wantField: "sources", wantMsg: `put the source ids in a column sourceIds`},
		{name: "csv short row", csv: true, file: "id,nameEn,confidence,sourceIds\nx,X,REPORTED\n",
			wantFile: "enterprises.csv", wantLine: 2, wantField: "", wantMsg: "has 3 cells, the header has 4"},
		{name: "csv bad reference", csv: true, file: "id,nameEn,segmentIds,confidence,sourceIds\nx,X,cnc;lathes,REPORTED,src-a\n",
			wantFile: "enterprises.csv", wantLine: 2, wantField: "segmentIds", wantMsg: `unknown segment "lathes"`},
		{name: "csv formula", csv: true, file: "id,nameEn,confidence,sourceIds\nx,\"=HYPERLINK(\"\"http://x\"\")\",REPORTED,src-a\n",
			wantFile: "enterprises.csv", wantLine: 2, wantField: "nameEn", wantMsg: `runs as a formula`},
		{name: "csv synthetic row", csv: true, file: "id,nameEn,synthetic,confidence,sourceIds\nx,X,true,REPORTED,src-a\n",
			wantFile: "enterprises.csv", wantLine: 2, wantField: "", wantMsg: `synthetic record`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := baseFile(t)
			if tc.replace[0] != "" {
				if !strings.Contains(string(base.Data), tc.replace[0]) {
					t.Fatalf("base.yaml has no %q", tc.replace[0])
				}
				base.Data = []byte(strings.Replace(string(base.Data), tc.replace[0], tc.replace[1], 1))
			}
			files := []File{base}
			if tc.file != "" {
				name := "extra.yaml"
				if tc.csv {
					name = "enterprises.csv"
				}
				files = append(files, File{Name: name, Data: []byte(tc.file)})
			}
			_, err := Parse(files)
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("Parse = %v, want an *InvalidError", err)
			}
			if len(inv.Problems) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(inv.Problems), err)
			}
			p := inv.Problems[0]
			if p.File != tc.wantFile || p.Line != tc.wantLine || (tc.wantField != "" && p.Field != tc.wantField) ||
				!strings.Contains(p.Message, tc.wantMsg) {
				t.Errorf("problem = %s\nwant %s:%d: %s: …%s…", p, tc.wantFile, tc.wantLine, tc.wantField, tc.wantMsg)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	bad := File{Name: "bad.yaml", Data: []byte("enterprises:\n" +
		"  - {id: a, nameEn: A, chainRole: KING, confidence: REPORTED, sources: [src-a]}\n" +
		"  - {id: b, nameEn: B, confidence: MAYBE, sources: [nowhere]}\n" +
		"  - {id: a, nameEn: A again, confidence: REPORTED, sources: [src-a]}\n")}
	_, err := Parse([]File{baseFile(t), bad})
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("Parse = %v, want an *InvalidError", err)
	}
	var lines []int
	for _, p := range inv.Problems {
		lines = append(lines, p.Line)
	}
	if len(inv.Problems) != 4 {
		t.Errorf("got %d problems at lines %v, want 4 (bad role, bad confidence, unknown source, duplicate id):\n%v", len(inv.Problems), lines, err)
	}
	if !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("error %q does not say that nothing was written", err)
	}
}

func TestParseCSV(t *testing.T) {
	files := []File{baseFile(t),
		{Name: "csv/enterprises-2024.csv", Data: []byte("\ufeffid,nameZh,nameEn,chainRole,segmentIds,confidence,sourceIds\n" +
			"csv-firm,某公司,\"Firm, Ltd\",SUPPORTING,cnc;machines,REPORTED,src-a\n")},
		{Name: "csv/sites.csv", Data: []byte("id,enterprise,kind,region,park,capacity\n" +
			"csv-firm-lf,csv-firm,MANUFACTURING,131000,park,\"1,000 units\"\n")},
		{Name: "csv/supplies.csv", Data: []byte("from,to,product,since,confidence,sourceIds\n" +
			"csv-firm,maker,spindles,2020,REPORTED,src-a\n")},
	}
	ds, err := Parse(files)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range ds.Enterprises {
		if e.ID == "csv-firm" {
			found = true
			if e.NameEn != "Firm, Ltd" || e.ChainRole != "SUPPORTING" || len(e.SegmentIDs) != 2 {
				t.Errorf("csv enterprise = %+v", e)
			}
		}
	}
	if !found {
		t.Error("the CSV enterprise is missing")
	}
	last := ds.Sites[len(ds.Sites)-1]
	if last.ID != "csv-firm-lf" || last.Capacity != "1,000 units" || last.ParkID != "park" || last.Confidence != "REPORTED" {
		t.Errorf("csv site = %+v, want csv-firm-lf with the enterprise's provenance", last)
	}
	if s := ds.Supplies[len(ds.Supplies)-1]; s.FromID != "csv-firm" || s.Since != 2020 {
		t.Errorf("csv supply = %+v", s)
	}
}
