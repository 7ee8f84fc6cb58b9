package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// TestSubscriptionLoadFigures measures the change feed under load: SUBSCRIBERS SSE subscribers on one replica
// while the test writes RATE changes a second for SECONDS seconds; it reports event latency (commit to
// receipt), the replica's memory per subscriber, and checks that every subscriber got every change, once, in
// order. It is a measurement (minutes of CPU), run with CHAINMAP_FIGURES=1.
func TestSubscriptionLoadFigures(t *testing.T) {
	if os.Getenv("CHAINMAP_FIGURES") == "" {
		t.Skip("a measurement: set CHAINMAP_FIGURES=1 to run it")
	}
	envInt := func(k string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(k)); err == nil {
			return n
		}
		return def
	}
	subs, rate, seconds := envInt("SUBSCRIBERS", 1000), envInt("RATE", 100), envInt("SECONDS", 30)
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	const nb = 20
	for i := 0; i < nb; i++ {
		b := chainmap.Bottleneck{ID: fmt.Sprintf("load-b%d", i), NameEn: "Load test", Kind: "GAP", Category: "MATERIAL", Severity: 2,
			SegmentIDs: []string{"h2-fc-stack"}, Provenance: chainmap.Provenance{Confidence: "ILLUSTRATIVE", SourceIDs: []string{"s13"}}}
		if _, err := db.UpsertBottleneck(ctx, b, "load"); err != nil {
			t.Fatal(err)
		}
	}
	base, _, pid := startReplicaProcess(t, "8113", "-max-subscriptions", "5000", "-max-subscriptions-per-client", "5000",
		"-max-streams", "5000", "-log-level", "warn")
	rssBefore := rss(t, pid)
	start, _, err := db.ChangeBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}

	type state struct {
		got, bad int
		last     int64
	}
	states := make([]state, subs)
	var connected sync.WaitGroup
	var latMu sync.Mutex
	var lats []time.Duration
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: subs, MaxConnsPerHost: 0}}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var streams sync.WaitGroup
	query := []byte(`{"query":"subscription { changes { seq at } }"}`)
	for i := 0; i < subs; i++ {
		connected.Add(1)
		streams.Add(1)
		go func(i int) {
			defer streams.Done()
			req, _ := http.NewRequestWithContext(sctx, http.MethodPost, base+"/graphql", bytes.NewReader(query))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "text/event-stream")
			resp, err := client.Do(req)
			if err != nil {
				connected.Done()
				t.Errorf("subscriber %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			once := false
			st := &states[i]
			st.last = start
			for sc.Scan() {
				line := sc.Text()
				if !once && strings.HasPrefix(line, ":") {
					once = true
					connected.Done()
				}
				data, ok := strings.CutPrefix(line, `data: {"data":{"changes":{"seq":"`)
				if !ok {
					if strings.HasPrefix(line, "data: ") {
						st.bad++
					}
					continue
				}
				seqStr, rest, _ := strings.Cut(data, `"`)
				seq, _ := strconv.ParseInt(seqStr, 10, 64)
				if seq != st.last+1 {
					st.bad++
				}
				st.last = seq
				st.got++
				if i%20 == 0 { // a sample of the subscribers measures latency
					_, at, _ := strings.Cut(rest, `"at":"`)
					at, _, _ = strings.Cut(at, `"`)
					if ts, err := time.Parse(time.RFC3339Nano, at); err == nil {
						d := time.Since(ts)
						latMu.Lock()
						lats = append(lats, d)
						latMu.Unlock()
					}
				}
			}
		}(i)
	}
	connected.Wait()
	time.Sleep(2 * time.Second) // every subscription registered
	rssSubs := rss(t, pid)
	t.Logf("%d subscribers: replica RSS %d MiB → %d MiB, %.1f KiB per subscriber", subs, rssBefore>>10, rssSubs>>10,
		float64(rssSubs-rssBefore)/float64(subs))

	// The writer: RATE status changes a second, spread over the bottlenecks, by a few workers.
	total := rate * seconds
	work := make(chan int, total)
	var written atomic.Int64
	var writers sync.WaitGroup
	for w := 0; w < 8; w++ {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for n := range work {
				id := fmt.Sprintf("load-b%d", n%nb)
				status := chainmap.InProgress
				if (n/nb)%2 == 1 {
					status = chainmap.Open
				}
				if _, err := db.SetBottleneckStatus(ctx, id, status, "", "load"); err != nil {
					t.Errorf("write %d: %v", n, err)
					continue
				}
				written.Add(1)
			}
		}()
	}
	began := time.Now()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	for n := 0; n < total; n++ {
		<-tick.C
		work <- n
	}
	tick.Stop()
	close(work)
	writers.Wait()
	took := time.Since(began)
	last, _, _ := db.ChangeBounds(ctx)
	want := int(last - start)
	rssPeak := rss(t, pid)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		done := 0
		for i := range states {
			if states[i].last >= last {
				done++
			}
		}
		if done == subs {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	stop()
	streams.Wait()
	lost, short, bad := 0, 0, 0
	for i := range states {
		if states[i].got < want {
			short++
			lost += want - states[i].got
		}
		bad += states[i].bad
	}
	slices.Sort(lats)
	pct := func(p float64) time.Duration {
		if len(lats) == 0 {
			return 0
		}
		return lats[int(float64(len(lats)-1)*p)]
	}
	t.Logf("%d changes in %s (%.0f/s) to %d subscribers: %d events delivered; latency commit→receipt p50 %s p99 %s max %s (%d samples); replica RSS at the end %d MiB",
		written.Load(), took.Round(time.Millisecond), float64(written.Load())/took.Seconds(), subs, want*subs-lost,
		pct(0.5).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), pct(1).Round(time.Millisecond), len(lats), rssPeak>>10)
	if short > 0 || bad > 0 {
		t.Errorf("%d subscribers missed %d events in all; %d events out of order, duplicated or errors", short, lost, bad)
	}
}

// rss returns a process's resident memory in KiB.
func rss(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return n
		}
	}
	return 0
}
