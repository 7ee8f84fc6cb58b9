package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// The replica tests run two `chainmap serve` processes (this test binary, re-run as serve) on their own ports
// over the one test Neo4j: nothing passes between them but the database.

const (
	replicaA   = "8110"
	replicaB   = "8111"
	replicaKey = "replica-editor-key-0000"
)

func init() {
	if args := os.Getenv("CHAINMAP_TEST_SERVE_ARGS"); args != "" {
		err := run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// startReplica runs `chainmap serve` in a process of its own on port; kill stops it at once (the test stops it
// at the end if it has not).
func startReplica(t *testing.T, port string, extra ...string) (base string, kill func()) {
	base, kill, _ = startReplicaProcess(t, port, extra...)
	return base, kill
}

func startReplicaProcess(t *testing.T, port string, extra ...string) (base string, kill func(), pid int) {
	t.Helper()
	return startServeBinary(t, "", port, extra...)
}

// startServeBinary is startReplicaProcess with the binary given: a chainmap binary of another build, or "" for this
// test binary.
func startServeBinary(t *testing.T, bin, port string, extra ...string) (base string, kill func(), pid int) {
	t.Helper()
	args := append(append([]string{"serve", "-port", port, "-api-keys", "ed:editor:" + replicaKey}, neo4jArgs()...), extra...)
	cmd := exec.Command(bin, args...)
	if bin == "" {
		cmd = exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CHAINMAP_TEST_SERVE_ARGS="+strings.Join(args, "\x1f"))
	}
	var stderr neo4jtest.SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	kill = func() {
		_ = cmd.Process.Kill()
		<-done
	}
	t.Cleanup(kill)
	base = "http://127.0.0.1:" + port
	for i := 0; i < 150; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			return base, kill, cmd.Process.Pid
		}
		select {
		case <-done:
			t.Fatalf("serve on %s exited early:\n%s", port, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("serve on %s did not answer /healthz\n%s", port, stderr.String())
	return "", nil, 0
}

// gql posts an operation and returns the response and its bookmark header.
func gql(t *testing.T, base, query string, vars map[string]any, header http.Header) (map[string]any, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+replicaKey)
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out["errors"] != nil {
		t.Fatalf("%s: %v", query, out["errors"])
	}
	return out, resp.Header.Get("Chainmap-Bookmark")
}

// sseEvent is one event of a graphql-sse stream.
type sseEvent struct {
	seq int64
	at  time.Time
	raw string
}

// subscribeSSE subscribes over SSE and sends the seq of each event it gets on the returned channel, until ctx
// ends.
func subscribeSSE(t *testing.T, ctx context.Context, base, query string) <-chan sseEvent {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SSE subscribe: %s %s", resp.Status, b)
	}
	out := make(chan sseEvent, 1000)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			out <- sseEvent{seq: seqOf(data), at: time.Now(), raw: data}
		}
	}()
	return out
}

// seqOf finds data.<field>.seq in an event payload (-1 when it carries an error).
func seqOf(payload string) int64 {
	var m struct {
		Data   map[string]struct{ Seq string }
		Errors []any
	}
	_ = json.Unmarshal([]byte(payload), &m)
	for _, v := range m.Data {
		var n int64
		fmt.Sscan(v.Seq, &n)
		return n
	}
	return -1
}

func next(t *testing.T, ch <-chan sseEvent, within time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return sseEvent{}
}

const (
	createBottleneck = `mutation($id: ID!) { upsertBottleneck(input: {id: $id, nameEn: "Replica test", kind: GAP,
		category: MATERIAL, severity: 2, segmentIds: ["h2-fc-stack"], confidence: ILLUSTRATIVE, sourceIds: ["s13"]}) { id } }`
	setStatus = `mutation($id: ID!, $s: BottleneckStatus!) { setBottleneckStatus(id: $id, status: $s) { id status } }`
)

