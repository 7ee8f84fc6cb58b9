package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/chainmap/chainmap"
)

// BookmarkHeader carries a Neo4j bookmark between a client and any replica. A mutation's response has it (and
// extensions.bookmark, the same value); a client that sends it back on a later request — to any replica —
// reads at least what that mutation wrote, even from a cluster member that was behind. The value is opaque.
const BookmarkHeader = "Chainmap-Bookmark"

func encodeBookmark(bms []string) string {
	b, _ := json.Marshal(bms)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeBookmarks reads the values of the header (several may be sent, each once or comma-separated); values
// that are not bookmarks are ignored, as the driver would refuse them.
func decodeBookmarks(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			var bms []string
			if json.Unmarshal(b, &bms) == nil {
				out = append(out, bms...)
			}
		}
	}
	return out
}

type streamKey struct{}

// onStream tells an operation that came over a WebSocket or SSE stream.
func onStream(ctx context.Context) bool { v, _ := ctx.Value(streamKey{}).(bool); return v }

// withBookmarks gives each request the bookmarks its client sent and returns those its writes produced in
// BookmarkHeader.
func withBookmarks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bm := chainmap.NewBookmarks(decodeBookmarks(r.Header.Values(BookmarkHeader)))
		r = r.WithContext(chainmap.WithBookmarks(r.Context(), bm))
		if r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			// streams: the writer must stay a Flusher and Hijacker; they carry subscriptions only
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), streamKey{}, true)))
			return
		}
		next.ServeHTTP(&bookmarkWriter{ResponseWriter: w, bm: bm}, r)
	})
}

type bookmarkWriter struct {
	http.ResponseWriter
	bm     *chainmap.Bookmarks
	headed bool
}

func (b *bookmarkWriter) head() {
	if !b.headed {
		b.headed = true
		if p := b.bm.Produced(); len(p) > 0 {
			b.Header().Set(BookmarkHeader, encodeBookmark(p))
		}
	}
}

func (b *bookmarkWriter) WriteHeader(code int) { b.head(); b.ResponseWriter.WriteHeader(code) }

func (b *bookmarkWriter) Write(p []byte) (int, error) { b.head(); return b.ResponseWriter.Write(p) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (b *bookmarkWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }
