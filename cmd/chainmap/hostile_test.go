//go:build hostile

// The hostile suite of issue 9: load, slow bodies and a stopped Neo4j against a real `chainmap serve` on
// loopback (127.0.0.1:8093). Run it with `make hostile`, which gives it a Neo4j instance of its own: the last
// case stops and restarts that instance. Every case is bounded in count and time; the figures it logs
// ("figure: …") are the ones in docs/reliability.md.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

const hostilePort = "8093"

// caseUsage measures a case: wall time, CPU time of the process (server and clients together, so an upper
// bound), and peak RSS (reset before the case through /proc/self/clear_refs).
type caseUsage struct {
	start time.Time
	cpu   time.Duration
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func measure() caseUsage {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return caseUsage{start: time.Now(), cpu: cpuTime()}
}

func (u caseUsage) String() string {
	status, _ := os.ReadFile("/proc/self/status")
	hwm := "?"
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	return fmt.Sprintf("wall %s, cpu %s, peak RSS %s", time.Since(u.start).Round(time.Millisecond), (cpuTime() - u.cpu).Round(time.Millisecond), hwm)
}

type result struct {
	status int
	code   string
	retry  string
	took   time.Duration
	size   int
}

func send(client *http.Client, base, body string) result {
	start := time.Now()
	resp, err := client.Post(base+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		return result{code: "transport: " + err.Error(), took: time.Since(start)}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r struct {
		Errors []struct{ Extensions struct{ Code string } }
	}
	_ = json.Unmarshal(raw, &r)
	res := result{status: resp.StatusCode, retry: resp.Header.Get("Retry-After"), took: time.Since(start), size: len(raw)}
	if len(r.Errors) > 0 {
		res.code = r.Errors[0].Extensions.Code
	}
	return res
}

func body(query string) string {
	b, _ := json.Marshal(map[string]any{"query": query})
	return string(b)
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))].Round(time.Millisecond)
}

