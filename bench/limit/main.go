// Command limit measures how close chainmap's GraphQL API comes to its own limit: for each benchmark question
// it runs the question's compiled Cypher statement through the bare Go driver (the limit: what any Go client
// of Neo4j pays for the same answer) beside the same question through chainmap's GraphQL endpoint over HTTP,
// in alternating rounds (limit, GraphQL, limit, GraphQL, …) at each client count, and prints throughput, p50
// and p99 of both with the ratios GraphQL ÷ limit, and the CPU each side costs per request.
//
// The statement and its parameters come from the engine itself: the question is asked of a graph.Handler over
// a neo4jdb.Recorder (the seam of the Neo4j-free Cypher suite), which records what the store would run; the
// tool refuses a question that costs more than one statement. So the limit cannot drift from what chainmap
// runs. bench/limit/run.sh (make bench-limit) starts Neo4j and chainmap serve and runs this; see
// docs/performance.md.
//
// This is a benchmark tool, not part of the service: it is the one place outside neo4jdb that uses the driver,
// because the driver alone is what it measures.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "limit:", err)
		os.Exit(1)
	}
}

type config struct {
	uri, user, password, database string
	endpoint                      string
	bodies                        string
	questions                     []string
	clients                       []int
	round, warmup                 time.Duration
	rounds                        int
	serverPID, neo4jPID           int
	label                         string
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("limit", flag.ContinueOnError)
	var c config
	var questions, clients string
	fs.StringVar(&c.uri, "uri", "bolt://127.0.0.1:7697", "Neo4j Bolt URI (the one chainmap serve reads)")
	fs.StringVar(&c.user, "user", "neo4j", "Neo4j user")
	fs.StringVar(&c.password, "password", os.Getenv("NEO4J_PASSWORD"), "Neo4j password [NEO4J_PASSWORD]")
	fs.StringVar(&c.database, "database", "", "Neo4j database (empty: the default)")
	fs.StringVar(&c.endpoint, "graphql", "http://127.0.0.1:8094/graphql", "chainmap's GraphQL endpoint")
	fs.StringVar(&c.bodies, "bodies", "", "folder with each question's request body, <id>.chainmap.json (bench/peer/questions.mjs writes them)")
	fs.StringVar(&questions, "questions", "a,b,c,d", "question ids, comma-separated")
	fs.StringVar(&clients, "clients", "1,20", "client counts, comma-separated")
	fs.DurationVar(&c.round, "round", 8*time.Second, "length of one round")
	fs.IntVar(&c.rounds, "rounds", 4, "rounds per question and client count, alternating limit and GraphQL (even)")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "unmeasured load on each side before a question's rounds")
	fs.IntVar(&c.serverPID, "server-pid", 0, "pid of chainmap serve, for its CPU per request (0: not measured)")
	fs.IntVar(&c.neo4jPID, "neo4j-pid", 0, "pid of Neo4j's java process, for its CPU per request (0: not measured)")
	fs.StringVar(&c.label, "label", "seeds", "what data the instance holds, for the table's heading")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.bodies == "" {
		return errors.New("-bodies is required")
	}
	c.questions = strings.Split(questions, ",")
	for _, s := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-clients: %q is not a client count", s)
		}
		c.clients = append(c.clients, n)
	}
	if c.rounds < 2 || c.rounds%2 != 0 {
		return errors.New("-rounds must be even and at least 2")
	}

	driver, err := neo4j.NewDriverWithContext(c.uri, neo4j.BasicAuth(c.user, c.password, ""))
	if err != nil {
		return err
	}
	defer driver.Close(context.Background())
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return fmt.Errorf("neo4j at %s: %w", c.uri, err)
	}
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}, Timeout: 60 * time.Second}

	var rows []row
	for _, q := range c.questions {
		body, err := os.ReadFile(filepath.Join(c.bodies, q+".chainmap.json"))
		if err != nil {
			return err
		}
		st, err := compiled(body)
		if err != nil {
			return fmt.Errorf("question %s: %w", q, err)
		}
		limit := func(ctx context.Context) error {
			res, err := neo4j.ExecuteQuery(ctx, driver, st.Cypher, st.Params, neo4j.EagerResultTransformer,
				neo4j.ExecuteQueryWithDatabase(c.database), neo4j.ExecuteQueryWithReadersRouting())
			if err == nil && len(res.Records) == 0 {
				err = errors.New("no record")
			}
			return err
		}
		gql := func(ctx context.Context) error { return post(ctx, httpc, c.endpoint, body) }
		floor := func(ctx context.Context) error { return post(ctx, httpc, c.endpoint, floorBody) }
		// One of each before the rounds: both must answer, and the GraphQL answer must have no errors.
		if err := limit(ctx); err != nil {
			return fmt.Errorf("question %s through the driver: %w", q, err)
		}
		if err := checkGraphQL(ctx, httpc, c.endpoint, body); err != nil {
			return fmt.Errorf("question %s through GraphQL: %w", q, err)
		}
		slog.Info("warm-up", "question", q)
		load(ctx, limit, 4, c.warmup)
		load(ctx, gql, 4, c.warmup)
		for _, n := range c.clients {
			r := row{question: q, clients: n}
			for i := 0; i < c.rounds; i++ {
				side, name := limit, "limit"
				if i%2 == 1 {
					side, name = gql, "graphql"
				}
				m := c.measure(ctx, side, n)
				slog.Info("round", "question", q, "clients", n, "side", name, "rps", fmt.Sprintf("%.1f", m.rps()),
					"p50_ms", ms(m.pct(50)), "p99_ms", ms(m.pct(99)), "errors", m.errors)
				if i%2 == 0 {
					r.limit = append(r.limit, m)
				} else {
					r.gql = append(r.gql, m)
				}
				if i%2 == 1 && n == 1 {
					r.floor = append(r.floor, c.measure(ctx, floor, n))
				}
			}
			rows = append(rows, r)
		}
	}
	printTable(stdout, c, rows)
	return nil
}

