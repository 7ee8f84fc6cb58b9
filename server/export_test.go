package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
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
		if int64(len(rows)-1) != want || rows[0][0] != "id" || rows[0][len(rows[0])-1] != "sources" {
			t.Errorf("%d rows (want %d), header %v", len(rows)-1, want, rows[0])
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
}
