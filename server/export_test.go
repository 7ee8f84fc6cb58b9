package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/server"
)

// TestExportRoutes downloads every export from a server over the real Neo4j loaded with the seeds, and reads
// each file back with a real reader.
func TestExportRoutes(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	srv := httptest.NewServer(server.New(server.Config{
		GraphQL: graph.NewHandler(db, graph.Options{}), Ready: db.Ping, Metrics: server.NewMetrics(), Exports: db,
	}))
	t.Cleanup(srv.Close)
	get := func(t *testing.T, path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}

	t.Run("bad requests", func(t *testing.T) {
		for _, tc := range []struct {
			path     string
			code     int
			contains string
		}{
			{"/export/enterprises.csv?colour=red", 400, "unknown parameter colour"},
			{"/export/bottlenecks.xlsx?status=open", 400, "want one of OPEN, IN_PROGRESS, RESOLVED"},
			{"/export/enterprises.csv?regionCode=beijing", 400, "not a region code"},
			{"/export/bottlenecks.csv?minSeverity=0", 400, "from 1 to 5"},
			{"/export/graph.graphml", 400, "chainMapId is required"},
			{"/export/graph.graphml?chainMapId=no-such-map", 404, "not found"},
			{"/export/graph.gexf", 400, "chainMapId is required"},
			{"/export/graph.gexf?chainMapId=no-such-map", 404, "not found"},
			{"/export/regions.csv", 404, "the exports are"},
			{"/export/graph.csv?chainMapId=hydrogen", 404, "no such export"},
		} {
			resp, b := get(t, tc.path)
			if resp.StatusCode != tc.code || !strings.Contains(string(b), tc.contains) {
				t.Errorf("GET %s = %d %q, want %d containing %q", tc.path, resp.StatusCode, b, tc.code, tc.contains)
			}
		}
	})

	t.Run("enterprises.csv", func(t *testing.T) {
		resp, b := get(t, "/export/enterprises.csv?chainMapId=hydrogen&regionCode=130000")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "enterprises.csv") {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		if !bytes.HasPrefix(b, []byte("\uFEFF")) {
			t.Fatal("no byte-order mark")
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := neo4jtest.Query(t, `MATCH (e:Enterprise)-[:ACTIVE_IN]->(:Segment {chainMapId: 'hydrogen'})
			WHERE EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) WHERE r.province = '130000' }
			RETURN count(DISTINCT e) AS n`, nil)[0]["n"].(int64)
		if int64(len(recs)-1) != want || want == 0 {
			t.Fatalf("%d rows, want %d", len(recs)-1, want)
		}
		zh := strings.Index(strings.Join(recs[0], ","), "nameZh")
		if zh < 0 || !strings.Contains(string(b), "河北") {
			t.Errorf("no nameZh column or no Chinese province name: %s", b[:min(len(b), 400)])
		}
	})

	t.Run("bottlenecks.xlsx", func(t *testing.T) {
		resp, b := get(t, "/export/bottlenecks.xlsx?status=OPEN")
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("bottlenecks")
		if err != nil {
			t.Fatal(err)
		}
		want := neo4jtest.Query(t, `MATCH (b:Bottleneck {status: 'OPEN'}) RETURN count(b) AS n`, nil)[0]["n"].(int64)
		last := len(rows[0]) - 1
		if int64(len(rows)-1) != want || rows[0][0] != "id" || rows[0][last-1] != "sources" || rows[0][last] != "sourcesAsOf" {
			t.Errorf("%d rows (want %d), header %v", len(rows)-1, want, rows[0])
		}
		dated := 0
		for _, r := range rows[1:] {
			if len(r) > last && regexp.MustCompile(`^\d{4}(-\d{2}){0,2}$`).MatchString(r[last]) {
				dated++
			}
		}
		if dated < len(rows[1:])/2 {
			t.Errorf("%d of %d rows give the date of their newest source", dated, len(rows)-1)
		}
		if panes, _ := f.GetPanes("bottlenecks"); !panes.Freeze {
			t.Error("header row not frozen")
		}
	})

	t.Run("graph.graphml", func(t *testing.T) {
		resp, b := get(t, "/export/graph.graphml?chainMapId=hydrogen")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "graphml") {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		var doc struct {
			Graph struct {
				Nodes []struct {
					ID string `xml:"id,attr"`
				} `xml:"node"`
				Edges []struct {
					Source string `xml:"source,attr"`
					Target string `xml:"target,attr"`
				} `xml:"edge"`
			} `xml:"graph"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, n := range doc.Graph.Nodes {
			ids[n.ID] = true
		}
		for _, e := range doc.Graph.Edges {
			if !ids[e.Source] || !ids[e.Target] {
				t.Errorf("edge %s→%s dangles", e.Source, e.Target)
			}
		}
		if !ids["hydrogen"] || len(doc.Graph.Edges) < 50 {
			t.Errorf("%d nodes, %d edges", len(ids), len(doc.Graph.Edges))
		}
	})

	// One source of nodes and edges, two writers: the GEXF holds what the GraphML holds, value for value.
	t.Run("graph.gexf", func(t *testing.T) {
		resp, b := get(t, "/export/graph.gexf?chainMapId=hydrogen")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "gexf") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="graph.gexf"`) {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		var gexf struct {
			XMLName xml.Name `xml:"http://gexf.net/1.3 gexf"`
			Nodes   []struct {
				ID     string     `xml:"id,attr"`
				Label  string     `xml:"label,attr"`
				Values []xmlValue `xml:"attvalues>attvalue"`
			} `xml:"graph>nodes>node"`
			Edges []struct {
				ID     string     `xml:"id,attr"`
				Source string     `xml:"source,attr"`
				Target string     `xml:"target,attr"`
				Label  string     `xml:"label,attr"`
				Values []xmlValue `xml:"attvalues>attvalue"`
			} `xml:"graph>edges>edge"`
		}
		if err := xml.Unmarshal(b, &gexf); err != nil {
			t.Fatal(err)
		}
		_, b = get(t, "/export/graph.graphml?chainMapId=hydrogen")
		var graphml struct {
			Nodes []struct {
				ID   string    `xml:"id,attr"`
				Data []xmlData `xml:"data"`
			} `xml:"graph>node"`
			Edges []struct {
				ID     string    `xml:"id,attr"`
				Source string    `xml:"source,attr"`
				Target string    `xml:"target,attr"`
				Data   []xmlData `xml:"data"`
			} `xml:"graph>edge"`
		}
		if err := xml.Unmarshal(b, &graphml); err != nil {
			t.Fatal(err)
		}
		// Each file as id → attribute → value; a GEXF node's label is GEXF's own, an edge's ends are values too.
		want, got := map[string]map[string]string{}, map[string]map[string]string{}
		for _, n := range graphml.Nodes {
			want["node "+n.ID] = dataMap(n.Data)
		}
		for _, e := range graphml.Edges {
			want["edge "+e.ID] = dataMap(e.Data, "source", e.Source, "target", e.Target)
		}
		for _, n := range gexf.Nodes {
			got["node "+n.ID] = valueMap(n.Values, "label", n.Label)
		}
		for _, e := range gexf.Edges {
			got["edge "+e.ID] = valueMap(e.Values, "source", e.Source, "target", e.Target)
			if e.Label != got["edge "+e.ID]["type"] {
				t.Errorf("edge %s: label %q, type %q", e.ID, e.Label, got["edge "+e.ID]["type"])
			}
		}
		if len(gexf.Nodes) != len(graphml.Nodes) || len(gexf.Edges) != len(graphml.Edges) || len(gexf.Edges) < 50 {
			t.Errorf("GEXF %d nodes, %d edges; GraphML %d nodes, %d edges", len(gexf.Nodes), len(gexf.Edges), len(graphml.Nodes), len(graphml.Edges))
		}
		if !reflect.DeepEqual(got, want) {
			for k, w := range want {
				if !reflect.DeepEqual(got[k], w) {
					t.Errorf("%s: GEXF %v, GraphML %v", k, got[k], w)
					break
				}
			}
		}
		if got["node hydrogen"]["nameZh"] != "氢能" {
			t.Errorf("node hydrogen: %v", got["node hydrogen"])
		}
		t.Logf("%d nodes, %d edges alike", len(gexf.Nodes), len(gexf.Edges))
	})
}

type xmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type xmlValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

// dataMap reads GraphML data as attribute → value (keys are n_name or e_name), plus the pairs given.
func dataMap(data []xmlData, pairs ...string) map[string]string {
	m := map[string]string{}
	for _, d := range data {
		m[d.Key[2:]] = d.Value
	}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

// valueMap reads GEXF attvalues as attribute → value (ids are n_name or e_name), plus the pairs given.
func valueMap(values []xmlValue, pairs ...string) map[string]string {
	m := map[string]string{}
	for _, v := range values {
		m[v.For[2:]] = v.Value
	}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}
