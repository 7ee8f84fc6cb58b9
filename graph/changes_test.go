package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/chainmap/chainmap/graph"
)

func TestChangesQuery(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{})
	const create = `mutation { upsertBottleneck(input: {id: "mt-test-cq", nameEn: "Changes query test", kind: GAP,
		category: MATERIAL, severity: 2, segmentIds: ["h2-fc-stack"], confidence: ILLUSTRATIVE, sourceIds: ["s13"]}) { id } }`
	const q = `query($after: String) { changes(after: $after, first: 1, kinds: [BOTTLENECK]) {
		edges { cursor node { seq kind operation recordId chainMapIds before after author at } }
		pageInfo { hasNextPage endCursor } } }`
	var got struct {
		Changes struct {
			Edges []struct {
				Cursor string
				Node   struct {
					Seq, Kind, Operation, RecordID, Author, At string
					ChainMapIDs                                []string `json:"chainMapIds"`
					Before                                     any
					After                                      map[string]any
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	var seen []string
	after := any(nil)
	read := func() {
		for i := 0; i < 1000; i++ {
			mustData(t, srv, "", q, map[string]any{"after": after}, &got)
			for _, e := range got.Changes.Edges {
				if e.Cursor != e.Node.Seq {
					t.Errorf("cursor %q of seq %q: the cursor is the seq", e.Cursor, e.Node.Seq)
				}
				if e.Node.RecordID == "mt-test-cq" {
					seen = append(seen, e.Node.Seq)
					if e.Node.Before != nil || e.Node.After["nameEn"] != "Changes query test" || e.Node.Author != "ed" ||
						e.Node.Operation != "upsertBottleneck" || len(e.Node.ChainMapIDs) == 0 || e.Node.At == "" {
						t.Errorf("change = %+v", e.Node)
					}
				}
			}
			if !got.Changes.PageInfo.HasNextPage {
				if len(got.Changes.Edges) > 0 {
					after = got.Changes.PageInfo.EndCursor
				}
				break
			}
			after = got.Changes.PageInfo.EndCursor
		}
	}
	read() // to the end of the log: the shared test database has the changes of other tests
	seen = nil
	mustData(t, srv, editor, create, nil, nil)
	read()
	if len(seen) != 1 {
		t.Errorf("the creation shows %d times in the log, want once", len(seen))
	}
	if r := do(t, srv, "", `{ changes(after: "x") { edges { cursor } } }`, nil); len(r.Errors) == 0 {
		t.Error("a malformed cursor was accepted")
	}
}

// sse subscribes over graphql-sse and returns the lines of the stream as they come.
func sse(t *testing.T, ctx context.Context, url, token, query string) (int, <-chan string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer resp.Body.Close()
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return resp.StatusCode, lines
}

// waitLine waits for a line with the prefix.
func waitLine(t *testing.T, lines <-chan string, prefix string, within time.Duration) string {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended before a %q line", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-deadline:
			t.Fatalf("no %q line within %s", prefix, within)
		}
	}
}

func TestSubscriptionsOverSSE(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{Feed: graph.FeedLimits{KeepAlive: 200 * time.Millisecond, PollInterval: 50 * time.Millisecond}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mustData(t, srv, editor, `mutation { upsertBottleneck(input: {id: "mt-test-sub", nameEn: "Subscription test", kind: GAP,
		category: MATERIAL, severity: 2, segmentIds: ["h2-fc-stack"], confidence: ILLUSTRATIVE, sourceIds: ["s13"]}) { id } }`, nil, nil)

	_, lines := sse(t, ctx, srv.URL, "", `subscription { bottleneckStatusChanged { seq from to bottleneck { id status segments { id } } } }`)
	waitLine(t, lines, ": ping", 2*time.Second) // keep-alives on an idle stream
	mustData(t, srv, editor, `mutation { setBottleneckStatus(id: "mt-test-sub", status: IN_PROGRESS) { id } }`, nil, nil)
	data := waitLine(t, lines, "data: ", 3*time.Second)
	var ev struct {
		Data struct {
			BottleneckStatusChanged struct {
				Seq, From, To string
				Bottleneck    struct {
					ID, Status string
					Segments   []struct{ ID string }
				}
			}
		}
		Extensions struct {
			Cost struct {
				RoundTrips int `json:"neo4jRoundTrips"`
			}
		}
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(data, "data: ")), &ev); err != nil {
		t.Fatal(err)
	}
	got := ev.Data.BottleneckStatusChanged
	if got.From != "OPEN" || got.To != "IN_PROGRESS" || got.Bottleneck.ID != "mt-test-sub" || got.Bottleneck.Status != "IN_PROGRESS" ||
		len(got.Bottleneck.Segments) != 1 {
		t.Errorf("event = %s", data)
	}
	// The first event counts the subscription's start too (where the log ends); each later one its own read.
	mustData(t, srv, editor, `mutation { setBottleneckStatus(id: "mt-test-sub", status: RESOLVED) { id } }`, nil, nil)
	data = waitLine(t, lines, "data: ", 3*time.Second)
	if err := json.Unmarshal([]byte(strings.TrimPrefix(data, "data: ")), &ev); err != nil {
		t.Fatal(err)
	}
	if n := ev.Extensions.Cost.RoundTrips; n != 1 || ev.Data.BottleneckStatusChanged.To != "RESOLVED" {
		t.Errorf("the second event cost %d round trips, want 1 (its records in one statement): %s", n, data)
	}
	cancel() // ends the streams, so that the servers can close

	// A query over SSE would escape admission control: streams carry subscriptions only.
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// It is refused before any stream opens: 400 WRONG_TRANSPORT.
	status, lines := sse(t, ctx, srv.URL, "", `{ changes(first: 1) { edges { cursor } } }`)
	if l := <-lines; status != http.StatusBadRequest || !strings.Contains(l, `"code":"WRONG_TRANSPORT"`) {
		t.Errorf("a query over SSE: %d %s", status, l)
	}

	// Roles: subscriptions need what queries need.
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	closed := newServer(t, graph.Options{Auth: graph.Auth{ReadsNeedViewer: true, APIKeys: map[string]graph.Principal{}}})
	_, lines = sse(t, ctx, closed.URL, "", `subscription { changes { seq } }`)
	if l := waitLine(t, lines, "data: ", 2*time.Second); !strings.Contains(l, "UNAUTHENTICATED") {
		t.Errorf("anonymous subscription where reads need a token: %s", l)
	}
}

// Browsers on the origins CORS allows may open WebSockets; others may not.
func TestWebSocketOrigins(t *testing.T) {
	srv := newServer(t, graph.Options{AllowedOrigins: []string{"https://app.example"}})
	ws := "ws" + strings.TrimPrefix(srv.URL, "http")
	for _, tc := range []struct {
		origin string
		ok     bool
	}{{"https://app.example", true}, {"https://evil.example", false}, {"", true}} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		c, resp, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: h, Subprotocols: []string{"graphql-transport-ws"}})
		if (err == nil) != tc.ok {
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			t.Errorf("origin %q: err %v (HTTP %d), want ok=%v", tc.origin, err, status, tc.ok)
		}
		if c != nil {
			c.CloseNow()
		}
		cancel()
	}
}
