package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/server"
)

// publicRoutes are the routes anyone may use even where reads need a token, and why: none serves the graph's
// data. A route that is neither here nor guarded fails TestEveryRouteThatReadsIsGuarded.
var publicRoutes = map[string]string{
	"/graphiql/":           "the IDE's static assets",
	"GET /explore":         "the explorer's page; its data comes from /graphql",
	"/explore/":            "the explorer's static assets",
	"/signin":              "where a browser signs in",
	"GET /healthz":         "a liveness probe",
	"GET /readyz":          "a readiness probe",
	"GET /metrics":         "counts and durations, no data",
	"GET /schema.graphql":  "the schema's text, no data (served only while introspection is open)",
	"POST /import/preview": "an editor's upload: the handler refuses any request without an editor token, and answers only about the rows sent",
	"POST /import/apply":   "an editor's upload: the handler refuses any request without an editor token",
	"GET /{$}":             "the explorer's page (the front door); its data comes from /graphql",
}

type refusingExports struct{ server.Exporter }
type refusingReports struct{ server.Reporter } // any method but Report panics on the nil Reporter

func (refusingReports) Report(context.Context, string) (*chainmap.Report, error) {
	panic("the report ran for a caller the guard should have refused")
}

// pathOf turns a mux pattern into a path that it matches.
func pathOf(pattern string) string {
	p := pattern
	if _, rest, ok := strings.Cut(p, " "); ok {
		p = rest
	}
	p = strings.NewReplacer("{file}", "enterprises.csv", "{chainMapId}", "hydrogen", "{code}", "130600", "{$}", "").Replace(p)
	if strings.HasSuffix(p, "/") && p != "/" {
		p += "app.js"
	}
	return p
}

// Every route the server serves either is public for a stated reason or is behind the one read guard: with
// reads restricted, an anonymous caller gets 401 UNAUTHENTICATED from each, and a viewer's token lets it
// through. The routes come from server.Routes, which is all that server.New registers.
func TestEveryRouteThatReadsIsGuarded(t *testing.T) {
	auth := graph.Auth{ReadsNeedViewer: true, APIKeys: map[string]graph.Principal{"viewer-key-000000000000": {Subject: "vera", Role: graph.Viewer}}}
	gql := graph.NewHandler(fakeStore{}, graph.Options{Auth: auth})
	cfg := server.Config{
		GraphQL: gql, Gate: gql.Gate, MayRead: auth.MayRead, SignIn: auth.SignIn(nil),
		Ready:   func(context.Context) error { return nil },
		Metrics: server.NewMetrics(), MaxBodyBytes: 1 << 20,
		Assets:  fstest.MapFS{"graphiql/index.html": {Data: []byte("ide")}, "explore/index.html": {Data: []byte("explore")}},
		Exports: refusingExports{}, Reports: refusingReports{}, AllowedOrigins: []string{"https://planner.example"},
		Schema: "type Query { a: Int }",
	}
	srv := httptest.NewServer(server.New(cfg))
	defer srv.Close()
	routes := server.Routes(cfg)
	if len(routes) < 10 {
		t.Fatalf("only %d routes: is every optional part configured?", len(routes))
	}
	for _, rt := range routes {
		t.Run(rt.Pattern, func(t *testing.T) {
			if rt.Access == server.Public {
				if publicRoutes[rt.Pattern] == "" {
					t.Fatalf("route %s is public but not in publicRoutes: guard it (Access: Reads) or say why it serves no data", rt.Pattern)
				}
				return
			}
			method := http.MethodGet
			body := ""
			if rt.Pattern == "/graphql" {
				method, body = http.MethodPost, `{"query":"{ chainMaps { id } }"}`
			}
			for _, stream := range []bool{false, true} {
				if stream && rt.Pattern != "/graphql" {
					continue
				}
				req, _ := http.NewRequest(method, srv.URL+pathOf(rt.Pattern), strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", "https://planner.example")
				if stream {
					req.Header.Set("Accept", "text/event-stream")
					req.Body = io.NopCloser(strings.NewReader(`{"query":"subscription { changes { seq } }"}`))
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var r struct {
					Errors []struct{ Extensions struct{ Code string } }
				}
				_ = json.Unmarshal(raw, &r)
				if resp.StatusCode != http.StatusUnauthorized || len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "UNAUTHENTICATED" ||
					resp.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("anonymous %s %s (stream %v): %d %s, want 401 UNAUTHENTICATED", method, pathOf(rt.Pattern), stream, resp.StatusCode, raw)
				}
				if resp.Header.Get("Access-Control-Allow-Origin") != "https://planner.example" {
					t.Errorf("the refusal of %s carries no CORS headers: a frontend on another origin could not read it", pathOf(rt.Pattern))
				}
			}
			// A browser is sent to sign in, and back.
			req, _ := http.NewRequest(http.MethodGet, srv.URL+pathOf(rt.Pattern), nil)
			req.Header.Set("Accept", "text/html")
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next="+url.QueryEscape(pathOf(rt.Pattern))) {
				t.Errorf("a browser at %s: %d to %q, want 303 to the sign-in page", pathOf(rt.Pattern), resp.StatusCode, loc)
			}
		})
	}
	// With a viewer's token, GraphQL reads go through.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ chainMaps { id } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer viewer-key-000000000000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), "hydrogen") {
		t.Errorf("a viewer's read: %d %s", resp.StatusCode, raw)
	}
}

