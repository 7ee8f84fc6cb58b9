package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
	"github.com/chainmap/chainmap/loader"
)

func TestFilters(t *testing.T) {
	for _, tc := range []struct {
		query, want string // want: "" for no error, else a part of the message
	}{
		{"chainMapId=hydrogen&regionCode=130000&stage=UPSTREAM&siteKind=RD&chainRole=LEAD&synthetic=false&text=氢", ""},
		{"colour=red", "unknown parameter colour"},
		{"stage=upstream", `stage="upstream": want one of UPSTREAM, MIDSTREAM, DOWNSTREAM`},
		{"regionCode=1300", "not a region code"},
		{"chainMapId=Hydrogen!", "not an id"},
		{"synthetic=yes", "want true or false"},
		{"text=", "is empty"},
		{"stage=UPSTREAM&stage=DOWNSTREAM", "given 2 times"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			f, err := export.EnterpriseFilter(q)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
				if *f.ChainMapID != "hydrogen" || *f.RegionCode != "130000" || *f.Stage != chainmap.Upstream || *f.Synthetic {
					t.Errorf("filter %+v", f)
				}
			case err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, export.ErrBadFilter):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ query, want string }{
		{"status=OPEN&kind=CHOKEPOINT&category=KEY_COMPONENT&minSeverity=3&hasTackler=false&noTacklerInRegionCode=120000&affectsRegionCode=110000", ""},
		{"status=open", "want one of OPEN, IN_PROGRESS, RESOLVED"},
		{"minSeverity=9", "from 1 to 5"},
		{"affectsRegionCode=x", "not a region code"},
		{"siteKind=RD", "unknown parameter siteKind"},
	} {
		t.Run("bottlenecks "+tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			f, err := export.BottleneckFilter(q)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
				if *f.Status != chainmap.Open || *f.MinSeverity != 3 || *f.HasTackler || *f.NoTacklerInRegionCode != "120000" {
					t.Errorf("filter %+v", f)
				}
			case err == nil || !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := export.GraphParams(url.Values{}); err == nil || !strings.Contains(err.Error(), "chainMapId is required") {
		t.Errorf("GraphParams without chainMapId: %v", err)
	}
}

var (
	header = []string{"id", "name", "nameZh", "severity", "synthetic", "sources"}
	rows   = [][]any{
		{"byd", "BYD", "比亚迪", int64(4), false, "新华网 <https://example.cn/a>; 人民网"},
		{"evil", "=HYPERLINK(\"x\")", nil, int64(1), true, "a,\"quoted\"\nline"},
	}
)

func writeTable(t *testing.T, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tab, err := export.NewTable(format, &buf, "enterprises")
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Header(header); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := tab.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCSV(t *testing.T) {
	b := writeTable(t, export.CSV)
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte-order mark: %q", b[:8])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{header,
		{"byd", "BYD", "比亚迪", "4", "false", "新华网 <https://example.cn/a>; 人民网"},
		{"evil", "'=HYPERLINK(\"x\")", "", "1", "true", "a,\"quoted\"\nline"}}
	if len(recs) != len(want) {
		t.Fatalf("records %q", recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
}

// TestXLSX opens the workbook with excelize's reader: one sheet, the header row frozen, Chinese intact,
// numbers as numbers, a formula-looking text kept as text.
func TestXLSX(t *testing.T) {
	b := writeTable(t, export.XLSX)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "enterprises" {
		t.Fatalf("sheets %v", sheets)
	}
	got, err := f.GetRows("enterprises")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got[0], "|") != strings.Join(header, "|") || got[1][2] != "比亚迪" || got[1][3] != "4" || len(got) != 3 {
		t.Errorf("rows %q", got)
	}
	if typ, _ := f.GetCellType("enterprises", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("severity cell type %v, want a number", typ)
	}
	if formula, _ := f.GetCellFormula("enterprises", "B3"); formula != "" {
		t.Errorf("text became a formula: %q", formula)
	}
	panes, err := f.GetPanes("enterprises")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want the header row frozen", panes)
	}
}

// graphML is the structure of a GraphML file, for encoding/xml.
type graphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string `xml:"id,attr"`
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
			Data   []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

func TestGraphML(t *testing.T) {
	var buf bytes.Buffer
	g := export.NewGraphML(&buf, "hydrogen")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(g.Node(chainmap.ExportNode{ID: "a&b", Type: "Enterprise", Attrs: map[string]any{"nameZh": "<氢>", "severity": int64(3), "order": "x"}}))
	must(g.Node(chainmap.ExportNode{ID: "s1", Type: "Segment", Attrs: map[string]any{"synthetic": false}}))
	must(g.Edge(chainmap.ExportEdge{ID: "e1", Source: "a&b", Target: "s1", Type: "ACTIVE_IN", Attrs: map[string]any{"valueCny": 1.5e9}}))
	must(g.Close())
	var doc graphML
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	declared := map[string]string{}
	for _, k := range doc.Keys {
		declared[k.ID] = k.For
	}
	if len(doc.Graph.Nodes) != 2 || len(doc.Graph.Edges) != 1 || doc.Graph.EdgeDefault != "directed" {
		t.Fatalf("graph %+v", doc.Graph)
	}
	n := doc.Graph.Nodes[0]
	vals := map[string]string{}
	for _, d := range n.Data {
		if declared[d.Key] != "node" {
			t.Errorf("node data key %s is not declared for nodes", d.Key)
		}
		vals[d.Key] = d.Value
	}
	// Gephi and yEd show the label: the node's Chinese name, else its name, else its id; its kind is its type.
	if n.ID != "a&b" || vals["n_nameZh"] != "<氢>" || vals["n_severity"] != "3" || vals["n_label"] != "<氢>" || vals["n_type"] != "Enterprise" {
		t.Errorf("node %+v", n)
	}
	if _, ok := vals["n_order"]; ok {
		t.Errorf("a non-number was written to the int attribute order")
	}
	e := doc.Graph.Edges[0]
	if e.Source != "a&b" || e.Target != "s1" || len(e.Data) != 2 || declared[e.Data[0].Key] != "edge" {
		t.Errorf("edge %+v", e)
	}
}

// gexfDoc is the structure of a GEXF 1.3 file, for encoding/xml.
type gexfDoc struct {
	XMLName xml.Name `xml:"http://gexf.net/1.3 gexf"`
	Version string   `xml:"version,attr"`
	Graph   struct {
		DefaultEdgeType string `xml:"defaultedgetype,attr"`
		Attributes      []struct {
			Class string `xml:"class,attr"`
			Attrs []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []struct {
			ID     string     `xml:"id,attr"`
			Label  string     `xml:"label,attr"`
			Values []gexfAttr `xml:"attvalues>attvalue"`
		} `xml:"nodes>node"`
		Edges []struct {
			ID     string     `xml:"id,attr"`
			Source string     `xml:"source,attr"`
			Target string     `xml:"target,attr"`
			Label  string     `xml:"label,attr"`
			Values []gexfAttr `xml:"attvalues>attvalue"`
		} `xml:"edges>edge"`
	} `xml:"graph"`
}

type gexfAttr struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

func TestGEXF(t *testing.T) {
	var buf bytes.Buffer
	g := export.NewGEXF(&buf, "hydrogen")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(g.Node(chainmap.ExportNode{ID: "a&b", Type: "Enterprise", Attrs: map[string]any{"nameZh": "<氢\"能\">\n", "severity": int64(3), "order": "x"}}))
	must(g.Node(chainmap.ExportNode{ID: "s1", Type: "Segment", Attrs: map[string]any{"synthetic": false}}))
	must(g.Edge(chainmap.ExportEdge{ID: "e1", Source: "a&b", Target: "s1", Type: "ACTIVE_IN", Attrs: map[string]any{"valueCny": 1.5e9}}))
	must(g.Close())
	var doc gexfDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	types := map[string]string{} // declared attribute id → class:type
	for _, c := range doc.Graph.Attributes {
		for _, a := range c.Attrs {
			types[a.ID] = c.Class + ":" + a.Type
		}
	}
	if doc.Version != "1.3" || doc.Graph.DefaultEdgeType != "directed" || len(doc.Graph.Nodes) != 2 || len(doc.Graph.Edges) != 1 {
		t.Fatalf("graph %+v", doc)
	}
	if types["n_severity"] != "node:integer" || types["e_valueCny"] != "edge:double" || types["n_synthetic"] != "node:boolean" ||
		types["e_type"] != "edge:string" {
		t.Errorf("declared %v", types)
	}
	n := doc.Graph.Nodes[0]
	vals := map[string]string{}
	for _, v := range n.Values {
		if !strings.HasPrefix(types[v.For], "node:") {
			t.Errorf("node value %s is not declared for nodes", v.For)
		}
		vals[v.For] = v.Value
	}
	if n.ID != "a&b" || n.Label != "<氢\"能\">\n" || vals["n_type"] != "Enterprise" || vals["n_nameZh"] != "<氢\"能\">\n" || vals["n_severity"] != "3" {
		t.Errorf("node %+v", n)
	}
	if _, ok := vals["n_order"]; ok {
		t.Errorf("a non-number was written to the integer attribute order")
	}
	if v := doc.Graph.Nodes[1].Values; len(v) != 2 || v[0] != (gexfAttr{"n_type", "Segment"}) || v[1] != (gexfAttr{"n_synthetic", "false"}) || doc.Graph.Nodes[1].Label != "s1" {
		t.Errorf("node s1 values %+v", v)
	}
	e := doc.Graph.Edges[0]
	want := []gexfAttr{{"e_type", "ACTIVE_IN"}, {"e_valueCny", "1500000000"}}
	if e.Source != "a&b" || e.Target != "s1" || e.Label != "ACTIVE_IN" || !reflect.DeepEqual(e.Values, want) {
		t.Errorf("edge %+v", e)
	}

	// No edges: still a whole file.
	buf.Reset()
	g = export.NewGEXF(&buf, "empty")
	must(g.Close())
	doc = gexfDoc{}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Graph.Nodes) != 0 {
		t.Errorf("empty graph: %v\n%s", err, buf.String())
	}
}

// A workbook of the enterprises sheet: read-only columns shaded and noted, a second sheet for the sites, and the
// loader reads it back with the read-only columns ignored.
func TestXLSXSheetsReadOnly(t *testing.T) {
	var buf bytes.Buffer
	tab, err := export.NewTable(export.XLSX, &buf, chainmap.SheetEnterprises)
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := chainmap.SheetByName(chainmap.SheetEnterprises)
	cols := ents.Exported()
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = map[string]any{"id": "maker", "nameEn": "Maker", "provinces": "Beijing", "sourceIds": "src-a"}[c]
	}
	if err := tab.Header(cols); err != nil {
		t.Fatal(err)
	}
	if err := tab.Row(row); err != nil {
		t.Fatal(err)
	}
	wb, ok := tab.(interface{ NextSheet(string) error })
	if !ok {
		t.Fatal("an XLSX table cannot start a second sheet")
	}
	if err := wb.NextSheet(chainmap.SheetSites); err != nil {
		t.Fatal(err)
	}
	sites, _ := chainmap.SheetByName(chainmap.SheetSites)
	tab.Header(sites.Exported())
	tab.Row([]any{"maker-hq", "maker", "HQ", "110108", "海淀区", nil, "Maker HQ", int64(2001), nil})
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"enterprises", "sites"}) {
		t.Errorf("sheets %v", got)
	}
	comments, _ := f.GetComments("enterprises")
	notes := map[string]string{}
	for _, c := range comments {
		for _, p := range c.Paragraph {
			notes[c.Cell] += p.Text
		}
	}
	prov, _ := excelize.CoordinatesToCellName(slices.Index(cols, "provinces")+1, 1)
	if !strings.HasPrefix(notes[prov], "Read-only:") || strings.HasPrefix(notes["A1"], "Read-only") || notes["A1"] == "" {
		t.Errorf("header notes %v", notes)
	}
	imp, err := loader.ReadUpload("enterprises.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Rows) != 2 || !slices.Contains(imp.Ignored, "provinces") || imp.Rows[1].Sheet != chainmap.SheetSites ||
		imp.Rows[1].Values["since"] != 2001 || imp.Rows[1].Values["region"] != "110108" {
		t.Errorf("read back: %+v", imp)
	}
}
