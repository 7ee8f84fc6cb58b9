package graph_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
)

// httpResult is what a raw request got: status, the first error's code, and the headers.
type httpResult struct {
	status int
	code   string
	header http.Header
	took   time.Duration
	body   string
}

func send(t *testing.T, req *http.Request) httpResult {
	t.Helper()
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r struct {
		Errors []struct{ Extensions struct{ Code string } }
	}
	_ = json.Unmarshal(raw, &r)
	out := httpResult{status: resp.StatusCode, header: resp.Header, took: time.Since(start), body: string(raw)}
	if len(r.Errors) > 0 {
		out.code = r.Errors[0].Extensions.Code
	}
	return out
}

func post(url string, payload any, header ...string) *http.Request {
	b, _ := json.Marshal(payload)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// A bookmark the API did not give — forged, altered, unsigned, garbled, too large — is BAD_REQUEST at once,
// before any read; one it gave is taken, and the read sees the write.
func TestBookmarksAreChecked(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{BookmarkKey: []byte("test bookmark key")})
	write := send(t, post(srv.URL, map[string]any{"query": `mutation { upsertBottleneck(input: {id: "mt-test-bm", nameEn: "Bookmark test",
		kind: GAP, category: MATERIAL, severity: 2, segmentIds: ["h2-fc-stack"], confidence: ILLUSTRATIVE, sourceIds: ["s13"]}) { id } }`},
		"Authorization", "Bearer "+editor))
	bm := write.header.Get(graph.BookmarkHeader)
	if write.code != "" || bm == "" || !strings.Contains(write.body, bm) {
		t.Fatalf("mutation: %d %s, bookmark %q", write.status, write.body, bm)
	}
	read := `{ bottleneck(id: "mt-test-bm") { id } }`
	if r := send(t, post(srv.URL, map[string]any{"query": read}, graph.BookmarkHeader, bm)); r.status != 200 || r.code != "" ||
		!strings.Contains(r.body, "mt-test-bm") {
		t.Fatalf("a read with the mutation's bookmark: %d %s", r.status, r.body)
	}
	payload, _, _ := strings.Cut(bm, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	var bms []string
	_ = json.Unmarshal(raw, &bms)
	altered, _ := json.Marshal([]string{bms[0] + "x"})
	tampered := base64.RawURLEncoding.EncodeToString(altered) + bm[len(payload):]
	for _, tc := range []struct{ name, value string }{
		{"altered, old signature", tampered},
		{"unsigned", payload},
		{"signed by another key", payload + ".AAAAAAAAAAAAAAAAAAAAAA"},
		{"not base64", "%%%"},
		{"base64 of no JSON list", "bm90IGpzb24.x"},
		{"5 KB", strings.Repeat("A", 5<<10)},
		{"nine values", strings.Repeat(bm+",", 9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, post(srv.URL, map[string]any{"query": read}, graph.BookmarkHeader, tc.value))
			if r.status != http.StatusBadRequest || r.code != "BAD_REQUEST" || r.took > time.Second {
				t.Errorf("%d %s after %s, want 400 BAD_REQUEST at once", r.status, r.body, r.took)
			}
		})
	}
}

// behindStore answers every read as a replica that has not caught up with the client's bookmark.
type behindStore struct{ graph.Store }

func (behindStore) ChainMaps(context.Context, *chainmap.Selection) ([]chainmap.ChainMap, error) {
	return nil, fmt.Errorf("ChainMaps: waited 2s: %w", chainmap.ErrReplicaBehind)
}

func TestReplicaBehindAsksToRetry(t *testing.T) {
	srv := newServerOver(t, behindStore{}, graph.Options{})
	r := send(t, post(srv.URL, map[string]any{"query": `{ chainMaps { id } }`}))
	if r.code != "REPLICA_BEHIND" || r.header.Get("Retry-After") == "" {
		t.Fatalf("%d %s (Retry-After %q), want REPLICA_BEHIND with Retry-After", r.status, r.body, r.header.Get("Retry-After"))
	}
}

// blockingStore holds every read until released, counting those that started.
type blockingStore struct {
	graph.Store
	started chan struct{}
	release chan struct{}
}

func (s blockingStore) ChainMaps(ctx context.Context, _ *chainmap.Selection) ([]chainmap.ChainMap, error) {
	s.started <- struct{}{}
	select {
	case <-s.release:
	case <-ctx.Done():
	}
	return nil, nil
}

