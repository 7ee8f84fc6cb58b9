package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// readGraph reads the whole test graph.
func readGraph(t *testing.T) *chainmap.StoredGraph {
	t.Helper()
	db, err := neo4jdb.Open(context.Background(), neo4jtest.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	g, err := db.ReadGraph(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// `chainmap dump` writes a directory that `chainmap load` reads back into an empty database as the same graph;
// load refuses a database with data, and dump an existing directory unless forced.
func TestDumpAndLoadCommands(t *testing.T) {
	neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, append([]string{"load"}, neo4jArgs()...), &out, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	// A status history, so that the dump holds more than the seeds.
	neo4jtest.Query(t, `MATCH (b:Bottleneck) WITH b ORDER BY b.id LIMIT 1
CREATE (b)-[:HAS_STATUS_CHANGE]->(:StatusChange {id: 'sc-test', seq: 1, from: 'OPEN', to: 'IN_PROGRESS', author: 'ann', at: '2026-01-01T00:00:00Z'})`, nil)
	before := readGraph(t)

	dir := filepath.Join(t.TempDir(), "dump")
	out.Reset()
	if err := run(ctx, append([]string{"dump", "-o", dir}, neo4jArgs()...), &out, &errOut); err != nil {
		t.Fatalf("dump: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "as seed records") || !strings.Contains(errOut.String(), "dump done") {
		t.Errorf("dump said %q, progress %q", out.String(), errOut.String())
	}
	if err := run(ctx, append([]string{"dump", "-o", dir}, neo4jArgs()...), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "-force") {
		t.Errorf("a dump into an existing directory: %v, want an error pointing at -force", err)
	}
	if err := run(ctx, append([]string{"dump", "-force", "-o", dir}, neo4jArgs()...), io.Discard, io.Discard); err != nil {
		t.Errorf("dump -force: %v", err)
	}
	if err := run(ctx, append(append([]string{"load", "-dry-run"}, neo4jArgs()...), dir), &out, io.Discard); err != nil {
		t.Errorf("load -dry-run of a dump: %v", err)
	}
	err := run(ctx, append(append([]string{"load"}, neo4jArgs()...), dir), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("load of a dump into a database with data: %v, want a refusal", err)
	}
	out.Reset()
	if err := run(ctx, append(append([]string{"load", "-if-empty"}, neo4jArgs()...), dir), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "not loading") {
		t.Errorf("load -if-empty of a dump into a database with data: %v, %q", err, out.String())
	}

	neo4jtest.MustOpenDB(t) // empty
	out.Reset()
	if err := run(ctx, append(append([]string{"load"}, neo4jArgs()...), dir), &out, io.Discard); err != nil {
		t.Fatalf("load of the dump: %v", err)
	}
	if d := chainmap.DiffGraphs(before, readGraph(t), 10); len(d) > 0 {
		t.Fatalf("chainmap load of the dump gives another graph:\n%s", strings.Join(d, "\n"))
	}

	var help bytes.Buffer
	run(ctx, []string{"-h"}, &help, io.Discard)
	for _, cmd := range []string{"dump", "restore"} {
		if !strings.Contains(help.String(), "\n  "+cmd+" ") {
			t.Errorf("chainmap -h does not list %s", cmd)
		}
	}
	help.Reset()
	run(ctx, []string{"serve", "-h"}, io.Discard, &help)
	for _, env := range []string{"DUMP_EVERY", "DUMP_DIR", "DUMP_KEEP", "ARCHIVE_DIR", "ARCHIVE_SYNC", "ARCHIVE_POLL", "ARCHIVE_WAIT"} {
		if !strings.Contains(help.String(), "["+env+"]") {
			t.Errorf("chainmap serve -h does not document %s", env)
		}
	}
}

const drillKey = "drill-editor-key-0123456789"

// drillEdit is one mutation an editor sent in the drill, and how to tell whether the restored graph has it.
type drillEdit struct {
	what   string
	acked  bool      // the API answered with data and no error
	why    string    // else what went wrong
	at     time.Time // when the answer came
	check  string    // Cypher returning one row with found: true when the graph holds the change
	params map[string]any
}

// editorStream sends mutations of several kinds through the API until stop is closed, one at a time, and
// records each with whether it was acknowledged.
func editorStream(base string, g int, stop <-chan struct{}, sources, segments, firms []string, acks *atomic.Int64) []drillEdit {
	client := &http.Client{Timeout: 15 * time.Second}
	var why string
	post := func(query string, vars map[string]any) bool {
		why = ""
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+drillKey)
		resp, err := client.Do(req)
		if err != nil {
			why = err.Error()
			return false
		}
		defer resp.Body.Close()
		var out struct {
			Data   map[string]any
			Errors []any
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil || len(out.Errors) > 0 || out.Data == nil {
			why = fmt.Sprintf("%s %.300s", resp.Status, b)
			return false
		}
		return true
	}
	var edits []drillEdit
	status := map[string]string{}
	var bns []string
	var own []string
	next := map[string]string{"OPEN": "IN_PROGRESS", "IN_PROGRESS": "RESOLVED", "RESOLVED": "OPEN"}
	for n := 0; ; n++ {
		select {
		case <-stop:
			return edits
		default:
		}
		token := fmt.Sprintf("drill-%d-%d", g, n)
		src, seg := sources[n%len(sources)], segments[n%len(segments)]
		var e drillEdit
		switch {
		case n%4 == 0 || len(own) == 0:
			id := token
			e = drillEdit{what: "upsertEnterprise " + id,
				check:  `MATCH (e:Enterprise {id: $id}) RETURN e.description = $token AS found`,
				params: map[string]any{"id": id, "token": token}}
			e.acked = post(`mutation($in: EnterpriseInput!) { upsertEnterprise(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"id": id, "nameZh": "演练企业" + id, "segmentIds": []string{seg}, "description": token, "confidence": "REPORTED",
				"sourceIds": []string{src}, "sites": []map[string]any{{"id": id + "-hq", "kind": "HQ", "regionCode": "110108"}}}})
			if e.acked {
				own = append(own, id)
			}
		case n%4 == 1 && (len(bns) == 0 || n%8 == 1):
			id := "bn-" + token
			e = drillEdit{what: "upsertBottleneck " + id, check: `MATCH (b:Bottleneck {id: $id}) RETURN true AS found`,
				params: map[string]any{"id": id}}
			e.acked = post(`mutation($in: BottleneckInput!) { upsertBottleneck(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"id": id, "nameZh": "演练卡点" + id, "kind": "GAP", "category": "MATERIAL", "severity": 3, "segmentIds": []string{seg},
				"confidence": "ILLUSTRATIVE", "sourceIds": []string{src}}})
			if e.acked {
				bns = append(bns, id)
				status[id] = "OPEN"
			}
		case n%4 == 1:
			id := bns[n%len(bns)]
			to := next[status[id]]
			e = drillEdit{what: "setBottleneckStatus " + id + " " + to,
				check: `RETURN EXISTS { (:StatusChange {note: $token}) } AS found`, params: map[string]any{"token": token}}
			e.acked = post(`mutation($id: ID!, $s: BottleneckStatus!, $note: String) { setBottleneckStatus(id: $id, status: $s, note: $note) { id } }`,
				map[string]any{"id": id, "s": to, "note": token})
			if e.acked {
				status[id] = to
			}
		default:
			from, to := own[n%len(own)], firms[n%len(firms)]
			e = drillEdit{what: "linkSupplier " + from + " → " + to,
				check: `RETURN EXISTS { ()-[:SUPPLIES {product: $token}]->() } AS found`, params: map[string]any{"token": token}}
			e.acked = post(`mutation($in: SupplyInput!) { linkSupplier(input: $in) { product } }`, map[string]any{"in": map[string]any{
				"supplierId": from, "customerId": to, "product": token, "confidence": "REPORTED", "sourceIds": []string{src}}})
		}
		e.why, e.at = why, time.Now()
		if e.acked {
			acks.Add(1)
		}
		edits = append(edits, e)
		if !e.acked {
			time.Sleep(50 * time.Millisecond) // the store is gone: do not spin
		}
	}
}

// The restore drill: editors change the graph through the API while the service takes scheduled dumps and
// archives the change log; the store is lost in the middle of it (the server killed, its data directory
// deleted); a new, empty Neo4j is restored from the newest dump and the archive. Every change the API
// acknowledged is in the restored graph: with -archive-sync an acknowledgement waits until the archive holds
// the change.
func TestRestoreAfterLosingTheStore(t *testing.T) {
	r := restoreDrill(t, true)
	if len(r.lost) > 0 {
		t.Errorf("%d acknowledged changes are not in the restored graph: %v", len(r.lost), r.lost)
	}
}

// drillResult is what a restore drill found.
type drillResult struct {
	made, acked, recovered, unackedRecovered int
	lost                                     []string
	// ackedBefore counts the acknowledged changes by how long before the store was lost they were acknowledged.
	ackedWithin func(d time.Duration) int
}

func restoreDrill(t *testing.T, archiveSync bool) drillResult {
	t.Helper()
	neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if err := run(ctx, append([]string{"load"}, neo4jArgs()...), io.Discard, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	var sources, segments, firms []string
	for _, r := range neo4jtest.Query(t, `MATCH (s:Source) WITH s ORDER BY s.id LIMIT 20 RETURN collect(s.id) AS ids`, nil) {
		sources = neo4jdbStrings(r["ids"])
	}
	for _, r := range neo4jtest.Query(t, `MATCH (s:Segment) WITH s ORDER BY s.id LIMIT 20 RETURN collect(s.id) AS ids`, nil) {
		segments = neo4jdbStrings(r["ids"])
	}
	for _, r := range neo4jtest.Query(t, `MATCH (e:Enterprise) WITH e ORDER BY e.id LIMIT 20 RETURN collect(e.id) AS ids`, nil) {
		firms = neo4jdbStrings(r["ids"])
	}

	work := t.TempDir()
	archive, dumps := filepath.Join(work, "archive"), filepath.Join(work, "dumps")
	serveCtx, stopServe := context.WithCancel(ctx)
	defer stopServe()
	served := make(chan error, 1)
	var serveLog neo4jtest.SyncBuffer
	port := freePort(t)
	go func() {
		served <- run(serveCtx, append([]string{"serve", "-port", port, "-api-keys", "drill:editor:" + drillKey,
			"-archive", archive, "-archive-poll", "200ms", fmt.Sprintf("-archive-sync=%v", archiveSync), "-dump-every", "2s",
			"-dump-dir", dumps, "-log-level", "warn", "-query-timeout", "60s"}, neo4jArgs()...), io.Discard, &serveLog)
	}()
	base := "http://127.0.0.1:" + port
	waitFor(t, "serve to answer", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	waitFor(t, "the first scheduled dump", func() bool { d, _ := backup.Dumps(dumps); return len(d) > 0 })

	stop := make(chan struct{})
	var ackCount atomic.Int64
	var wg sync.WaitGroup
	results := make([][]drillEdit, 2)
	for g := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[g] = editorStream(base, g, stop, sources, segments, firms, &ackCount) }()
	}
	// Editors at work, dumps every 2 s, until 30 changes are acknowledged (a minute at most: the first of each
	// kind is slow on a busy machine), then a little longer.
	editorsStarted := time.Now()
	for time.Since(editorsStarted) < time.Minute && ackCount.Load() < 30 {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	lostAt := time.Now()
	neo4jtest.LoseStore(t)
	time.Sleep(time.Second) // editors keep trying against the lost store
	close(stop)
	wg.Wait()
	stopServe()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v\n%s", err, serveLog.String())
	}

	neo4jtest.Start(t) // a new, empty instance
	var out bytes.Buffer
	start := time.Now()
	if err := run(ctx, append(append([]string{"restore"}, neo4jArgs()...), dumps, archive), &out, io.Discard); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	restoreTook := time.Since(start)

	var r drillResult
	var ackTimes []time.Time
	for _, edits := range results {
		for _, e := range edits {
			r.made++
			found := false
			for _, row := range neo4jtest.Query(t, e.check, e.params) {
				found = row["found"] == true
			}
			switch {
			case e.acked && found:
				r.acked++
				r.recovered++
			case e.acked:
				r.acked++
				r.lost = append(r.lost, e.what)
			case found:
				r.unackedRecovered++
			}
			if e.acked {
				ackTimes = append(ackTimes, e.at)
			}
		}
	}
	r.ackedWithin = func(d time.Duration) int {
		n := 0
		for _, at := range ackTimes {
			if at.After(lostAt.Add(-d)) {
				n++
			}
		}
		return n
	}
	dumpsTaken, _ := backup.Dumps(dumps)
	lag := "0 for acknowledged changes (-archive-sync: an acknowledgement waits for the archive)"
	if !archiveSync {
		lag = "one poll, 200 ms, behind the commit"
	}
	t.Logf("restore drill (archive lag %s): %d mutations sent, %d acknowledged, %d of those recovered, "+
		"%d lost; %d unacknowledged ones (in flight when the store was lost) recovered too. %d dumps kept; the store was "+
		"lost %s after the editors started; restore took %s.\n%s", lag, r.made, r.acked, r.recovered, len(r.lost),
		r.unackedRecovered, len(dumpsTaken), lostAt.Sub(editorsStarted).Round(time.Millisecond),
		restoreTook.Round(time.Millisecond), out.String())
	if warnings := serveLog.String(); warnings != "" {
		t.Logf("serve logged:\n%.3000s", warnings)
	}
	if r.acked < 10 {
		var whys []string
		for _, edits := range results {
			for _, e := range edits[:min(3, len(edits))] {
				whys = append(whys, e.what+": "+e.why)
			}
		}
		t.Fatalf("only %d mutations were acknowledged: the drill did not exercise the archive; the first failed with\n%s",
			r.acked, strings.Join(whys, "\n"))
	}
	if !strings.Contains(out.String(), "replayed") {
		t.Errorf("restore said %q", out.String())
	}
	return r
}

func neo4jdbStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// waitFor polls cond for up to two minutes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 1200; i++ {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited two minutes for %s", what)
}
