package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/server"
)

func post(t *testing.T, url, body string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Past the in-flight cap and its queue, requests get 503 with Retry-After at once; queued ones get their turn
// or a 503 after the queue wait.
func TestAdmission(t *testing.T) {
	release := make(chan struct{})
	var running sync.WaitGroup
	running.Add(2)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		running.Done()
		<-release
		_, _ = w.Write([]byte(`{"data":{}}`))
	})
	h := server.New(server.Config{GraphQL: slow, Metrics: server.NewMetrics(), MaxBodyBytes: 1 << 10,
		Limits: server.Limits{MaxInFlight: 2, MaxQueue: 2, QueueWait: 300 * time.Millisecond}})
	srv := httptest.NewServer(h)
	defer srv.Close()

	results := make(chan int, 4)
	for range 2 {
		go func() { resp, _ := post(t, srv.URL+"/graphql", `{}`); results <- resp.StatusCode }()
	}
	running.Wait() // both slots taken
	for range 2 {  // the queue
		go func() { resp, _ := post(t, srv.URL+"/graphql", `{}`); results <- resp.StatusCode }()
	}
	time.Sleep(50 * time.Millisecond)
	for i := range 5 {
		start := time.Now()
		resp, body := post(t, srv.URL+"/graphql", `{}`)
		if took := time.Since(start); resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" ||
			!strings.Contains(body, `"UNAVAILABLE"`) || took > 200*time.Millisecond {
			t.Errorf("request %d past the queue: %d (Retry-After %q) %s in %s, want a fast 503", i, resp.StatusCode, resp.Header.Get("Retry-After"), body, took)
		}
	}
	// The queued requests time out with 503; then the running ones finish.
	for range 2 {
		if code := <-results; code != 503 {
			t.Errorf("a queued request past the wait got %d, want 503", code)
		}
	}
	close(release)
	for range 2 {
		if code := <-results; code != 200 {
			t.Errorf("a running request got %d", code)
		}
	}
	_, metrics := get(t, srv.URL+"/metrics")
	if !strings.Contains(metrics, `chainmap_http_rejected_total{reason="busy"} 7`) {
		t.Errorf("metrics do not count 7 busy rejections")
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Operation names label metrics only when known: 2,000 invented names leave /metrics small.
func TestMetricsOperationNamesAreBounded(t *testing.T) {
	m := server.NewMetrics("PlannerDashboard")
	srv := httptest.NewServer(server.New(server.Config{
		GraphQL: graph.NewHandler(fakeStore{}, graph.Options{OnOperation: m.ObserveOperation}), Metrics: m, MaxBodyBytes: 1 << 20}))
	defer srv.Close()
	for i := range 2000 {
		post(t, srv.URL+"/graphql", fmt.Sprintf(`{"query":"query Q%d { chainMaps { id } }"}`, i))
	}
	post(t, srv.URL+"/graphql", `{"query":"query PlannerDashboard { chainMaps { id } }"}`)
	post(t, srv.URL+"/graphql", `{"query":"query ExplorerChainMaps { chainMaps { id } }"}`)
	_, metrics := get(t, srv.URL+"/metrics")
	t.Logf("/metrics: %d bytes after 2,000 operation names", len(metrics))
	if len(metrics) > 200<<10 {
		t.Errorf("/metrics is %d bytes after 2,000 operation names", len(metrics))
	}
	for _, want := range []string{`operation="other",outcome="ok"} 2000`, `operation="PlannerDashboard"`, `operation="ExplorerChainMaps"`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(metrics, `operation="Q1"`) {
		t.Errorf("an unknown operation name became a label")
	}
}

// A response over the bound is replaced by an error; the request context carries the server's deadline.
func TestResponseBoundAndDeadline(t *testing.T) {
	var deadline time.Time
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadline, _ = r.Context().Deadline()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":"` + strings.Repeat("x", 5000) + `"}`))
	})
	srv := httptest.NewServer(server.New(server.Config{GraphQL: big, Metrics: server.NewMetrics(), MaxBodyBytes: 1 << 10,
		Limits: server.Limits{MaxResponseBytes: 4096, RequestTimeout: 7 * time.Second}}))
	defer srv.Close()
	resp, body := post(t, srv.URL+"/graphql", `{}`)
	if resp.StatusCode != 422 || !strings.Contains(body, "RESPONSE_TOO_LARGE") {
		t.Errorf("got %d %.200s, want 422 RESPONSE_TOO_LARGE", resp.StatusCode, body)
	}
	if left := time.Until(deadline); left < 6*time.Second || left > 7*time.Second {
		t.Errorf("request deadline %s away, want 7 s", left)
	}
}

// A client trickling its body loses the connection at ReadTimeout and never takes an in-flight slot.
func TestSlowBodyIsCut(t *testing.T) {
	called := false
	h := server.New(server.Config{GraphQL: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }),
		Metrics: server.NewMetrics(), MaxBodyBytes: 1 << 20})
	ts := httptest.NewUnstartedServer(h)
	ts.Config = server.NewHTTPServer(h, server.Config{Limits: server.Limits{ReadTimeout: 300 * time.Millisecond}})
	ts.Start()
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	start := time.Now()
	for time.Since(start) < 3*time.Second {
		if _, err := conn.Write([]byte(" ")); err != nil {
			break
		}
		_ = conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := conn.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
			break // the server closed the connection
		}
	}
	if took := time.Since(start); took > 2*time.Second || called {
		t.Errorf("a trickling client was held %s (handler called: %v), want cut at the 300 ms ReadTimeout", took, called)
	}
	_ = context.Background()
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