// Requests with a bookmark count against their client: past MaxBookmarkWaitsPerClient in flight, that client's
// next one is 429 TOO_MANY_REQUESTS at once, while another client's goes through.
func TestBookmarkWaitsCountPerClient(t *testing.T) {
	st := blockingStore{started: make(chan struct{}, 100), release: make(chan struct{})}
	h := graph.NewHandler(st, graph.Options{Auth: graph.Auth{APIKeys: testKeys}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	bm := base64.RawURLEncoding.EncodeToString([]byte(`["FB:x"]`)) // no key: checked for its shape only
	var wg sync.WaitGroup
	for range graph.MaxBookmarkWaitsPerClient {
		wg.Go(func() {
			send(t, post(srv.URL, map[string]any{"query": `{ chainMaps { id } }`}, graph.BookmarkHeader, bm))
		})
	}
	for range graph.MaxBookmarkWaitsPerClient {
		<-st.started
	}
	r := send(t, post(srv.URL, map[string]any{"query": `{ chainMaps { id } }`}, graph.BookmarkHeader, bm))
	if r.status != http.StatusTooManyRequests || r.code != "TOO_MANY_REQUESTS" || r.header.Get("Retry-After") == "" || r.took > time.Second {
		t.Errorf("a client's %dth request with a bookmark: %d %s after %s, want 429 TOO_MANY_REQUESTS at once",
			graph.MaxBookmarkWaitsPerClient+1, r.status, r.body, r.took)
	}
	other := post(srv.URL, map[string]any{"query": `{ chainMaps { id } }`}, graph.BookmarkHeader, bm, "Authorization", "Bearer viewer-key-000000000000")
	done := make(chan httpResult)
	go func() { done <- send(t, other) }()
	<-st.started // another client's request got through to the store
	close(st.release)
	if r := <-done; r.status != 200 {
		t.Errorf("another client's request: %d %s", r.status, r.body)
	}
	wg.Wait()
}

// A subscription sent as a plain request, or a query sent on a stream, is 400 WRONG_TRANSPORT before it
// runs — also a subscription named only by a persisted query's hash, whose text the gate does not see.
func TestWrongTransportIsRefusedAtOnce(t *testing.T) {
	srv := newServer(t, graph.Options{})
	sub := `subscription { changes { seq } }`
	get, _ := http.NewRequest(http.MethodGet, srv.URL+"?query="+url.QueryEscape(sub), nil)
	for name, req := range map[string]*http.Request{
		"subscription over POST": post(srv.URL, map[string]any{"query": sub}),
		"subscription over GET":  get,
		"query over SSE":         post(srv.URL, map[string]any{"query": `{ chainMaps { id } }`}, "Accept", "text/event-stream"),
	} {
		if r := send(t, req); r.status != http.StatusBadRequest || r.code != "WRONG_TRANSPORT" || r.took > time.Second {
			t.Errorf("%s: %d %s after %s, want 400 WRONG_TRANSPORT at once", name, r.status, r.body, r.took)
		}
	}

	// Register the subscription as a persisted query over SSE (where it belongs), then send its hash alone.
	sum := sha256.Sum256([]byte(sub))
	apq := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	ctx, cancel := context.WithCancel(context.Background())
	req := post(srv.URL, map[string]any{"query": sub, "extensions": apq}, "Accept", "text/event-stream").WithContext(ctx)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("SSE subscription: %v %v", err, resp)
	}
	cancel()
	resp.Body.Close()
	if r := send(t, post(srv.URL, map[string]any{"extensions": apq})); r.code != "WRONG_TRANSPORT" || r.took > time.Second {
		t.Errorf("a persisted subscription over POST: %d %s after %s, want WRONG_TRANSPORT at once", r.status, r.body, r.took)
	}
	// A hash that is not its query's is the client's error.
	bad := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("ab", 32)}}
	if r := send(t, post(srv.URL, map[string]any{"query": `{ chainMaps { id } }`, "extensions": bad})); r.code != "BAD_USER_INPUT" {
		t.Errorf("a persisted query with a wrong hash: %d %s, want BAD_USER_INPUT", r.status, r.body)
	}
}