// compiled returns the one statement chainmap runs for a request body: the request is served by a handler over
// a Recorder, which records the statement and its parameters instead of running them.
func compiled(body []byte) (neo4jdb.Statement, error) {
	db, rec := neo4jdb.Recording()
	h := graph.NewHandler(db, graph.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
	sts := rec.Take()
	if len(sts) != 1 {
		return neo4jdb.Statement{}, fmt.Errorf("the request compiles to %d statements; the limit is measured for one", len(sts))
	}
	return sts[0], nil
}

func post(ctx context.Context, c *http.Client, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return err
}

func checkGraphQL(ctx context.Context, c *http.Client, url string, body []byte) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 || len(out.Data) < 3 {
		return fmt.Errorf("HTTP %d, errors %v", resp.StatusCode, out.Errors)
	}
	return nil
}

// load runs do from n workers for d, unmeasured.
func load(ctx context.Context, do func(context.Context) error, n int, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_ = do(ctx)
			}
		}()
	}
	wg.Wait()
}

// round is one measured round of one side.
type round struct {
	lat      []time.Duration // of the requests that succeeded
	errors   int
	span     time.Duration
	cpuSelf  float64 // CPU seconds of this process (the driver's client side, or the HTTP clients)
	cpuSrv   float64 // of chainmap serve
	cpuNeo4j float64
	cpuAll   float64 // of the whole machine
}

func (r round) rps() float64 { return float64(len(r.lat)) / r.span.Seconds() }

func (r round) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.999999) - 1
	return s[max(0, min(len(s)-1, i))]
}

// measure runs do from n workers for one round. Requests still in flight at the end finish and count (their
// latency is real); none starts after it.
func (c config) measure(ctx context.Context, do func(context.Context) error, n int) round {
	var (
		mu   sync.Mutex
		out  round
		errs atomic.Int64
		wg   sync.WaitGroup
	)
	self, srv, neo, all := cpu(os.Getpid()), cpu(c.serverPID), cpu(c.neo4jPID), busy()
	start := time.Now()
	end := start.Add(c.round)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1024)
			for time.Now().Before(end) {
				t := time.Now()
				if err := do(ctx); err != nil {
					errs.Add(1)
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			out.lat = append(out.lat, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.span = time.Since(start)
	out.errors = int(errs.Load())
	out.cpuSelf = cpu(os.Getpid()) - self
	out.cpuSrv = cpu(c.serverPID) - srv
	out.cpuNeo4j = cpu(c.neo4jPID) - neo
	out.cpuAll = busy() - all
	return out
}

var clkTck = 100.0 // USER_HZ, 100 on Linux

// cpu returns the CPU seconds (user + system) process pid has used so far; 0 when pid is 0 or gone.
func cpu(pid int) float64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	u, _ := strconv.ParseFloat(f[11], 64)
	k, _ := strconv.ParseFloat(f[12], 64)
	return (u + k) / clkTck
}

// busy returns the CPU seconds the whole machine has spent not idle.
func busy() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
	var t float64
	for i, v := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		x, _ := strconv.ParseFloat(v, 64)
		t += x
	}
	return t / clkTck
}

