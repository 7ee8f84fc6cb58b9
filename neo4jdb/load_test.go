package neo4jdb_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/seeds"
)

func seedDataset(t *testing.T) *chainmap.Dataset {
	t.Helper()
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func testDataset(t *testing.T, extra ...loader.File) *chainmap.Dataset {
	t.Helper()
	data, err := os.ReadFile("../loader/testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Parse(append([]loader.File{{Name: "base.yaml", Data: data}}, extra...))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestWriteDatasetIsIdempotent(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)

	first, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := neo4jtest.Snapshot(t)
	second, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after := neo4jtest.Snapshot(t)

	if t1 := first.Total(); t1.Created == 0 || t1.Updated != 0 {
		t.Errorf("first load = %+v, want only creations", t1)
	}
	if t2 := second.Total(); t2.Created != 0 || t2.Updated != 0 || t2.Unchanged != first.Total().Created {
		t.Errorf("second load = %+v, want everything unchanged (%d)", t2, first.Total().Created)
	}
	if len(before) != len(after) || !reflect.DeepEqual(before, after) {
		t.Errorf("loading twice changed the graph: %d items before, %d after", len(before), len(after))
	}
	// The graph holds what the dataset says, no more: one node per record.
	counts := neo4jtest.Query(t, `MATCH (e:Enterprise) WITH count(e) AS e MATCH (b:Bottleneck) RETURN e, count(b) AS b`, nil)
	if got := counts[0]["e"].(int64); int(got) != len(ds.Enterprises) {
		t.Errorf("%d Enterprise nodes, want %d", got, len(ds.Enterprises))
	}
	if got := counts[0]["b"].(int64); int(got) != len(ds.Bottlenecks) {
		t.Errorf("%d Bottleneck nodes, want %d", got, len(ds.Bottlenecks))
	}
}

func TestWriteDatasetChangesAreCountedAsUpdates(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.WriteDataset(ctx, testDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	ds := testDataset(t)
	ds.Enterprises[0].NameEn = "Jingdiao Group"
	ds.Enterprises[0].Name = "Jingdiao Group"
	sum, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sum.Counts {
		if c.Kind == "Enterprise" && (c.Updated != 1 || c.Created != 0 || c.Unchanged != 1) {
			t.Errorf("Enterprise counts = %+v, want 1 updated, 1 unchanged", c)
		}
	}
	got := neo4jtest.Query(t, `MATCH (e:Enterprise {id: 'maker'}) RETURN e.name AS name`, nil)
	if got[0]["name"] != "Jingdiao Group" {
		t.Errorf("name after update = %v", got[0]["name"])
	}
}

// A load that fails in the middle, after some batches were written, leaves the graph exactly as it was.
func TestWriteDatasetIsAllOrNothing(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.WriteDataset(ctx, testDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	before := neo4jtest.Snapshot(t)

	injected := errors.New("injected failure")
	batches := 0
	ds := seedDataset(t) // much larger: many batches, over many labels and relationship types
	_, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{Progress: func(p chainmap.Progress) error {
		batches++
		if batches == 12 { // well inside the load: nodes and relationships have been written by now
			return injected
		}
		return nil
	}})
	if !errors.Is(err, injected) {
		t.Fatalf("WriteDataset = %v, want the injected failure", err)
	}
	if after := neo4jtest.Snapshot(t); !reflect.DeepEqual(before, after) {
		t.Errorf("a failed load changed the graph: %d items before, %d after", len(before), len(after))
	}

	// A cancelled context (the process being killed, as far as Neo4j can tell) rolls back too.
	cctx, cancel := context.WithCancel(ctx)
	batches = 0
	_, err = db.WriteDataset(cctx, ds, chainmap.LoadOptions{Progress: func(p chainmap.Progress) error {
		if batches++; batches == 8 {
			cancel()
		}
		return nil
	}})
	if err == nil {
		t.Fatal("WriteDataset with a cancelled context succeeded")
	}
	if after := neo4jtest.Snapshot(t); !reflect.DeepEqual(before, after) {
		t.Errorf("a cancelled load changed the graph: %d items before, %d after", len(before), len(after))
	}
}

func TestWriteDatasetPrune(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.WriteDataset(ctx, testDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	// Data that is not curated: a synthetic firm and one an editor added through the API.
	neo4jtest.Query(t, `CREATE (:Enterprise {id: 'syn-1', name: 'S', origin: 'gen', synthetic: true}),
	                          (:Enterprise {id: 'api-1', name: 'A', origin: 'api'})`, nil)

	smaller := testDataset(t)
	smaller.Enterprises = smaller.Enterprises[:1] // drop "buyer"
	var sites []chainmap.Site
	for _, s := range smaller.Sites {
		if s.EnterpriseID != "buyer" {
			sites = append(sites, s)
		}
	}
	smaller.Sites, smaller.Supplies = sites, nil
	smaller.Segments[0].Feeds = nil // drop the FEEDS link

	// Without -prune, nothing is removed.
	if _, err := db.WriteDataset(ctx, smaller, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, `MATCH (e:Enterprise {id: 'buyer'}) RETURN count(e) AS n`); n != 1 {
		t.Errorf("without prune, buyer nodes = %d, want 1", n)
	}

	sum, err := db.WriteDataset(ctx, smaller, chainmap.LoadOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	removed := map[string]int{}
	for _, c := range sum.Counts {
		removed[c.Kind] = c.Removed
	}
	want := map[string]int{"Enterprise": 1, "Site": 1, "SUPPLIES": 1, "FEEDS": 1}
	for k, v := range want {
		if removed[k] != v {
			t.Errorf("removed %d %s, want %d (summary %+v)", removed[k], k, v, sum)
		}
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{`MATCH (e:Enterprise {id: 'buyer'}) RETURN count(e) AS n`, 0},
		{`MATCH (s:Site {id: 'buyer-lf'}) RETURN count(s) AS n`, 0},
		{`MATCH (:Segment {id: 'cnc'})-[r:FEEDS]->() RETURN count(r) AS n`, 0},
		{`MATCH (e:Enterprise) WHERE e.id IN ['syn-1', 'api-1'] RETURN count(e) AS n`, 2},
		{`MATCH (e:Enterprise {id: 'maker'})-[:OPERATES]->(s) RETURN count(s) AS n`, 2},
	} {
		if n := count(t, tc.query); n != tc.want {
			t.Errorf("%s = %d, want %d", tc.query, n, tc.want)
		}
	}
}

func TestWriteDatasetFromCSV(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ds := testDataset(t,
		loader.File{Name: "enterprises.csv", Data: []byte("id,nameZh,nameEn,segmentIds,confidence,sourceIds\n" +
			"csv-firm,某公司,Firm,cnc,REPORTED,src-a\n")},
		loader.File{Name: "sites.csv", Data: []byte("id,enterprise,kind,region\ncsv-firm-lf,csv-firm,MANUFACTURING,131000\n")},
		loader.File{Name: "supplies.csv", Data: []byte("from,to,product,confidence,sourceIds\ncsv-firm,maker,CNC units,REPORTED,src-a\n")})
	if _, err := db.WriteDataset(context.Background(), ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	rows := neo4jtest.Query(t, `
MATCH (e:Enterprise {id: 'csv-firm'})-[:OPERATES]->(s:Site)-[:LOCATED_IN]->(r:Region)
MATCH (e)-[sup:SUPPLIES]->(c:Enterprise)
MATCH (e)-[:ACTIVE_IN]->(seg:Segment)
MATCH (e)-[:CITED_IN]->(src:Source)
RETURN e.nameZh AS zh, s.kind AS kind, r.code AS region, sup.product AS product, c.id AS customer, seg.id AS seg, src.id AS src`, nil)
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1: %v", len(rows), rows)
	}
	got := fmt.Sprint(rows[0])
	want := "map[customer:maker kind:MANUFACTURING product:CNC units region:131000 seg:cnc src:src-a zh:某公司]"
	if got != want {
		t.Errorf("CSV firm in the graph = %s\nwant %s", got, want)
	}
}

func count(t *testing.T, query string) int {
	t.Helper()
	rows := neo4jtest.Query(t, query, nil)
	n, _ := rows[0]["n"].(int64)
	return int(n)
}

// The statements a load runs depend on the kinds of records it writes, not on how many records there are:
// the seeds alone and the seeds with 3,000 more firms (each kind then well over a thousand rows) take the
// same number, on a first load, a reload and a pruning reload.
func TestLoadStatementsDoNotGrowWithRecords(t *testing.T) {
	var statements atomic.Int64
	cfg := neo4jtest.Config()
	cfg.OnQuery = func(string) { statements.Add(1) }
	ctx := context.Background()
	small := seedDataset(t)
	large := withSynthetic(t, small, 3000, 2)
	type pass struct {
		name string
		opts chainmap.LoadOptions
	}
	passes := []pass{{"first load", chainmap.LoadOptions{}}, {"reload", chainmap.LoadOptions{}},
		{"pruning reload", chainmap.LoadOptions{Prune: true}}}
	counts := map[string][]int64{}
	for _, ds := range []*chainmap.Dataset{small, large} {
		db := neo4jtest.MustOpenDBWith(t, cfg)
		for _, p := range passes {
			statements.Store(0)
			s, err := db.WriteDataset(ctx, ds, p.opts)
			if err != nil {
				t.Fatalf("%s of %d firms: %v", p.name, len(ds.Enterprises), err)
			}
			counts[p.name] = append(counts[p.name], statements.Load())
			if p.name == "first load" {
				for _, c := range s.Counts {
					if c.Kind == "Enterprise" && c.Created != len(ds.Enterprises) {
						t.Errorf("first load of %d firms created %d", len(ds.Enterprises), c.Created)
					}
				}
			}
		}
	}
	if len(large.Enterprises) < len(small.Enterprises)+3000 || len(large.Supplies) < 6000 {
		t.Fatalf("the large dataset has %d firms and %d supply links, want 3,000 and 6,000 more than the seeds",
			len(large.Enterprises), len(large.Supplies))
	}
	for _, p := range passes {
		c := counts[p.name]
		t.Logf("%s: %d statements for %d firms, %d for %d firms", p.name, c[0], len(small.Enterprises), c[1], len(large.Enterprises))
		if c[0] == 0 || c[0] != c[1] {
			t.Errorf("%s: %d statements for %d firms, %d for %d firms; want the same, and some", p.name, c[0],
				len(small.Enterprises), c[1], len(large.Enterprises))
		}
	}
}
