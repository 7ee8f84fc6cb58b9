package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
)

// A job's lines count rows, until a part counts something else (gen publishing firms in batches): then they
// count that, at a rate over that part. No database.
func TestProgressCountsInItsUnit(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, "gen")
	p.update(chainmap.Progress{Step: "supplies", Done: 10, Total: 10})
	p.update(chainmap.Progress{Step: "publish", Done: 5, Total: 5, Unit: "firms"})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines: %q", lines)
	}
	if !strings.Contains(lines[0], " 10/10 rows, ") || !strings.Contains(lines[0], " rows/s (supplies)") {
		t.Errorf("rows: %q", lines[0])
	}
	if !strings.Contains(lines[1], " 5/5 firms, ") || !strings.Contains(lines[1], " firms/s (publish)") {
		t.Errorf("firms: %q", lines[1])
	}
}
