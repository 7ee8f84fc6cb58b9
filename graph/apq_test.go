package graph_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
)

// TestPersistedQueries: Apollo's automatic persisted queries as docs/api.md describes them — a hash alone is
// PersistedQueryNotFound until the query has been sent with it once, then the hash alone runs it; a hash that
// does not match, another version or a malformed extension are BAD_USER_INPUT (PERSISTED_QUERY_INVALID), never
// INTERNAL.
func TestPersistedQueries(t *testing.T) {
	srv := newServerOver(t, failingStore{err: chainmap.ErrUnavailable}, graph.Options{})
	const query = `{ __typename }`
	sum := sha256.Sum256([]byte(query))
	hash := hex.EncodeToString(sum[:])
	post := func(body map[string]any) response {
		t.Helper()
		b, _ := json.Marshal(body)
		resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r response
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	ext := func(version any, hash string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": version, "sha256Hash": hash}}
	}
	r := post(map[string]any{"extensions": ext(1, hash)})
	if r.code() != "BAD_USER_INPUT" || r.Errors[0].Message != "PersistedQueryNotFound" || r.Errors[0].Extensions["reason"] != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %+v, want PersistedQueryNotFound", r.Errors)
	}
	if r := post(map[string]any{"query": query, "extensions": ext(1, hash)}); len(r.Errors) > 0 || string(r.Data) != `{"__typename":"Query"}` {
		t.Fatalf("query with its hash: %s %+v", r.Data, r.Errors)
	}
	if r := post(map[string]any{"extensions": ext(1, hash)}); len(r.Errors) > 0 || string(r.Data) != `{"__typename":"Query"}` {
		t.Fatalf("known hash alone: %s %+v", r.Data, r.Errors)
	}
	for name, body := range map[string]map[string]any{
		"hash of another query": {"query": `{ chainMaps { id } }`, "extensions": ext(1, hash)},
		"version 2":             {"query": query, "extensions": ext(2, hash)},
		"not an object":         {"query": query, "extensions": map[string]any{"persistedQuery": "yes"}},
	} {
		if r := post(body); r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["reason"] != "PERSISTED_QUERY_INVALID" {
			t.Errorf("%s: %+v, want BAD_USER_INPUT, reason PERSISTED_QUERY_INVALID", name, r.Errors)
		}
	}
}
