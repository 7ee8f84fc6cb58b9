package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// TestWriteFigures measures editors' writes through the HTTP GraphQL API (issue 20, item 4): WRITE_EDITORS
// concurrent editors (default 1,10,50), each for WRITE_SECONDS (default 25, after 3 s of warm-up that is not
// counted), issue a mix of mutations with an editor's key — a status change of a bottleneck of their own
// (OPEN → IN_PROGRESS → RESOLVED → OPEN), an upsert of a new enterprise with a site, a supply link from a firm
// of their own to one of five seed firms that every editor links to — and retry a CONFLICT up to three times.
// It reports changes/s, p50/p99 latency, conflicts and Neo4j round trips per change, with the load average.
// Then it reads the change log back and fails unless it is gapless, every acknowledged change is in it, and
// its order agrees with real time: a change acknowledged before another was sent has the lower seq.
//
// WRITE_BUILDS=name=/path/to/chainmap,… runs each level against `serve` of each build in turn (alternating
// the order from one round to the next, WRITE_ROUNDS rounds, default 1), so that a before/after ratio is
// measured under the same machine load; by default it serves this test binary. Every round of a build at a
// level starts from the same graph: the seeds and the editors' own records (writeBench.reset). A measurement:
// run with CHAINMAP_FIGURES=1 (and the test Neo4j's CHAINMAP_TEST_NEO4J_*).
func TestWriteFigures(t *testing.T) {
	if os.Getenv("CHAINMAP_FIGURES") == "" {
		t.Skip("a measurement: set CHAINMAP_FIGURES=1 to run it")
	}
	levels := []int{1, 10, 50}
	if v := os.Getenv("WRITE_EDITORS"); v != "" {
		levels = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				t.Fatalf("WRITE_EDITORS=%q: want numbers ≥ 1", v)
			}
			levels = append(levels, n)
		}
	}
	seconds, rounds := 25, 1
	if n, err := strconv.Atoi(os.Getenv("WRITE_SECONDS")); err == nil && n > 0 {
		seconds = n
	}
	if n, err := strconv.Atoi(os.Getenv("WRITE_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	type build struct{ name, bin string }
	builds := []build{{"this", ""}}
	if v := os.Getenv("WRITE_BUILDS"); v != "" {
		builds = nil
		for _, f := range strings.Split(v, ",") {
			name, bin, ok := strings.Cut(f, "=")
			if !ok {
				t.Fatalf("WRITE_BUILDS=%q: want name=/path,…", v)
			}
			builds = append(builds, build{name, bin})
		}
	}

	db := neo4jtest.MustOpenDB(t)
	w := &writeBench{db: db, editors: slices.Max(levels)}
	var rows []string
	for r := 0; r < rounds; r++ {
		for _, n := range levels {
			order := slices.Clone(builds)
			if r%2 == 1 {
				slices.Reverse(order)
			}
			for _, b := range order {
				w.reset(t)
				res := w.round(t, b.bin, n, time.Duration(seconds)*time.Second, fmt.Sprintf("r%d%s%d", r, b.name, n))
				row := fmt.Sprintf("| %s | %d | %d | %.1f | %.0f | %.0f | %d / %d / %d | %.1f | %s | %s |", b.name, n, res.acked,
					res.rate, ms(res.p50), ms(res.p99), res.conflicts, res.retries, res.failed, res.statements, res.load, res.log)
				t.Log(row)
				rows = append(rows, row)
			}
		}
	}
	t.Logf("\n| build | editors | changes | changes/s | p50 ms | p99 ms | conflicts / retries / failed | round trips per change | load average (start → end) | change log |\n|---|---:|---:|---:|---:|---:|---|---:|---|---|\n%s",
		strings.Join(rows, "\n"))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type writeBench struct {
	db        *neo4jdb.DB
	editors   int // the most editors of any level
	customers []string
	mu        sync.Mutex
	status    map[int]chainmap.BottleneckStatus // each editor's bottleneck's status
}

// reset puts the graph back to the seeds and each editor's own records: every round (a build at a level)
// starts from the same graph. Without it the rounds ran on a graph the earlier ones had grown — every firm a
// round adds is on the segment the editors' bottlenecks constrain, so a later status change refreshed more
// firms' exposure and a customer's refresh read more links in — and the figures drifted down from round to
// round, whichever build ran.
func (w *writeBench) reset(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := w.db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	ds := neo4jtest.MustLoadSeeds(t, w.db)
	w.customers, w.status = nil, map[int]chainmap.BottleneckStatus{}
	for _, e := range ds.Enterprises[:5] {
		w.customers = append(w.customers, e.ID)
	}
	prov := chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"s13"}}
	for i := 0; i < w.editors; i++ {
		b := chainmap.Bottleneck{ID: fmt.Sprintf("wb-%d", i), NameEn: "Write bench", Kind: "GAP", Category: "MATERIAL",
			Severity: 2, SegmentIDs: []string{"h2-fc-stack"}, Provenance: prov}
		if _, err := w.db.UpsertBottleneck(ctx, b, "setup"); err != nil {
			t.Fatal(err)
		}
		w.status[i] = chainmap.Open
		e := chainmap.Enterprise{ID: fmt.Sprintf("wfo-%d", i), Name: "Write bench supplier", NameEn: "Write bench supplier",
			SegmentIDs: []string{"h2-fc-stack"}, Provenance: prov}
		if _, err := w.db.UpsertEnterprise(ctx, e, nil, false, "setup"); err != nil {
			t.Fatal(err)
		}
	}
}

