package neo4jdb

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/chainmap/chainmap"
)

// Once a query finds Neo4j unreachable, the next ones fail with UNAVAILABLE at once, not after the driver's
// connect timeouts and retries.
func TestBreakerFailsFastWhenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port that refuses bolt: taken, then closed
	if err != nil {
		t.Fatal(err)
	}
	uri := "bolt://" + ln.Addr().String()
	ln.Close()
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth("neo4j", "x", ""), func(c *config.Config) {
		c.SocketConnectTimeout = time.Second
		c.MaxTransactionRetryTime = time.Second
	})
	if err != nil {
		t.Fatal(err)
	}
	var opened atomic.Int32
	db := &DB{driver: driver, cfg: Config{URI: uri, ProbeInterval: time.Hour, OnBreaker: func(open bool, _ error) {
		if open {
			opened.Add(1)
		}
	}}, brk: breaker{stop: make(chan struct{})}}
	db.runner = db
	defer db.Close(context.Background())

	if _, err := db.read(context.Background(), "First", "RETURN 1", nil); !errors.Is(err, chainmap.ErrUnavailable) {
		t.Fatalf("first query: %v, want ErrUnavailable", err)
	}
	for i := range 20 {
		start := time.Now()
		_, err := db.read(context.Background(), "Next", "RETURN 1", nil)
		if took := time.Since(start); !errors.Is(err, chainmap.ErrUnavailable) || took > 100*time.Millisecond {
			t.Fatalf("query %d after the breaker opened: %v in %s, want ErrUnavailable in < 100 ms", i, err, took)
		}
	}
	if err := db.Ping(context.Background()); !errors.Is(err, chainmap.ErrUnavailable) {
		t.Errorf("Ping: %v", err)
	}
	if n := opened.Load(); n != 1 {
		t.Errorf("the breaker opened %d times, want 1", n)
	}
}

// The probe closes the breaker as soon as Neo4j answers: recovery is automatic.
func TestBreakerRecovers(t *testing.T) {
	db := openTest(t, 0)
	db.cfg.ProbeInterval = 50 * time.Millisecond
	db.trip(errors.New("test: pretend neo4j went away"))
	if _, err := db.read(context.Background(), "Tripped", "RETURN 1", nil); !errors.Is(err, chainmap.ErrUnavailable) {
		t.Fatalf("query with the breaker open: %v, want ErrUnavailable", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := db.read(context.Background(), "Recovered", "RETURN 1", nil)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still failing 5 s after the breaker opened on a reachable server: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Errors of a server that answers (a deadlock, a timeout, bad Cypher, a cancelled request) leave the breaker
// closed.
func TestBreakerIgnoresAnsweringServer(t *testing.T) {
	db := openTest(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = db.read(ctx, "Cancelled", "RETURN 1", nil)
	_, _ = db.read(context.Background(), "Bad", "RETURN nonsense(", nil)
	if db.brk.open.Load() {
		t.Fatal("the breaker opened on errors of a server that answers")
	}
}
