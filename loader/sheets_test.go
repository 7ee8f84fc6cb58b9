package loader

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
)

// The columns are spelled once (chainmap.Sheets); the loader's readers must agree with them: every editable
// column is read by the seed loader, and an upload reads exactly the exported editable ones.
func TestSheetColumnsAgree(t *testing.T) {
	for _, s := range chainmap.Sheets {
		var editable, exported []string
		for _, c := range s.Columns {
			if !c.ReadOnly {
				editable = append(editable, c.Name)
				if c.Exported {
					exported = append(exported, c.Name)
				}
			}
		}
		k, ok := sheetRecordKind(s.Name)
		if !ok {
			t.Errorf("%s: no record kind reads this sheet", s.Name)
			continue
		}
		var read []string
		for _, col := range k.sheetColumns() {
			read = append(read, col)
		}
		sort.Strings(editable)
		sort.Strings(read)
		if !slices.Equal(editable, read) {
			t.Errorf("%s: the seed loader reads %v, the sheet's editable columns are %v", s.Name, read, editable)
		}
		if cols := importColumns(s.Name); cols != nil {
			var up []string
			for c := range cols {
				up = append(up, c)
			}
			sort.Strings(up)
			sort.Strings(exported)
			if !slices.Equal(exported, up) {
				t.Errorf("%s: an upload reads %v, the exported editable columns are %v", s.Name, up, exported)
			}
		} else if slices.Contains(chainmap.ImportSheets, s.Name) {
			t.Errorf("%s: an import sheet the upload does not read", s.Name)
		}
	}
}