func TestReplicasShareChangesAndBookmarks(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	a, _ := startReplica(t, replicaA)
	b, killB := startReplica(t, replicaB)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	gql(t, a, createBottleneck, map[string]any{"id": "rep-test-b1"}, nil)

	// SSE on B, WebSocket on B; the mutation goes through A.
	sseCtx, stopSSE := context.WithCancel(ctx)
	sse := subscribeSSE(t, sseCtx, b, `subscription { changes(kinds: [BOTTLENECK_STATUS]) { seq kind recordId author } }`)
	ws, _, err := websocket.Dial(ctx, "ws://127.0.0.1:"+replicaB+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(wsjson.Write(ctx, ws, map[string]any{"type": "connection_init"}))
	var msg map[string]any
	must(wsjson.Read(ctx, ws, &msg))
	if msg["type"] != "connection_ack" {
		t.Fatalf("connection_init: %v", msg)
	}
	must(wsjson.Write(ctx, ws, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": `subscription { bottleneckStatusChanged { seq from to bottleneck { id status } } }`}}))
	wsEvents := make(chan sseEvent, 100)
	go func() {
		defer close(wsEvents)
		for {
			var m struct {
				Type    string
				Payload json.RawMessage
			}
			if err := wsjson.Read(ctx, ws, &m); err != nil {
				return
			}
			if m.Type == "next" {
				wsEvents <- sseEvent{seq: seqOf(string(m.Payload)), at: time.Now(), raw: string(m.Payload)}
			}
		}
	}()
	time.Sleep(500 * time.Millisecond) // both subscriptions are registered

	sent := time.Now()
	gql(t, a, setStatus, map[string]any{"id": "rep-test-b1", "s": "IN_PROGRESS"}, nil)
	ev := next(t, sse, time.Second)
	sseLatency := ev.at.Sub(sent)
	wev := next(t, wsEvents, time.Second)
	t.Logf("A → B: SSE event after %s, WebSocket event after %s", sseLatency, wev.at.Sub(sent))
	if !strings.Contains(ev.raw, `"recordId":"rep-test-b1"`) || !strings.Contains(ev.raw, `"author":"ed"`) {
		t.Errorf("SSE event = %s", ev.raw)
	}
	if !strings.Contains(wev.raw, `"to":"IN_PROGRESS"`) || !strings.Contains(wev.raw, `"status":"IN_PROGRESS"`) ||
		!strings.Contains(wev.raw, `"from":"OPEN"`) {
		t.Errorf("WebSocket event = %s", wev.raw)
	}
	if ev.seq <= 0 || wev.seq != ev.seq {
		t.Errorf("seq over SSE %d, over WebSocket %d: want the same change", ev.seq, wev.seq)
	}

	// B goes away; changes go on through A; the client reconnects to A with its last seq and misses nothing.
	stopSSE()
	killB()
	last := ev.seq
	for _, s := range []string{"OPEN", "RESOLVED", "OPEN"} {
		gql(t, a, setStatus, map[string]any{"id": "rep-test-b1", "s": s}, nil)
	}
	resumed := subscribeSSE(t, ctx, a, fmt.Sprintf(`subscription { changes(kinds: [BOTTLENECK_STATUS], after: "%d") { seq } }`, last))
	for i := int64(1); i <= 3; i++ {
		if got := next(t, resumed, 2*time.Second); got.seq != last+i {
			t.Fatalf("resumed event %d has seq %d, want %d (%s)", i, got.seq, last+i, got.raw)
		}
	}
	gql(t, a, setStatus, map[string]any{"id": "rep-test-b1", "s": "IN_PROGRESS"}, nil)
	if got := next(t, resumed, time.Second); got.seq != last+4 {
		t.Fatalf("live event after resuming has seq %d, want %d", got.seq, last+4)
	}
	select {
	case extra := <-resumed:
		t.Fatalf("an event too many: %s", extra.raw)
	case <-time.After(600 * time.Millisecond):
	}

	// A bookmark from A makes a read on another replica see the write.
	b2, _ := startReplica(t, "8112")
	out, bm := gql(t, a, setStatus, map[string]any{"id": "rep-test-b1", "s": "RESOLVED"}, nil)
	ext, _ := out["extensions"].(map[string]any)
	if bm == "" || ext["bookmark"] != bm {
		t.Fatalf("bookmark header %q, extensions.bookmark %v: want the same, not empty", bm, ext["bookmark"])
	}
	got, _ := gql(t, b2, `{ bottleneck(id: "rep-test-b1") { status } }`, nil, http.Header{"Chainmap-Bookmark": {bm}})
	if s := got["data"].(map[string]any)["bottleneck"].(map[string]any)["status"]; s != "RESOLVED" {
		t.Errorf("read on B with A's bookmark: status %v, want RESOLVED", s)
	}

	// The log holds each change with who made it, readable as a query.
	log, _ := gql(t, b2, fmt.Sprintf(`{ changes(after: "%d", kinds: [BOTTLENECK_STATUS]) { edges { cursor node { seq author recordId before after } } pageInfo { hasNextPage endCursor } } }`, last), nil, nil)
	edges := log["data"].(map[string]any)["changes"].(map[string]any)["edges"].([]any)
	if len(edges) != 5 {
		t.Fatalf("changes after %d: %d edges, want 5", last, len(edges))
	}
}
