package graph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chainmap/chainmap"
)

// BookmarkHeader carries a Neo4j bookmark between a client and any replica. A mutation's response has it (and
// extensions.bookmark, the same value); a client that sends it back on a later request — to any replica —
// reads at least what that mutation wrote, even from a cluster member that was behind. The value is opaque:
// the bookmarks, signed with a key every replica shares (Options.BookmarkKey), so that a value this API did not
// give is refused (BAD_REQUEST) before it reaches the database.
const BookmarkHeader = "Chainmap-Bookmark"

// Bounds on what a client may send in BookmarkHeader: a few values (one per write it wants to read), each
// naming a few bookmarks; Neo4j's are about 40 characters.
const (
	maxBookmarkHeaderBytes = 4 << 10
	maxBookmarks           = 8
	maxBookmarkBytes       = 256
	// MaxBookmarkWaitsPerClient bounds the requests with a bookmark one client has in flight: each may wait
	// the bookmark budget for the database, and those waits count against their client, not against all.
	MaxBookmarkWaitsPerClient = 4
)

// bookmarkCodec signs and checks bookmark values. With no key it only checks their shape.
type bookmarkCodec struct{ key []byte }

func (c bookmarkCodec) mac(payload string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func (c bookmarkCodec) encode(bms []string) string {
	b, _ := json.Marshal(bms)
	payload := base64.RawURLEncoding.EncodeToString(b)
	if len(c.key) == 0 {
		return payload
	}
	return payload + "." + c.mac(payload)
}

var errNotABookmark = errors.New("the Chainmap-Bookmark header holds a value this API did not give: send back a mutation's Chainmap-Bookmark as it came, or nothing")

// decode reads the values of the header (several may be sent, each once or comma-separated). Anything that is
// not a bookmark this API gave — a forged or altered value, broken encoding, too many or too long — is an error.
func (c bookmarkCodec) decode(values []string) ([]string, error) {
	size := 0
	for _, v := range values {
		size += len(v)
	}
	if size > maxBookmarkHeaderBytes {
		return nil, fmt.Errorf("the Chainmap-Bookmark header is %d bytes; the limit is %d", size, maxBookmarkHeaderBytes)
	}
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			payload, sig, signed := strings.Cut(part, ".")
			if len(c.key) > 0 && (!signed || !hmac.Equal([]byte(sig), []byte(c.mac(payload)))) {
				return nil, errNotABookmark
			}
			b, err := base64.RawURLEncoding.DecodeString(payload)
			if err != nil {
				return nil, errNotABookmark
			}
			var bms []string
			if err := json.Unmarshal(b, &bms); err != nil {
				return nil, errNotABookmark
			}
			for _, bm := range bms {
				if bm == "" || len(bm) > maxBookmarkBytes {
					return nil, errNotABookmark
				}
			}
			out = append(out, bms...)
			if len(out) > maxBookmarks {
				return nil, fmt.Errorf("the Chainmap-Bookmark header names more than %d bookmarks: send the latest only", maxBookmarks)
			}
		}
	}
	return out, nil
}

type streamKey struct{}

// onStream tells an operation that came over a WebSocket or SSE stream.
func onStream(ctx context.Context) bool { v, _ := ctx.Value(streamKey{}).(bool); return v }

// isStreamRequest tells a subscription transport: a WebSocket upgrade, or a graphql-sse POST. It must say what
// server.isStream says, which sends streams past admission.
func isStreamRequest(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// clientWaits counts, per client, the requests with a bookmark in flight.
type clientWaits struct {
	mu  sync.Mutex
	n   map[string]int
	max int
}

func (c *clientWaits) acquire(client string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[client] >= c.max {
		return false
	}
	c.n[client]++
	return true
}

func (c *clientWaits) release(client string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[client]--; c.n[client] <= 0 {
		delete(c.n, client)
	}
}

// requestState is what one request's parts tell its response writer.
type requestState struct {
	retryAfter atomic.Bool // an error asks the client to retry shortly (REPLICA_BEHIND)
}

type requestStateKey struct{}

func stateFrom(ctx context.Context) *requestState {
	s, _ := ctx.Value(requestStateKey{}).(*requestState)
	return s
}

// responseHeads sets the response headers that depend on what the request did: the bookmarks its writes
// produced (BookmarkHeader) and Retry-After when an error asks for it.
type responseHeads struct {
	http.ResponseWriter
	bm     *chainmap.Bookmarks
	codec  bookmarkCodec
	state  *requestState
	headed bool
}

func (b *responseHeads) head() {
	if !b.headed {
		b.headed = true
		if p := b.bm.Produced(); len(p) > 0 {
			b.Header().Set(BookmarkHeader, b.codec.encode(p))
		}
		if b.state != nil && b.state.retryAfter.Load() {
			b.Header().Set("Retry-After", "1")
		}
	}
}

func (b *responseHeads) WriteHeader(code int) { b.head(); b.ResponseWriter.WriteHeader(code) }

func (b *responseHeads) Write(p []byte) (int, error) { b.head(); return b.ResponseWriter.Write(p) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (b *responseHeads) Unwrap() http.ResponseWriter { return b.ResponseWriter }