// A stream over its client's cap gets TOO_MANY_STREAMS (not UNAVAILABLE), and the client's streams are
// released as soon as their connections close.
func TestStreamsOverTheCap(t *testing.T) {
	srv := newServer(t, graph.Options{Feed: graph.FeedLimits{MaxPerClient: 2}})
	sub := `subscription { changes { seq } }`
	ctx, cancel := context.WithCancel(context.Background())
	for range 2 {
		if status, _ := sse(t, ctx, srv.URL, "", sub); status != 200 {
			t.Fatalf("subscription: %d", status)
		}
	}
	time.Sleep(200 * time.Millisecond) // both are registered
	ctx3, cancel3 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel3()
	_, lines := sse(t, ctx3, srv.URL, "", sub)
	if l := waitLine(t, lines, "data: ", 2*time.Second); !strings.Contains(l, `"code":"TOO_MANY_STREAMS"`) {
		t.Errorf("a third subscription of a client capped at 2: %s", l)
	}
	cancel()
	closed := time.Now()
	for {
		ctx4, cancel4 := context.WithCancel(context.Background())
		_, lines := sse(t, ctx4, srv.URL, "", sub)
		refused := false
		timeout := time.After(300 * time.Millisecond) // no error by then: the subscription was accepted
	wait:
		for {
			select {
			case l := <-lines:
				if strings.HasPrefix(l, "data: ") {
					refused = strings.Contains(l, "TOO_MANY_STREAMS")
					break wait
				}
			case <-timeout:
				break wait
			}
		}
		cancel4()
		if !refused {
			t.Logf("released %s after the connections closed", time.Since(closed).Round(time.Millisecond))
			return
		}
		if time.Since(closed) > time.Second {
			t.Fatalf("closed streams still counted %s after their connections closed", time.Since(closed))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The sign-in page trades a token for a session cookie that grants reads only, and sends the browser back to
// a path on this server.
func TestSignIn(t *testing.T) {
	auth := graph.Auth{APIKeys: testKeys, ReadsNeedViewer: true}
	srv := httptest.NewServer(http.NewServeMux())
	defer srv.Close()
	mux := srv.Config.Handler.(*http.ServeMux)
	mux.Handle("/signin", auth.SignIn(nil))
	mux.Handle("/graphql", graph.NewHandler(store(), graph.Options{Auth: auth}))
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := func(v url.Values, origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/signin", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := form(url.Values{"token": {"wrong-key-0000000000000"}}, ""); resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) > 0 {
		t.Errorf("a wrong token: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	if resp := form(url.Values{"token": {"editor-key-000000000000"}}, "https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in posted from another site: %d", resp.StatusCode)
	}
	for next, want := range map[string]string{"/explore#chain=hydrogen": "/explore#chain=hydrogen", "//evil.example/": "/explore",
		"https://evil.example/": "/explore", "": "/explore", "/report/hydrogen": "/report/hydrogen"} {
		resp := form(url.Values{"token": {"editor-key-000000000000"}, "next": {next}}, srv.URL)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("next %q: %d to %q, want 303 to %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	resp := form(url.Values{"token": {"editor-key-000000000000"}}, "")
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == graph.SessionCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v, want HttpOnly and SameSite=Strict", session)
	}
	withCookie := func(query string) httpResult {
		req := post(srv.URL+"/graphql", map[string]any{"query": query})
		req.AddCookie(session)
		return send(t, req)
	}
	if r := withCookie(`{ chainMaps { id } }`); r.code != "" {
		t.Errorf("a read with the session cookie: %s", r.body)
	}
	if r := withCookie(`mutation { setBottleneckStatus(id: "none", status: OPEN) { id } }`); r.code != "FORBIDDEN" {
		t.Errorf("a mutation with only an editor's session cookie: %s, want FORBIDDEN (the cookie grants reads)", r.body)
	}
	if r := send(t, post(srv.URL+"/graphql", map[string]any{"query": `{ chainMaps { id } }`})); r.code != "UNAUTHENTICATED" {
		t.Errorf("a read without the cookie: %s", r.body)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export/x", nil)
	if err := auth.MayRead(req); chainmap.ErrorCode(err) != chainmap.CodeUnauthenticated {
		t.Errorf("MayRead without a token: %v", err)
	}
	req.AddCookie(session)
	if err := auth.MayRead(req); err != nil {
		t.Errorf("MayRead with the session cookie: %v", err)
	}
	req.AddCookie(&http.Cookie{Name: graph.SessionCookie, Value: "forged"})
	req.Header.Set("Cookie", graph.SessionCookie+"=Zm9yZ2Vk")
	if err := auth.MayRead(req); chainmap.ErrorCode(err) != chainmap.CodeUnauthenticated {
		t.Errorf("MayRead with a forged cookie: %v", err)
	}
}
