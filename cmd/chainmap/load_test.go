package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// `chainmap load -prune` of an empty folder refuses and deletes nothing; -force does it (issue 9, item 7).
func TestLoadPruneEmptyFolderRefuses(t *testing.T) {
	neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
	before := neo4jtest.Query(t, `MATCH (n) WHERE n.origin = 'seed' RETURN count(n) AS n`, nil)[0]["n"]
	empty := t.TempDir()
	err := run(context.Background(), append([]string{"load", "-prune"}, append(neo4jArgs(), empty)...), io.Discard, io.Discard)
	if !errors.Is(err, chainmap.ErrPruneRefused) || !strings.Contains(err.Error(), "-force") {
		t.Fatalf("load -prune <empty folder>: %v, want a refusal that mentions -force", err)
	}
	if after := neo4jtest.Query(t, `MATCH (n) WHERE n.origin = 'seed' RETURN count(n) AS n`, nil)[0]["n"]; after != before {
		t.Fatalf("curated nodes %v → %v after a refused prune", before, after)
	}
	if err := run(context.Background(), append([]string{"load", "-prune", "-max-prune", "0"}, neo4jArgs()...), io.Discard, io.Discard); err == nil {
		t.Error("-max-prune 0 accepted")
	}
}

// An oversized seed file is refused with its name before it is read.
func TestLoadRefusesLargeFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(name, make([]byte, loader.MaxFileBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"load", "-dry-run", name}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "more than the") {
		t.Errorf("load of a %d-byte file: %v, want an error naming it", loader.MaxFileBytes+1, err)
	}
}