type row struct {
	question          string
	clients           int
	limit, gql, floor []round // floor: at one client, floorBody's rounds, each after a GraphQL round
}

// floorBody is a GraphQL request that reads nothing: its latency through the same client and endpoint is what
// HTTP and gqlgen cost a request before any work of chainmap's, the floor under every GraphQL p50.
var floorBody = []byte(`{"query":"{ __typename }"}`)

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// side sums a side's rounds: requests per second over all rounds, the median of the rounds' p50 and p99, CPU
// milliseconds per request.
type side struct {
	rps, p50, p99                     float64
	cpuSelf, cpuSrv, cpuNeo4j, others float64
	errors                            int
}

func sum(rs []round, server bool) side {
	var s side
	var n int
	var span float64
	var p50, p99 []float64
	var self, srv, neo, all float64
	for _, r := range rs {
		n += len(r.lat)
		span += r.span.Seconds()
		p50 = append(p50, float64(r.pct(50).Microseconds())/1000)
		p99 = append(p99, float64(r.pct(99).Microseconds())/1000)
		self, srv, neo, all = self+r.cpuSelf, srv+r.cpuSrv, neo+r.cpuNeo4j, all+r.cpuAll
		s.errors += r.errors
	}
	s.rps = float64(n) / span
	s.p50, s.p99 = median(p50), median(p99)
	if n > 0 {
		s.cpuSelf, s.cpuSrv, s.cpuNeo4j = self*1000/float64(n), srv*1000/float64(n), neo*1000/float64(n)
	}
	mine := neo + self
	if server {
		mine += srv
	}
	s.others = (all - mine) / span
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

func printTable(w io.Writer, c config, rows []row) {
	fmt.Fprintf(w, "\n## %s\n\n", c.label)
	fmt.Fprintln(w, "limit: the compiled statement through the bare Go driver; GraphQL: the same question through chainmap serve over HTTP.")
	fmt.Fprintln(w, "rps over all rounds of a side; p50/p99 in ms, median over its rounds; ratios GraphQL ÷ limit, overall and (min–max)")
	fmt.Fprintln(w, "over the A/B round pairs. cpu: ms per request of the driver client (this process), chainmap serve (Go) and Neo4j;")
	fmt.Fprintln(w, "others: cores busy with anything else during the side's rounds (the load clients' HTTP side included), limit / GraphQL.")
	fmt.Fprintln(w, "HTTP floor: at one client, the p50 in ms of `{ __typename }` (no database) through the same client and endpoint,")
	fmt.Fprintln(w, "a round after each GraphQL round: what any GraphQL request over HTTP costs beyond the limit's.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| q | clients | limit rps | p50 | p99 | cpu client | cpu Neo4j | GraphQL rps | p50 | p99 | cpu Go | cpu Neo4j | rps ratio | p50 ratio | p99 ratio | HTTP floor | errors | others |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		l, g := sum(r.limit, false), sum(r.gql, true)
		var rps, p50, p99 []float64
		for i := range r.limit {
			rps = append(rps, r.gql[i].rps()/r.limit[i].rps())
			p50 = append(p50, float64(r.gql[i].pct(50))/float64(r.limit[i].pct(50)))
			p99 = append(p99, float64(r.gql[i].pct(99))/float64(r.limit[i].pct(99)))
		}
		floor := "—"
		if len(r.floor) > 0 {
			floor = fmt.Sprintf("%.2f", sum(r.floor, true).p50)
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %.2f | %.1f | %.2f | %.2f | %.1f | %.2f | %.1f | %.2f | %.2f | %s | %s | %s | %s | %d / %d | %.2f / %.2f |\n",
			r.question, r.clients, l.rps, l.p50, l.p99, l.cpuSelf, l.cpuNeo4j, g.rps, g.p50, g.p99, g.cpuSrv, g.cpuNeo4j,
			ratio(g.rps/l.rps, rps), ratio(g.p50/l.p50, p50), ratio(g.p99/l.p99, p99), floor, l.errors, g.errors, l.others, g.others)
	}
}

func ratio(all float64, pairs []float64) string {
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", all, slices.Min(pairs), slices.Max(pairs))
}
