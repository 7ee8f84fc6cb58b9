//go:build hostile

// The hostile suite of issue 17: what a client without a login can send to every surface — GraphQL over POST,
// GET, SSE and WebSocket, exports, the report, bookmarks, persisted-query hashes — and the rule that no such
// request holds an admission slot longer than the slot's budget. Each case sends its requests at once (40, the
// issue's count) while a bystander reads every 50 ms, and logs a `figure:` line: how long the hostile requests
// took (an upper bound on the slot they held), their codes, and how many of the bystander's reads failed.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// slotBudget is the most a request sent without a login may hold an admission slot in this suite: the
// bookmark budget (2 s) plus room for a loaded machine. The server's own deadline (REQUEST_TIMEOUT, 20 s) is
// the backstop, never the plan.
const slotBudget = 3 * time.Second

const hostileEditorKey = "hostile-editor-key-0123456789"

// outcome is what one hostile request got.
type outcome struct {
	status int
	code   string
	retry  string
	took   time.Duration
}

func (o outcome) String() string {
	s := fmt.Sprint(o.status)
	if o.code != "" {
		s += " " + o.code
	}
	return s
}

// doRequest sends req and reads the first error code of a GraphQL answer (or of the first SSE event).
func doRequest(client *http.Client, req *http.Request) outcome {
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return outcome{code: "transport error", took: time.Since(start)}
	}
	defer resp.Body.Close()
	var raw []byte
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				raw = []byte(d)
				break
			}
		}
	} else {
		raw, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	}
	o := outcome{status: resp.StatusCode, retry: resp.Header.Get("Retry-After"), took: time.Since(start)}
	var r struct {
		Errors []struct{ Extensions struct{ Code string } }
		Data   map[string]any
	}
	if json.Unmarshal(raw, &r) == nil {
		switch {
		case len(r.Errors) > 0:
			o.code = r.Errors[0].Extensions.Code
		case r.Data == nil && resp.StatusCode == 200 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"):
			o.code = "null data"
		}
	}
	return o
}

// bystander reads every 50 ms until stopped and counts the reads that failed.
type bystander struct {
	stop         chan struct{}
	done         chan struct{}
	reads, fails atomic.Int64
}

func startBystander(base string) *bystander {
	b := &bystander{stop: make(chan struct{}), done: make(chan struct{})}
	client := &http.Client{Timeout: 30 * time.Second}
	go func() {
		defer close(b.done)
		for {
			select {
			case <-b.stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			r := send(client, base, body(`{ chainMaps { id } }`))
			b.reads.Add(1)
			if r.status != 200 || r.code != "" {
				b.fails.Add(1)
			}
		}
	}()
	return b
}

func (b *bystander) end() string {
	close(b.stop)
	<-b.done
	return fmt.Sprintf("bystander reads failed: %d of %d", b.fails.Load(), b.reads.Load())
}

// summary counts outcomes by status and code, and gives the longest time.
func summary(os []outcome) (string, time.Duration) {
	counts := map[string]int{}
	var longest time.Duration
	for _, o := range os {
		counts[o.String()]++
		longest = max(longest, o.took)
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%d × %s", n, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", "), longest.Round(time.Millisecond)
}

// burst sends n requests made by mk at once and waits for all.
func burst(client *http.Client, n int, mk func(i int) *http.Request) []outcome {
	out := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i] = doRequest(client, mk(i)) })
	}
	wg.Wait()
	return out
}

func gqlPost(base, query string, header ...string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(body(query)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// forgeFuture takes a real bookmark (the header's value) and moves the transaction counter it names far into
// the future, keeping its encoding: what a hostile client can do to make reads wait.
func forgeFuture(t *testing.T, value string) string {
	payload, _, _ := strings.Cut(value, ".")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatalf("bookmark %q: %v", value, err)
	}
	var bms []string
	if err := json.Unmarshal(raw, &bms); err != nil || len(bms) == 0 {
		t.Fatalf("bookmark %q: %v", value, err)
	}
	fb, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(bms[0], "FB:"))
	if err != nil {
		t.Fatalf("bookmark %q: %v", bms[0], err)
	}
	// Neo4j 5's bookmark: a list of (database UUID as 16 bytes, transaction id as an int). Replace the int that
	// follows the UUID with INT_32 0x7fffff00.
	i := bytes.Index(fb, []byte{0xcc, 0x10})
	if i < 0 || len(fb) < i+18+1 {
		t.Fatalf("unexpected bookmark layout % x", fb)
	}
	head, rest := fb[:i+18], fb[i+18:]
	switch rest[0] {
	case 0xc8:
		rest = rest[2:]
	case 0xc9:
		rest = rest[3:]
	case 0xca:
		rest = rest[5:]
	case 0xcb:
		rest = rest[9:]
	default:
		rest = rest[1:] // a tiny int
	}
	forged := append(append(append([]byte{}, head...), 0xca, 0x7f, 0xff, 0xff, 0x00), rest...)
	b, _ := json.Marshal([]string{"FB:" + base64.StdEncoding.EncodeToString(forged)})
	return base64.RawURLEncoding.EncodeToString(b)
}