func TestHostile(t *testing.T) {
	neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
	base := startServeOn(t, hostilePort, "-query-timeout", "5s")
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 400}}

	t.Run("hostile queries", func(t *testing.T) {
		aliases := func(n int) string {
			var b strings.Builder
			b.WriteString("{ ")
			for i := range n {
				fmt.Fprintf(&b, `x: chainMap(id: "m%d") { id } `, i)
			}
			return b.String() + "}"
		}
		bomb := func(levels int) string {
			var b strings.Builder
			b.WriteString(`{ chainMap(id: "hydrogen") { segments { ...F` + fmt.Sprint(levels) + " } } }\nfragment F0 on Segment { id }\n")
			for i := 1; i <= levels; i++ {
				fmt.Fprintf(&b, "fragment F%d on Segment { upstream { ...F%d } downstream { ...F%d } }\n", i, i-1, i-1)
			}
			return b.String()
		}
		flatBomb := "query Bomb { ...F24 }\nfragment F0 on Query { chainMaps { id } }\n"
		for i := 1; i <= 24; i++ {
			flatBomb += fmt.Sprintf("fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
		}
		for _, tc := range []struct {
			name, query string
			parallel    int
		}{
			{"fragment bomb, 24 levels (flat)", flatBomb, 1},
			{"fragment bomb, 24 levels (nested)", bomb(24), 1},
			{"one field 14,900 times (74 KB)", "{" + strings.Repeat(" __typename", 14900) + " }", 1},
			{"one field 2,500 times (28 KB)", "{" + strings.Repeat(" __typename", 2500) + " }", 1},
			{"1,300 aliases x, different arguments (53 KB), 4 at once", aliases(1300), 4},
			{"700 aliases x, different arguments (28 KB), 4 at once", aliases(700), 4},
		} {
			u := measure()
			var wg sync.WaitGroup
			results := make([]result, tc.parallel)
			for i := range tc.parallel {
				wg.Go(func() { results[i] = send(client, base, body(tc.query)) })
			}
			wg.Wait()
			for _, r := range results {
				if r.code != "BAD_USER_INPUT" || r.took > time.Second || r.size > 10<<10 {
					t.Errorf("%s: %+v, want BAD_USER_INPUT in < 1 s", tc.name, r)
				}
			}
			t.Logf("figure: %s: %d × %d %s, %d-byte answer; %s", tc.name, tc.parallel, results[0].status, results[0].code, results[0].size, u)
		}
	})

	t.Run("2,000 operation names", func(t *testing.T) {
		u := measure()
		for i := range 2000 {
			b, _ := json.Marshal(map[string]any{"query": fmt.Sprintf("query Op%d { chainMaps { id } }", i), "operationName": fmt.Sprintf("Op%d", i)})
			send(client, base, string(b))
		}
		resp, err := client.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(raw) > 200<<10 {
			t.Errorf("/metrics is %d bytes", len(raw))
		}
		t.Logf("figure: /metrics after 2,000 unique operation names: %d bytes; %s", len(raw), u)
	})

	t.Run("300 clients", func(t *testing.T) {
		const clients, each = 300, 10
		q := body(`{ chainMaps { id name segments { id name } } enterprises(first: 20) { nodes { id name sites { kind region { name } } } } }`)
		var peakG atomic.Int64
		stop := make(chan struct{})
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
					if g := int64(runtime.NumGoroutine()); g > peakG.Load() {
						peakG.Store(g)
					}
				}
			}
		}()
		u := measure()
		var mu sync.Mutex
		var ok, busy, timedOut, other []time.Duration
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				for range each {
					r := send(client, base, q)
					mu.Lock()
					switch {
					case r.status == 200 && r.code == "":
						ok = append(ok, r.took)
					case r.status == 503 && r.code == "UNAVAILABLE" && r.retry != "":
						busy = append(busy, r.took)
					case r.status == 200 && r.code == "UNAVAILABLE":
						timedOut = append(timedOut, r.took) // admitted, but Neo4j's transaction timeout ran out
					default:
						other = append(other, r.took)
						if len(other) < 3 {
							t.Errorf("neither an answer nor a 503: %+v", r)
						}
					}
					mu.Unlock()
					if r.status == 503 {
						time.Sleep(100 * time.Millisecond) // a client honouring Retry-After would wait longer
					}
				}
			})
		}
		wg.Wait()
		close(stop)
		if len(other) > 0 {
			t.Errorf("%d responses were neither answers nor 503s", len(other))
		}
		if p := percentile(busy, 0.99); p > 1500*time.Millisecond {
			t.Errorf("503s took up to %s (p99)", p)
		}
		t.Logf("figure: %d clients × %d requests: %d answers (p50 %s, p99 %s, max %s), %d × 503 (p50 %s, p99 %s), %d timed out in Neo4j (max %s), %d other; peak goroutines %d; %s",
			clients, each, len(ok), percentile(ok, 0.5), percentile(ok, 0.99), percentile(ok, 1), len(busy), percentile(busy, 0.5), percentile(busy, 0.99),
			len(timedOut), percentile(timedOut, 1), len(other), peakG.Load(), u)
	})

	t.Run("1,000 trickling bodies", func(t *testing.T) {
		const conns = 1000
		u := measure()
		var mu sync.Mutex
		var held []time.Duration // from dial to the server cutting the connection
		var wg sync.WaitGroup
		done := make(chan struct{})
		for range conns {
			wg.Go(func() {
				c, err := net.Dial("tcp", "127.0.0.1:"+hostilePort)
				if err != nil {
					return
				}
				defer c.Close()
				start := time.Now()
				fmt.Fprintf(c, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
				for {
					// Between trickles, wait for the server to close (a read returning anything but a timeout).
					_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
					_, err := c.Read(make([]byte, 1))
					select {
					case <-done:
						return
					default:
					}
					if err != nil && !isTimeout(err) {
						mu.Lock()
						held = append(held, time.Since(start))
						mu.Unlock()
						return
					}
					if _, err := c.Write([]byte(" ")); err != nil {
						mu.Lock()
						held = append(held, time.Since(start))
						mu.Unlock()
						return
					}
				}
			})
		}
		// Meanwhile, ordinary clients are served.
		var lat []time.Duration
		for range 20 {
			r := send(client, base, body(`{ chainMaps { id } }`))
			if r.status != 200 {
				t.Errorf("an ordinary request during the trickle: %+v", r)
			}
			lat = append(lat, r.took)
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(16 * time.Second) // past the server's 10 s ReadTimeout
		mu.Lock()
		n, cut := len(held), slices.Clone(held)
		mu.Unlock()
		close(done)
		wg.Wait()
		if n < conns {
			t.Errorf("only %d of %d trickling connections were cut after 20 s", n, conns)
		}
		t.Logf("figure: %d connections trickling 1 byte per 5 s: %d cut by the server, held p50 %s, max %s; ordinary requests meanwhile p50 %s, max %s; %s",
			conns, n, percentile(cut, 0.5), percentile(cut, 1), percentile(lat, 0.5), percentile(lat, 1), u)
	})

	t.Run("Neo4j stopped", func(t *testing.T) {
		q := body(`{ chainMaps { id } }`)
		neo4jtest.Stop(t)
		u := measure()
		first := send(client, base, q)
		var lat []time.Duration
		for range 100 {
			r := send(client, base, q)
			if r.code != "UNAVAILABLE" {
				t.Errorf("with Neo4j stopped: %+v, want UNAVAILABLE", r)
			}
			lat = append(lat, r.took)
		}
		if p := percentile(lat, 0.99); p > 100*time.Millisecond {
			t.Errorf("UNAVAILABLE took %s (p99), want < 100 ms", p)
		}
		t.Logf("figure: Neo4j stopped: first query %s %s; next 100: p50 %s, p99 %s, max %s; %s",
			first.code, first.took.Round(time.Millisecond), percentile(lat, 0.5), percentile(lat, 0.99), percentile(lat, 1), u)

		neo4jtest.Start(t)
		started := time.Now()
		for {
			if r := send(client, base, q); r.status == 200 && r.code == "" {
				break
			}
			if time.Since(started) > 60*time.Second {
				t.Fatal("no answer within 60 s of Neo4j being back")
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("figure: Neo4j back: first answer %s after neo4j.sh start returned", time.Since(started).Round(time.Millisecond))
	})
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
