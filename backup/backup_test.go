package backup_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// openDB opens the empty test database with a generous transaction timeout: these tests make hundreds of
// changes, and on a machine shared with other work one may wait long for the CPU.
func openDB(t testing.TB) *neo4jdb.DB {
	t.Helper()
	cfg := neo4jtest.Config()
	cfg.QueryTimeout = 5 * time.Minute
	return neo4jtest.MustOpenDBWith(t, cfg)
}

// graphOf reads the whole test graph.
func graphOf(t testing.TB, db *neo4jdb.DB) *chainmap.StoredGraph {
	t.Helper()
	g, err := db.ReadGraph(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// seedsAndEdits loads the seeds, a small synthetic graph and n editors' changes of every kind.
func seedsAndEdits(t testing.TB, db *neo4jdb.DB, n int) *editor {
	t.Helper()
	ds := neo4jtest.MustLoadSeeds(t, db)
	syn, err := synth.Generate(synth.Config{Seed: 7, Enterprises: 200, Supplies: 600, Exponent: 1.2}, ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteSynthetic(context.Background(), syn, 0, nil); err != nil {
		t.Fatal(err)
	}
	e := newEditor(t, db)
	e.run(t, n)
	return e
}

// restoreInto empties the database and loads the dump at dir into it, as `chainmap load DIR` does.
func restoreInto(t testing.TB, db *neo4jdb.DB, dir string) {
	t.Helper()
	ctx := context.Background()
	if err := db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	ds, _, err := backup.ReadDump(dir)
	if err != nil {
		t.Fatalf("the dump does not read back: %v", err)
	}
	g, err := neo4jdb.GraphOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RestoreGraph(ctx, g, nil); err != nil {
		t.Fatal(err)
	}
}

// A dump of the seeds, a synthetic graph and editors' changes of every kind (API-created records, edits of
// curated ones, replaced sites, status histories, supply links made and removed, tech transfers), loaded into
// an empty database, gives the same graph: every node with its labels and properties, every relationship with
// its properties, and the change log's position.
func TestDumpRoundTrip(t *testing.T) {
	db := openDB(t)
	seedsAndEdits(t, db, 120)
	before := graphOf(t, db)

	files, sum, err := backup.Dump(context.Background(), db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Generic {
		t.Error("the dump fell back to nodes and relationships: the records did not read back as seed records")
	}
	if sum.ChangeLogSeq < 120 || sum.SettledSeq != 0 {
		t.Errorf("dump at change %d (settled %d), want at least the 120 edits and no writes while it read", sum.ChangeLogSeq, sum.SettledSeq)
	}
	dir := filepath.Join(t.TempDir(), "dump")
	if err := backup.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	restoreInto(t, db, dir)
	after := graphOf(t, db)
	if d := chainmap.DiffGraphs(before, after, 20); len(d) > 0 {
		t.Fatalf("the restored graph differs from the dumped one:\n%s", strings.Join(d, "\n"))
	}
	histories := 0
	for _, n := range after.Nodes {
		if chainmap.KindLabel(n.Labels) == "StatusChange" {
			histories++
		}
	}
	api := 0
	for _, n := range after.Nodes {
		if n.Props["origin"] == chainmap.OriginAPI {
			api++
		}
	}
	tombstones, edited := 0, 0
	for _, n := range after.Nodes {
		if chainmap.KindLabel(n.Labels) == "Deleted" {
			tombstones++
		}
		if n.Props["editedFields"] != nil {
			edited++
		}
	}
	if histories < 20 || api < 30 || tombstones == 0 || edited == 0 {
		t.Errorf("the graph has %d status changes, %d API records, %d tombstones and %d edited curated records: "+
			"the edits did not reach it", histories, api, tombstones, edited)
	}
	t.Logf("round trip equal: %d nodes (%d made through the API, %d edited curated records, %d status changes, %d tombstones), "+
		"%d relationships, change log at %d; %d files, %d bytes", len(after.Nodes), api, edited, histories, tombstones,
		len(after.Rels), after.ChangeLogSeq, sum.Files, sum.Bytes)
}

// A graph the seed kinds cannot describe — here a node of a kind no record has, with a relationship to a
// curated record, and properties no field gives — still dumps and restores exactly.
func TestDumpKeepsWhatNoRecordHolds(t *testing.T) {
	db := openDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	neo4jtest.Query(t, `
CREATE (d:Deleted {id: 'gone-firm', kind: 'Enterprise', seed: '{"nameZh":"旧"}', deletedBy: 'ann', score: 1.0})
WITH d MATCH (r:Region {code: '110000'}) CREATE (d)-[:WAS_IN {since: 2020}]->(r)
WITH r MATCH (e:Enterprise) WITH e ORDER BY e.id LIMIT 1
SET e.editedFields = ['nameEn'], e.edits = '{"nameEn":{"by":"ann","seed":"Old"}}', e.weight = 2.0
WITH e MATCH (e)-[a:ACTIVE_IN]->() SET a.origin = 'api', a.since = 2021`, nil)
	before := graphOf(t, db)
	files, sum, err := backup.Dump(context.Background(), db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Generic {
		t.Error("the dump fell back to nodes and relationships")
	}
	var nodes []byte
	for _, f := range files {
		if f.Name == "nodes.yaml" {
			nodes = f.Data
		}
	}
	if !bytes.Contains(nodes, []byte("gone-firm")) {
		t.Errorf("nodes.yaml does not hold the Deleted node:\n%s", nodes)
	}
	dir := filepath.Join(t.TempDir(), "dump")
	if err := backup.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	restoreInto(t, db, dir)
	if d := chainmap.DiffGraphs(before, graphOf(t, db), 20); len(d) > 0 {
		t.Fatalf("the restored graph differs:\n%s", strings.Join(d, "\n"))
	}
}

// Two dumps of one graph are byte for byte the same, and one editor's change changes only the lines of the
// record it changed (and the change log's position).
func TestDumpIsDeterministic(t *testing.T) {
	db := openDB(t)
	e := seedsAndEdits(t, db, 40)
	ctx := context.Background()
	first, _, err := backup.Dump(ctx, db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := backup.Dump(ctx, db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := fileDiff(first, second); len(d) > 0 {
		t.Fatalf("two dumps of one graph differ:\n%s", strings.Join(d, "\n"))
	}

	firm := e.ds.Enterprises[5]
	firm.Description = "A description an editor changed."
	firm.Provenance = chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: firm.SourceIDs}
	if _, err := db.UpsertEnterprise(ctx, firm, nil, false, "reviewer-test"); err != nil {
		t.Fatal(err)
	}
	third, _, err := backup.Dump(ctx, db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string][2][]string{}
	for _, d := range fileDiff(second, third) {
		t.Log(d)
	}
	for name, pair := range changedLines(second, third) {
		changed[name] = pair
	}
	if len(changed) != 2 || changed["dump.yaml"][0] == nil || changed["enterprises.yaml"][0] == nil {
		t.Fatalf("the edit changed %d files (%v), want dump.yaml and enterprises.yaml", len(changed), keys(changed))
	}
	if pair := changed["dump.yaml"]; len(pair[0]) != 1 || !strings.Contains(pair[0][0], "seq:") || len(pair[1]) != 1 {
		t.Errorf("dump.yaml: %v → %v, want the seq line only", pair[0], pair[1])
	}
	block := recordLines(fileNamed(third, "enterprises.yaml"), firm.ID)
	for _, l := range changed["enterprises.yaml"][1] {
		if !block[l] {
			t.Errorf("enterprises.yaml: changed line %q is not in %s's record", l, firm.ID)
		}
	}
	oldBlock := recordLines(fileNamed(second, "enterprises.yaml"), firm.ID)
	for _, l := range changed["enterprises.yaml"][0] {
		if !oldBlock[l] {
			t.Errorf("enterprises.yaml: removed line %q was not in %s's record", l, firm.ID)
		}
	}
	if !strings.Contains(strings.Join(changed["enterprises.yaml"][1], "\n"), "A description an editor changed.") {
		t.Errorf("the new lines %q do not hold the edit", changed["enterprises.yaml"][1])
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func fileNamed(files []loader.File, name string) []byte {
	for _, f := range files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

// recordLines returns the lines of the record with the given id in a dump file.
func recordLines(data []byte, id string) map[string]bool {
	out := map[string]bool{}
	in := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "  - ") {
			in = l == "  - id: "+id
		}
		if in {
			out[l] = true
		}
	}
	return out
}

// fileDiff names the files that differ between two dumps.
func fileDiff(a, b []loader.File) []string {
	var out []string
	for name, pair := range changedLines(a, b) {
		out = append(out, name+": -"+strings.Join(pair[0], "\n-")+"\n+"+strings.Join(pair[1], "\n+"))
	}
	return out
}

// changedLines returns, for each file that differs, the lines only in a and the lines only in b, between their
// common beginning and end.
func changedLines(a, b []loader.File) map[string][2][]string {
	am, bm := map[string]string{}, map[string]string{}
	for _, f := range a {
		am[f.Name] = string(f.Data)
	}
	for _, f := range b {
		bm[f.Name] = string(f.Data)
	}
	out := map[string][2][]string{}
	for name := range merge(am, bm) {
		if am[name] == bm[name] {
			continue
		}
		x, y := strings.Split(am[name], "\n"), strings.Split(bm[name], "\n")
		i := 0
		for i < len(x) && i < len(y) && x[i] == y[i] {
			i++
		}
		j := 0
		for j < len(x)-i && j < len(y)-i && x[len(x)-1-j] == y[len(y)-1-j] {
			j++
		}
		out[name] = [2][]string{x[i : len(x)-j], y[i : len(y)-j]}
	}
	return out
}

func merge(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