// writeOp is one editor's change: what it is, when it was first sent and finally acknowledged, and the seq of
// its change-log entry once found.
type writeOp struct {
	kind       chainmap.ChangeKind
	recordID   string
	status     string // for a status change, the status set
	sent, done time.Time
	ok         bool
	counted    bool // sent after the warm-up
	seq        int64
}

type writeResult struct {
	acked, conflicts, retries, failed int
	rate                              float64
	p50, p99                          time.Duration
	statements                        float64
	load, log                         string
}

var nextStatus = map[chainmap.BottleneckStatus]chainmap.BottleneckStatus{
	chainmap.Open: chainmap.InProgress, chainmap.InProgress: chainmap.Resolved, chainmap.Resolved: chainmap.Open}

const (
	benchSetStatus = `mutation S($id: ID!, $s: BottleneckStatus!, $note: String) { setBottleneckStatus(id: $id, status: $s, note: $note) { id status } }`
	benchUpsert    = `mutation E($in: EnterpriseInput!) { upsertEnterprise(input: $in) { id name } }`
	benchLink      = `mutation L($in: SupplyInput!) { linkSupplier(input: $in) { product } }`
)

// round runs editors editors for warm-up plus d against a fresh serve process of bin, then checks the log.
func (w *writeBench) round(t *testing.T, bin string, editors int, d time.Duration, tag string) writeResult {
	t.Helper()
	const warm = 3 * time.Second
	base, kill, _ := startServeBinary(t, bin, freePort(t), "-max-in-flight", "128", "-max-queue", "128", "-plan-ahead", "0",
		"-log-level", "warn")
	defer kill()
	ctx := context.Background()
	start, _, err := w.db.ChangeBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: editors + 4}, Timeout: 30 * time.Second}
	begin := time.Now()
	measureFrom, end := begin.Add(warm), begin.Add(warm+d)
	var stmtBefore float64
	var loadStart string
	timer := time.AfterFunc(warm, func() { stmtBefore, loadStart = writeStatements(client, base), loadavg() })

	var mu sync.Mutex
	var ops []*writeOp
	var conflicts, retries, failed int
	var wg sync.WaitGroup
	for i := 0; i < editors; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := 0; time.Now().Before(end); n++ {
				op := &writeOp{sent: time.Now()}
				op.counted = op.sent.After(measureFrom)
				var query string
				var vars map[string]any
				switch n % 3 {
				case 0:
					w.mu.Lock()
					s := nextStatus[w.status[i]]
					w.mu.Unlock()
					op.kind, op.recordID, op.status = chainmap.ChangeBottleneckStatus, fmt.Sprintf("wb-%d", i), string(s)
					query, vars = benchSetStatus, map[string]any{"id": op.recordID, "s": s, "note": tag}
				case 1:
					op.kind, op.recordID = chainmap.ChangeEnterprise, fmt.Sprintf("wf-%s-%d-%d", tag, i, n)
					query, vars = benchUpsert, map[string]any{"in": map[string]any{"id": op.recordID, "nameEn": "Bench firm " + op.recordID,
						"segmentIds": []string{"h2-fc-stack"}, "confidence": "ILLUSTRATIVE", "sourceIds": []string{"s13"},
						"sites": []map[string]any{{"id": op.recordID + "-m", "kind": "MANUFACTURING", "regionCode": "130600"}}}}
				default:
					from, to, product := fmt.Sprintf("wfo-%d", i), w.customers[n%len(w.customers)], fmt.Sprintf("part %s-%d-%d", tag, i, n)
					op.kind, op.recordID = chainmap.ChangeSupplyLink, chainmap.SupplyID(from, to, product)
					query, vars = benchLink, map[string]any{"in": map[string]any{"supplierId": from, "customerId": to, "product": product,
						"since": 2024, "confidence": "ILLUSTRATIVE", "sourceIds": []string{"s13"}}}
				}
				var code string
				for try := 0; ; try++ {
					code = postMutation(client, base, query, vars)
					if code != "CONFLICT" || try == 3 {
						break
					}
					mu.Lock()
					conflicts++
					retries++
					mu.Unlock()
				}
				op.done, op.ok = time.Now(), code == ""
				mu.Lock()
				ops = append(ops, op)
				if !op.ok {
					failed++
					t.Logf("editor %d, %s %s: %s", i, op.kind, op.recordID, code)
				}
				mu.Unlock()
				if op.kind == chainmap.ChangeBottleneckStatus {
					w.mu.Lock()
					if op.ok {
						w.status[i] = chainmap.BottleneckStatus(op.status)
					} else { // its outcome is unknown: read it
						rows := neo4jtest.Query(t, `MATCH (b:Bottleneck {id: $id}) RETURN b.status AS s`, map[string]any{"id": op.recordID})
						w.status[i] = chainmap.BottleneckStatus(fmt.Sprint(rows[0]["s"]))
					}
					w.mu.Unlock()
				}
			}
		}(i)
	}
	wg.Wait()
	timer.Stop()
	stmtAfter, loadEnd := writeStatements(client, base), loadavg()
	kill()

	res := writeResult{conflicts: conflicts, retries: retries, failed: failed, load: loadStart + " → " + loadEnd}
	var lat []time.Duration
	var first, last time.Time
	for _, op := range ops {
		if !op.ok || !op.counted {
			continue
		}
		res.acked++
		lat = append(lat, op.done.Sub(op.sent))
		if first.IsZero() || op.sent.Before(first) {
			first = op.sent
		}
		if op.done.After(last) {
			last = op.done
		}
	}
	if res.acked > 0 {
		slices.Sort(lat)
		res.rate = float64(res.acked) / last.Sub(measureFrom).Seconds()
		res.p50, res.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
		res.statements = (stmtAfter - stmtBefore) / float64(res.acked)
	}
	res.log = w.checkLog(t, start, ops)
	return res
}