// realBookmark makes a write through base and returns the bookmark the server sent with it (trying a few
// times: on a machine loaded by others a write may run out of its transaction timeout).
func realBookmark(t *testing.T, base string) string {
	var raw []byte
	for i, status := range []string{"IN_PROGRESS", "OPEN", "IN_PROGRESS", "OPEN", "IN_PROGRESS"} {
		req := gqlPost(base, `mutation { setBottleneckStatus(id: "h2-bn-carbon-fibre-tanks", status: `+status+`) { id } }`,
			"Authorization", "Bearer "+hostileEditorKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if bm := resp.Header.Get("Chainmap-Bookmark"); bm != "" {
			return bm
		}
		t.Logf("write %d gave no bookmark: %s", i+1, raw)
	}
	t.Fatalf("no bookmark from five writes: %s", raw)
	return ""
}

// hostileBookmarkKey signs the servers' bookmarks here, so that the suite can also sign a bookmark naming a
// transaction the database has not got: what a genuine bookmark from before a restore looks like.
const hostileBookmarkKey = "hostile-bookmark-key"

// sign signs a bookmark value as the API does (graph.bookmarkCodec).
func sign(value string) string {
	payload, _, _ := strings.Cut(value, ".")
	m := hmac.New(sha256.New, []byte(hostileBookmarkKey))
	m.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func TestHostileSurfaces(t *testing.T) {
	neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
	t.Setenv("CHAINMAP_BOOKMARK_KEY", hostileBookmarkKey)
	open := startServe(t, "-api-keys", "ed:editor:"+hostileEditorKey)
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	const n = 40

	// oneCase runs a burst of n hostile requests with a bystander reading meanwhile, logs its figure and
	// checks the rule: every hostile request answered within slotBudget, with a code in want, and no
	// bystander read failed.
	oneCase := func(t *testing.T, name string, want []string, mk func(i int) *http.Request) {
		t.Helper()
		time.Sleep(time.Second) // let the previous case's effects (an open breaker) pass
		by := startBystander(open)
		time.Sleep(100 * time.Millisecond)
		os := burst(client, n, mk)
		time.Sleep(500 * time.Millisecond) // reads just after the burst count too
		byFig := by.end()
		codes, longest := summary(os)
		t.Logf("figure: %s, %d at once: %s; longest %s; %s", name, n, codes, longest, byFig)
		for _, o := range os {
			if o.took > slotBudget {
				t.Errorf("%s: a request took %s, over the slot budget %s", name, o.took.Round(time.Millisecond), slotBudget)
				break
			}
		}
		for _, o := range os {
			ok := false
			for _, w := range want {
				ok = ok || o.String() == w
			}
			if !ok {
				t.Errorf("%s: got %s, want one of %v", name, o, want)
				break
			}
		}
		if !strings.HasPrefix(byFig, "bystander reads failed: 0 ") {
			t.Errorf("%s: %s", name, byFig)
		}
	}

	t.Run("bookmarks", func(t *testing.T) {
		future := forgeFuture(t, realBookmark(t, open))
		oneCase(t, "bookmark with a future transaction", []string{"400 BAD_REQUEST"}, func(int) *http.Request {
			return gqlPost(open, `{ chainMaps { id } }`, "Chainmap-Bookmark", future)
		})
		oneCase(t, "bookmark with a future transaction, signed with the servers' key", []string{"200 REPLICA_BEHIND", "429 TOO_MANY_REQUESTS"}, func(int) *http.Request {
			return gqlPost(open, `{ chainMaps { id } }`, "Chainmap-Bookmark", sign(future))
		})
		oneCase(t, "bookmark with a broken encoding", []string{"400 BAD_REQUEST"}, func(int) *http.Request {
			return gqlPost(open, `{ chainMaps { id } }`, "Chainmap-Bookmark", "WyJGQjpnYXJiYWdlISEiXQ")
		})
		oneCase(t, "bookmark that is not base64", []string{"400 BAD_REQUEST"}, func(int) *http.Request {
			return gqlPost(open, `{ chainMaps { id } }`, "Chainmap-Bookmark", "%%%not a bookmark%%%")
		})
		oneCase(t, "60 KB of bookmarks", []string{"400 BAD_REQUEST", "431"}, func(int) *http.Request {
			return gqlPost(open, `{ chainMaps { id } }`, "Chainmap-Bookmark", strings.Repeat("QUFB,", 12000))
		})
	})

	t.Run("wrong transport", func(t *testing.T) {
		sub := `subscription { changes { seq } }`
		oneCase(t, "subscription as a plain POST", []string{"400 WRONG_TRANSPORT"}, func(int) *http.Request {
			return gqlPost(open, sub)
		})
		oneCase(t, "subscription over GET", []string{"400 WRONG_TRANSPORT"}, func(int) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, open+"/graphql?query="+url.QueryEscape(sub), nil)
			return req
		})
		oneCase(t, "query over SSE", []string{"400 WRONG_TRANSPORT"}, func(int) *http.Request {
			return gqlPost(open, `{ chainMaps { id } }`, "Accept", "text/event-stream")
		})
	})

	t.Run("persisted-query hashes", func(t *testing.T) {
		oneCase(t, "unknown persisted-query hashes over GET", []string{"200 BAD_USER_INPUT"}, func(int) *http.Request {
			h := make([]byte, 32)
			_, _ = rand.Read(h)
			ext := fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":"%x"}}`, h)
			req, _ := http.NewRequest(http.MethodGet, open+"/graphql?extensions="+url.QueryEscape(ext), nil)
			return req
		})
		oneCase(t, "persisted query whose hash does not match its text", []string{"200 BAD_USER_INPUT", "422 BAD_USER_INPUT"}, func(i int) *http.Request {
			b, _ := json.Marshal(map[string]any{"query": fmt.Sprintf("{ chainMaps { id } } # %d", i),
				"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("ab", 32)}}})
			req, _ := http.NewRequest(http.MethodPost, open+"/graphql", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			return req
		})
		oneCase(t, "persisted query registered with a correct hash, 40 different texts", []string{"200"}, func(i int) *http.Request {
			q := fmt.Sprintf("{ chainMaps { id } } # %d", i)
			sum := sha256.Sum256([]byte(q))
			b, _ := json.Marshal(map[string]any{"query": q,
				"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}})
			req, _ := http.NewRequest(http.MethodPost, open+"/graphql", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			return req
		})
	})

	t.Run("streams over the per-client cap", func(t *testing.T) {
		for _, transport := range []string{"SSE", "WebSocket"} {
			time.Sleep(time.Second)
			by := startBystander(open)
			ctx, cancel := context.WithCancel(context.Background())
			var got []outcome
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					o := openStream(ctx, open, transport, "")
					mu.Lock()
					got = append(got, o)
					mu.Unlock()
				})
			}
			wg.Wait()
			codes, longest := summary(got)
			// Closing them all: how soon may the client open 32 again?
			cancel()
			closed := time.Now()
			var reopened time.Duration
			for {
				attempt := time.Now()
				ctx2, cancel2 := context.WithCancel(context.Background())
				var refused atomic.Int64
				var wg2 sync.WaitGroup
				for range 32 {
					wg2.Go(func() {
						if o := openStream(ctx2, open, transport, ""); o.code != "" {
							refused.Add(1)
						}
					})
				}
				wg2.Wait()
				cancel2()
				if refused.Load() == 0 {
					reopened = attempt.Sub(closed)
					break
				}
				if time.Since(closed) > 30*time.Second {
					reopened = -1
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			byFig := by.end()
			t.Logf("figure: %d %s subscriptions from one client: %s; longest %s; 32 could be opened again %s after closing; %s",
				n, transport, codes, longest, reopened.Round(time.Millisecond), byFig)
			refused := 0
			for _, o := range got {
				if o.code != "" {
					refused++
					if o.code != "TOO_MANY_STREAMS" {
						t.Errorf("%s: a stream over the cap got %s, want TOO_MANY_STREAMS", transport, o)
					}
				}
			}
			if refused != n-32 {
				t.Errorf("%s: %d of %d streams refused, want %d", transport, refused, n, n-32)
			}
			if reopened < 0 || reopened > 2*time.Second {
				t.Errorf("%s: closed streams were still counted %s later", transport, reopened)
			}
		}
	})

	t.Run("reads restricted everywhere", func(t *testing.T) {
		viewer := startServe(t, "-reads", "viewer", "-api-keys", "ed:editor:"+hostileEditorKey)
		paths := []string{"/export/enterprises.csv", "/export/enterprises.xlsx", "/export/bottlenecks.csv",
			"/export/bottlenecks.xlsx", "/export/graph.graphml?chainMapId=hydrogen", "/export/graph.gexf?chainMapId=hydrogen",
			"/report/hydrogen"}
		var got []string
		for _, p := range paths {
			resp, err := client.Get(viewer + p)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got = append(got, fmt.Sprintf("%s %d (%d bytes)", p, resp.StatusCode, len(b)))
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous %s with -reads viewer: %d, want 401", p, resp.StatusCode)
			}
		}
		sse := openStream(context.Background(), viewer, "SSE", "")
		got = append(got, "SSE subscription "+sse.String())
		t.Logf("figure: -reads viewer, anonymous: %s", strings.Join(got, "; "))
	})

	t.Run("behind a proxy", func(t *testing.T) {
		// The proxy dials the server from 127.0.0.2, the only trusted proxy address; each simulated browser is
		// told apart by the X-Forwarded-For the proxy sets, as Caddy does.
		port := freePort(t)
		target, _ := url.Parse("http://127.0.0.1:" + port)
		t.Setenv("TRUSTED_PROXIES", "127.0.0.2/32") // an environment variable, so that code without it runs the case too
		startServeOn(t, port)
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
		proxy := &httputil.ReverseProxy{
			Rewrite: func(r *httputil.ProxyRequest) {
				r.SetURL(target)
				r.Out.Header.Set("X-Forwarded-For", r.In.Header.Get("X-Test-Browser"))
			},
			Transport:     &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 100},
			FlushInterval: -1,
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ps := &http.Server{Handler: proxy}
		go ps.Serve(ln)
		defer ps.Close()
		front := "http://" + ln.Addr().String()

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		var got []outcome
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				o := openStream(ctx, front, "SSE", fmt.Sprintf("198.51.100.%d", i+1))
				mu.Lock()
				got = append(got, o)
				mu.Unlock()
			})
		}
		wg.Wait()
		codes, _ := summary(got)
		// One browser through the proxy is still capped at 32.
		var one []outcome
		for range n {
			wg.Go(func() {
				o := openStream(ctx, front, "SSE", "203.0.113.7")
				mu.Lock()
				one = append(one, o)
				mu.Unlock()
			})
		}
		wg.Wait()
		oneCodes, _ := summary(one)
		// A client that is not a trusted proxy cannot choose its identity with the header.
		var spoof []outcome
		for i := range n {
			wg.Go(func() {
				o := openStreamDirect(ctx, "http://127.0.0.1:"+port, fmt.Sprintf("192.0.2.%d", i+1))
				mu.Lock()
				spoof = append(spoof, o)
				mu.Unlock()
			})
		}
		wg.Wait()
		spoofCodes, _ := summary(spoof)
		t.Logf("figure: through a proxy, %d browsers × 1 SSE subscription: %s; one browser × %d: %s; direct clients forging X-Forwarded-For × %d: %s",
			n, codes, n, oneCodes, n, spoofCodes)
		for _, o := range got {
			if o.code != "" {
				t.Errorf("a browser behind the proxy was refused: %s", o)
				break
			}
		}
		if c := countCode(one, "TOO_MANY_STREAMS"); c != n-32 {
			t.Errorf("one browser behind the proxy: %d refused, want %d", c, n-32)
		}
		if c := countCode(spoof, "TOO_MANY_STREAMS"); c != n-32 {
			t.Errorf("forged X-Forwarded-For from an untrusted address: %d refused, want %d", c, n-32)
		}
	})
}

func countCode(os []outcome, code string) int {
	c := 0
	for _, o := range os {
		if o.code == code {
			c++
		}
	}
	return c
}

// openStream opens a subscription over SSE or WebSocket and returns when it is established (no code) or
// refused (the code); the stream stays open until ctx ends. browser, if set, is sent as X-Test-Browser (read
// by the test proxy).
func openStream(ctx context.Context, base, transport, browser string) outcome {
	start := time.Now()
	const sub = `subscription { changes { seq } }`
	if transport == "WebSocket" {
		h := http.Header{}
		if browser != "" {
			h.Set("X-Test-Browser", browser)
		}
		c, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
		if err != nil {
			o := outcome{code: "dial: " + err.Error(), took: time.Since(start)}
			if resp != nil {
				o.status = resp.StatusCode
			}
			return o
		}
		go func() { <-ctx.Done(); c.Close(websocket.StatusNormalClosure, "") }() // as a browser closing its tab
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = wsjson.Write(rctx, c, map[string]any{"type": "connection_init"})
		var m struct {
			Type    string
			Payload json.RawMessage
		}
		if err := wsjson.Read(rctx, c, &m); err != nil || m.Type != "connection_ack" {
			return outcome{status: 101, code: "no ack", took: time.Since(start)}
		}
		_ = wsjson.Write(rctx, c, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": sub}})
		// An error comes at once; an accepted subscription is silent: wait a little for an error.
		wctx, wcancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer wcancel()
		if err := wsjson.Read(wctx, c, &m); err == nil && (m.Type == "error" || m.Type == "next") {
			// graphql-transport-ws: "error" carries a list of errors; "next" a response with errors.
			var errs []struct{ Extensions struct{ Code string } }
			if json.Unmarshal(m.Payload, &errs) != nil {
				var r struct {
					Errors []struct{ Extensions struct{ Code string } }
				}
				_ = json.Unmarshal(m.Payload, &r)
				errs = r.Errors
			}
			if len(errs) > 0 {
				return outcome{status: 101, code: errs[0].Extensions.Code, took: time.Since(start)}
			}
		}
		return outcome{status: 101, took: time.Since(start)}
	}
	b, _ := json.Marshal(map[string]any{"query": sub})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if browser != "" {
		req.Header.Set("X-Test-Browser", browser)
	}
	return sseOutcome(req, start)
}

// openStreamDirect opens an SSE subscription straight to the server, sending a forged X-Forwarded-For.
func openStreamDirect(ctx context.Context, base, forwardedFor string) outcome {
	b, _ := json.Marshal(map[string]any{"query": `subscription { changes { seq } }`})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	req.Header.Set("Forwarded", "for="+forwardedFor)
	return sseOutcome(req, time.Now())
}

// sseOutcome sends an SSE subscription; an accepted one stays open (its body read in the background until the
// request's context ends), a refused one answers with an error at once.
func sseOutcome(req *http.Request, start time.Time) outcome {
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return outcome{code: "transport error", took: time.Since(start)}
	}
	o := outcome{status: resp.StatusCode, retry: resp.Header.Get("Retry-After")}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var r struct {
			Errors []struct{ Extensions struct{ Code string } }
		}
		_ = json.Unmarshal(raw, &r)
		o.code = "not a stream"
		if len(r.Errors) > 0 {
			o.code = r.Errors[0].Extensions.Code
		}
		o.took = time.Since(start)
		return o
	}
	// An error comes as the first event at once; an accepted subscription sends nothing until a change (or a
	// keep-alive ping): wait a little for an error.
	lines := make(chan string, 16)
	go func() {
		defer resp.Body.Close()
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	timeout := time.After(1500 * time.Millisecond)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				o.code = "ended"
				o.took = time.Since(start)
				return o
			}
			if d, ok := strings.CutPrefix(l, "data: "); ok {
				var r struct {
					Errors []struct{ Extensions struct{ Code string } }
				}
				if json.Unmarshal([]byte(d), &r) == nil && len(r.Errors) > 0 {
					o.code = r.Errors[0].Extensions.Code
					o.took = time.Since(start)
					return o
				}
			}
		case <-timeout:
			o.took = time.Since(start)
			return o
		}
	}
}