func workbook(t *testing.T, sheets map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	first := true
	for name, rows := range sheets {
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// An exported workbook, edited, loads with the YAML seeds: a row whose id the YAML defines updates that record
// (only the columns the sheet has), a new id adds one, read-only columns are ignored.
func TestParseXLSXUpdatesYAMLRecords(t *testing.T) {
	xlsx := workbook(t, map[string][][]any{
		"enterprises": {
			{"id", "name", "nameZh", "nameEn", "segmentIds", "segments", "provinces", "confidence", "sourceIds", "sources"},
			{"maker", "stale name", "北京精雕", "Jingdiao Group", "machines; cnc", "whatever", "Beijing", "REPORTED", "src-a", "A report"},
			{"newco", "", "新公司", "", "cnc", "", "", "ILLUSTRATIVE", "src-a", ""},
		},
		"sites": {
			{"id", "enterprise", "kind", "region", "regionName", "capacity"},
			{"maker-lf-plant", "maker", "MANUFACTURING", "131000", "廊坊", "500 machines a year"},
			{"newco-hq", "newco", "HQ", 131000, "", ""},
		},
		"bottlenecks": {
			{"id", "severity", "tacklerIds", "tacklers"},
			{"cnc-gap", 4, "uni (2023, IN_PROGRESS); maker", "names"},
		},
	})
	ds, err := Parse([]File{baseFile(t), {Name: "edited.xlsx", Data: xlsx}})
	if err != nil {
		t.Fatal(err)
	}
	ents := map[string]chainmap.Enterprise{}
	for _, e := range ds.Enterprises {
		ents[e.ID] = e
	}
	if m := ents["maker"]; m.NameEn != "Jingdiao Group" || m.Name != "Jingdiao Group" || !slices.Equal(m.SegmentIDs, []string{"machines", "cnc"}) ||
		m.Confidence != "REPORTED" {
		t.Errorf("maker = %+v, want the sheet's name and segments, the YAML's confidence", m)
	}
	if n, ok := ents["newco"]; !ok || n.NameZh != "新公司" || n.Name != "新公司" {
		t.Errorf("newco = %+v", n)
	}
	if len(ds.Enterprises) != 3 {
		t.Errorf("%d enterprises, want 3 (the sheet's maker is the YAML's)", len(ds.Enterprises))
	}
	for _, s := range ds.Sites {
		if s.ID == "maker-lf-plant" && (s.Kind != "MANUFACTURING" || s.Capacity != "500 machines a year" || s.EnterpriseID != "maker") {
			t.Errorf("site = %+v", s)
		}
	}
	b := ds.Bottlenecks[0]
	want := []chainmap.Tackler{{ID: "uni", Since: 2023, Status: "IN_PROGRESS"}, {ID: "maker"}}
	if b.Severity != 4 || !reflect.DeepEqual(b.Tacklers, want) || b.Kind != "CHOKEPOINT" {
		t.Errorf("bottleneck = %+v", b)
	}
}

func TestParseXLSXProblems(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sheets map[string][][]any
		want   string
	}{
		{"unknown sheet", map[string][][]any{"Firms": {{"id"}, {"maker"}}}, "edited.xlsx: Firms!row 1: unknown sheet"},
		{"moved site", map[string][][]any{"sites": {{"id", "enterprise"}, {"maker-lf-plant", "buyer"}}},
			`edited.xlsx: sites!A2 (id): site "maker-lf-plant" belongs to enterprise "maker"`},
		{"bad tackler", map[string][][]any{"bottlenecks": {{"id", "tacklerIds"}, {"cnc-gap", "uni (2023, DONE)"}}},
			`edited.xlsx: bottlenecks!B2 (tacklerIds): "uni (2023, DONE)": status "DONE" is not one of`},
		{"two rows, one record", map[string][][]any{"enterprises": {{"id", "nameEn"}, {"maker", "A"}, {"maker", "B"}}},
			`edited.xlsx: enterprises!A3 (id): "maker" is already updated by edited.xlsx row 2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]File{baseFile(t), {Name: "edited.xlsx", Data: workbook(t, tc.sheets)}})
			var inv *InvalidError
			if !errors.As(err, &inv) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want a problem %q", err, tc.want)
			}
		})
	}
}

// ReadUpload reads what an upload sets, typed; the store compares it with the graph.
func TestReadUpload(t *testing.T) {
	csv := "\ufeffid,name,nameEn,chainRole,segmentIds,description,sourceIds,sources\n" +
		"maker,Old,Jingdiao,LEAD,machines; cnc,'-40 °C capable,src-a,ignored\n" +
		"other,,,,,,,\n"
	imp, err := ReadUpload("enterprises (2).csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(imp.Ignored, []string{"name", "sources"}) || len(imp.Rows) != 2 {
		t.Fatalf("ignored %v, %d rows", imp.Ignored, len(imp.Rows))
	}
	got := imp.Rows[0]
	want := map[string]any{"nameEn": "Jingdiao", "chainRole": "LEAD", "segmentIds": []string{"machines", "cnc"},
		"description": "-40 °C capable", "sourceIds": []string{"src-a"}}
	if !reflect.DeepEqual(want, got.Values) || got.Sheet != "enterprises" || got.Row != 2 || got.Cells["nameEn"] != "C2" {
		t.Errorf("row %+v, want values %v", got, want)
	}
	if v := imp.Rows[1].Values; !imp.Rows[1].Has("nameEn") || v["nameEn"] != nil {
		t.Errorf("an empty cell must clear its field: %v", v)
	}

	for _, tc := range []struct{ name, file, data, want string }{
		{"bad year", "sites.csv", "id,since\nx,nineteen\n", `sites B2 (since): "nineteen" is not a year`},
		{"bad role", "enterprises.csv", "id,chainRole\nx,KING\n", `"KING" is not one of CHAIN_MASTER`},
		{"bad id", "enterprises.csv", "id\nNot An Id\n", "not a valid id"},
		{"ids list", "enterprises.csv", "id,segmentIds\nx,cnc, machines\n", "has 3 cells"},
		{"empty", "enterprises.csv", "", "holds no sheet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadUpload(tc.file, []byte(tc.data))
			var se *chainmap.SheetError
			if !errors.As(err, &se) || se.Code != chainmap.CodeBadUserInput {
				t.Fatalf("ReadUpload = %v, want a BAD_USER_INPUT SheetError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadUpload = %v, want %q", err, tc.want)
			}
		})
	}
}