// blockingStore holds every read until its context ends.
type blockingStore struct {
	graph.Store
	started chan struct{}
}

func (s blockingStore) ChainMaps(ctx context.Context, _ *chainmap.Selection) ([]chainmap.ChainMap, error) {
	s.started <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

// Requests that need no work are answered before admission: with every slot taken and the queue full, a
// subscription sent as a plain POST still gets its 400 at once, not a 503 or a place in the queue.
func TestGateRunsBeforeAdmission(t *testing.T) {
	st := blockingStore{started: make(chan struct{}, 10)}
	gql := graph.NewHandler(st, graph.Options{})
	srv := httptest.NewServer(server.New(server.Config{GraphQL: gql, Gate: gql.Gate, Metrics: server.NewMetrics(), MaxBodyBytes: 1 << 20,
		Limits: server.Limits{MaxInFlight: 1, MaxQueue: 1, QueueWait: 10 * time.Second, RequestTimeout: 10 * time.Second}}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	postQ := func(ctx context.Context, q string) (*http.Response, error) {
		b, _ := json.Marshal(map[string]any{"query": q})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		return http.DefaultClient.Do(req)
	}
	for range 2 { // one in flight, one queued
		go func() {
			if resp, err := postQ(ctx, `{ chainMaps { id } }`); err == nil {
				resp.Body.Close()
			}
		}()
	}
	<-st.started
	time.Sleep(100 * time.Millisecond) // the second is queued
	start := time.Now()
	resp, err := postQ(context.Background(), `subscription { changes { seq } }`)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if took := time.Since(start); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "WRONG_TRANSPORT") || took > time.Second {
		t.Errorf("a subscription over POST with the server full: %d %s after %s, want 400 WRONG_TRANSPORT at once", resp.StatusCode, raw, took)
	}
}

// Behind a reverse proxy, the client is the address the proxy names — but only when the request comes from
// a trusted proxy; anyone else's X-Forwarded-For is ignored.
func TestClientBehindTrustedProxy(t *testing.T) {
	seen := make(chan string, 10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen <- r.RemoteAddr })
	srv := httptest.NewServer(server.New(server.Config{GraphQL: h, Metrics: server.NewMetrics(), MaxBodyBytes: 1 << 20,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
	proxy := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Header.Set("X-Forwarded-For", r.In.Header.Get("X-Test-Browser"))
		},
		Transport: &http.Transport{DialContext: dialer.DialContext},
	})
	defer proxy.Close()
	ask := func(base string, header ...string) string {
		req, _ := http.NewRequest(http.MethodGet, base+"/graphql?query=%7B__typename%7D", nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return <-seen
	}
	for _, tc := range []struct {
		name, base string
		header     []string
		want       string
	}{
		{"through the proxy", proxy.URL, []string{"X-Test-Browser", "198.51.100.7"}, "198.51.100.7:0"},
		{"through the proxy, a hop the client added on the left", proxy.URL, []string{"X-Test-Browser", "10.9.9.9, 198.51.100.8"}, "198.51.100.8:0"},
		{"through the proxy, behind another trusted hop", proxy.URL, []string{"X-Test-Browser", "198.51.100.9, 127.0.0.2"}, "198.51.100.9:0"},
		{"direct, forging X-Forwarded-For", srv.URL, []string{"X-Forwarded-For", "198.51.100.10"}, "127.0.0.1"},
		{"direct, forging Forwarded", srv.URL, []string{"Forwarded", "for=198.51.100.11"}, "127.0.0.1"},
	} {
		if got := ask(tc.base, tc.header...); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: client %s, want %s", tc.name, got, tc.want)
		}
	}
}
