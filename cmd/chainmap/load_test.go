package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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

// An export edited in Excel loads back with `chainmap load FILE`: over the embedded seeds (the file holds
// spreadsheets only), its rows update their records as seed data; an unedited export changes nothing.
func TestLoadEditedExport(t *testing.T) {
	neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enterprises.xlsx")
	if err := run(ctx, append(append([]string{"export"}, neo4jArgs()...), "-o", path, "enterprises.xlsx", "chainMapId=hydrogen"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, append(append([]string{"load"}, neo4jArgs()...), path), &out, io.Discard); err != nil {
		t.Fatalf("load of the unedited export: %v", err)
	}
	if strings.Contains(out.String(), "Enterprise ") && !regexp.MustCompile(`Enterprise\s+0\s+0\s+`).MatchString(out.String()) {
		t.Errorf("the unedited export changed enterprises:\n%s", out.String())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("enterprises")
	col := slices.Index(rows[0], "description")
	for i, r := range rows {
		if r[0] == "sinohytec" {
			cell, _ := excelize.CoordinatesToCellName(col+1, i+1)
			f.SetCellStr("enterprises", cell, "Corrected in Excel.")
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append(append([]string{"load"}, neo4jArgs()...), path), io.Discard, io.Discard); err != nil {
		t.Fatalf("load of the edited export: %v", err)
	}
	got := neo4jtest.Query(t, `MATCH (e:Enterprise {id: 'sinohytec'}) RETURN e.description AS d, e.origin AS o, e.editedFields AS f`, nil)[0]
	if got["d"] != "Corrected in Excel." || got["o"] != "seed" || got["f"] != nil {
		t.Errorf("after loading the edited export: %v, want the description as seed data", got)
	}
}
