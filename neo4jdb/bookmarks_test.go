package neo4jdb

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// writeBookmark commits a write and returns the bookmark Neo4j gave it.
func writeBookmark(t *testing.T, db *DB) string {
	t.Helper()
	ctx := context.Background()
	s := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database})
	defer s.Close(ctx)
	if _, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		_, err := tx.Run(ctx, "MERGE (n:BookmarkTest {id: 1}) SET n.at = timestamp()", nil)
		return nil, err
	}); err != nil {
		t.Fatal(err)
	}
	bms := neo4j.BookmarksToRawValues(s.LastBookmarks())
	if len(bms) != 1 {
		t.Fatalf("bookmarks %v, want one", bms)
	}
	return bms[0]
}

// futureOf moves the transaction id a Neo4j 5 bookmark names (after the database's 16-byte UUID) far ahead.
func futureOf(t *testing.T, bm string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(bm[len("FB:"):])
	i := bytes.Index(raw, []byte{0xcc, 0x10})
	if err != nil || i < 0 || len(raw) < i+19 {
		t.Fatalf("unexpected bookmark layout %q: %v", bm, err)
	}
	head, rest := raw[:i+18], raw[i+18:]
	rest = rest[map[byte]int{0xc8: 2, 0xc9: 3, 0xca: 5, 0xcb: 9}[rest[0]]+map[bool]int{true: 1}[rest[0] < 0xc8 || rest[0] > 0xcb]:]
	forged := append(append(append([]byte{}, head...), 0xca, 0x7f, 0xff, 0xff, 0x00), rest...)
	return "FB:" + base64.StdEncoding.EncodeToString(forged)
}

func withSent(bms ...string) context.Context {
	return chainmap.WithBookmarks(context.Background(), chainmap.NewBookmarks(bms))
}

// A read with a bookmark waits for it, but no longer than BookmarkWait: a bookmark naming a transaction the
// database has not got answers ErrReplicaBehind, and leaves the breaker closed for everyone else.
func TestBookmarkWaitIsBounded(t *testing.T) {
	db := openTest(t, 0)
	bm := writeBookmark(t, db)

	// The budget bounds the begin of the transaction, connection and all: on a loaded machine that alone can
	// take longer than the short budget below, so the genuine read gets a budget no load here reaches.
	db.cfg.BookmarkWait = 20 * time.Second
	res, err := db.read(withSent(bm), "Genuine", "MATCH (n:BookmarkTest {id: 1}) RETURN n.id AS id", nil)
	if err != nil || len(res.Records) != 1 || len(res.Keys) != 1 || res.Keys[0] != "id" {
		t.Fatalf("read with a genuine bookmark: %v, %+v", err, res)
	}

	db.cfg.BookmarkWait = 300 * time.Millisecond

	for range 3 {
		start := time.Now()
		_, err = db.read(withSent(futureOf(t, bm)), "Future", "RETURN 1", nil)
		took := time.Since(start)
		if !errors.Is(err, chainmap.ErrReplicaBehind) || took > 2*time.Second {
			t.Fatalf("read with a future bookmark: %v after %s, want ErrReplicaBehind after about 300 ms", err, took)
		}
		if chainmap.ErrorCode(err) != chainmap.CodeReplicaBehind {
			t.Fatalf("code %s", chainmap.ErrorCode(err))
		}
	}
	if db.brk.open.Load() {
		t.Fatal("a client's bookmark opened the breaker")
	}
	if _, err := db.read(context.Background(), "After", "RETURN 1", nil); err != nil {
		t.Fatalf("a plain read after the bookmark waits: %v", err)
	}
}

// A bookmark Neo4j cannot read is the client's error (BAD_REQUEST), not the database's.
func TestBadBookmarkIsTheClients(t *testing.T) {
	db := openTest(t, 0)
	_, err := db.read(withSent("FB:bm90IGEgYm9va21hcms="), "Bad", "RETURN 1", nil)
	if chainmap.ErrorCode(err) != chainmap.CodeBadRequest {
		t.Fatalf("read with a garbled bookmark: %v (code %s), want BAD_REQUEST", err, chainmap.ErrorCode(err))
	}
	if db.brk.open.Load() {
		t.Fatal("a garbled bookmark opened the breaker")
	}
}

// A request that runs out of time while Neo4j works on its query is the request's deadline, not Neo4j going
// away: the breaker stays closed.
func TestDeadlineDoesNotOpenBreaker(t *testing.T) {
	db := openTest(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := db.read(ctx, "Slow", "UNWIND range(1, 300000000) AS x RETURN count(x)", nil)
	if err == nil {
		t.Fatal("a 300-million-row count finished in 200 ms")
	}
	if db.brk.open.Load() {
		t.Fatalf("a request's deadline opened the breaker: %v", err)
	}
}