// checkLog reads the change log after start and checks it against the editors' ops: no seq missing, every
// acknowledged op's entry there, and seq order agreeing with real time. It fails the test on a violation and
// returns a summary.
func (w *writeBench) checkLog(t *testing.T, start int64, ops []*writeOp) string {
	t.Helper()
	ctx := context.Background()
	var entries []chainmap.Change
	for after := start; ; {
		page, err := w.db.Changes(ctx, chainmap.ChangeQuery{After: after, First: 5000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		entries = append(entries, page...)
		after = page[len(page)-1].Seq
	}
	last, _, err := w.db.ChangeBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	holes := 0
	for i, e := range entries {
		if e.Seq != start+int64(i)+1 {
			holes++
		}
	}
	if int64(len(entries)) != last-start {
		holes++
	}
	byRecord := map[string][]chainmap.Change{}
	for _, e := range entries {
		byRecord[string(e.Kind)+" "+e.RecordID] = append(byRecord[string(e.Kind)+" "+e.RecordID], e)
	}
	// Each enterprise and supply link is a record of its own, written once; an editor's status changes of its
	// bottleneck are matched in order, by the status each set.
	missing, acked := 0, 0
	sort.Slice(ops, func(i, j int) bool { return ops[i].sent.Before(ops[j].sent) })
	for _, op := range ops {
		if !op.ok {
			continue
		}
		acked++
		key := string(op.kind) + " " + op.recordID
		list := byRecord[key]
		for len(list) > 0 {
			e := list[0]
			list = list[1:]
			var after map[string]any
			_ = json.Unmarshal([]byte(e.After), &after)
			if op.kind != chainmap.ChangeBottleneckStatus || after["status"] == op.status {
				op.seq = e.Seq
				break
			}
		}
		byRecord[key] = list
		if op.seq == 0 {
			missing++
		}
	}
	// Real-time order: every op acknowledged before op was sent has a lower seq.
	done := slices.Clone(ops)
	sort.Slice(done, func(i, j int) bool { return done[i].done.Before(done[j].done) })
	prefixMax := make([]int64, len(done)+1)
	for i, op := range done {
		prefixMax[i+1] = prefixMax[i]
		if op.ok && op.seq > prefixMax[i+1] {
			prefixMax[i+1] = op.seq
		}
	}
	inversions := 0
	for _, op := range ops {
		if !op.ok || op.seq == 0 {
			continue
		}
		k := sort.Search(len(done), func(i int) bool { return !done[i].done.Before(op.sent) })
		if prefixMax[k] >= op.seq {
			inversions++
		}
	}
	summary := fmt.Sprintf("%d entries, %d acknowledged, %d holes, %d missing, %d out of order", len(entries), acked, holes, missing, inversions)
	if holes > 0 || missing > 0 || inversions > 0 {
		t.Errorf("change log after seq %d: %s", start, summary)
	}
	return summary
}

// postMutation sends one operation and returns "" when it succeeded, else the first error's code (or the
// transport's error).
func postMutation(client *http.Client, base, query string, vars map[string]any) string {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+replicaKey)
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Sprintf("HTTP %d: %v", resp.StatusCode, err)
	}
	if len(out.Errors) > 0 {
		if c := out.Errors[0].Extensions.Code; c == "CONFLICT" {
			return c
		}
		return out.Errors[0].Extensions.Code + ": " + out.Errors[0].Message
	}
	return ""
}

// writeStatements sums the server's round trips to Neo4j (chainmap_neo4j_queries_total, every method).
func writeStatements(client *http.Client, base string) float64 {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	sum := 0.0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "chainmap_neo4j_queries_total{") {
			f := strings.Fields(l)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			sum += v
		}
	}
	return sum
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 1 {
		return "?"
	}
	return f[0]
}
