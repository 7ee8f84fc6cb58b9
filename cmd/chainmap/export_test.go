package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

func TestExportCommand(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	dir := t.TempDir()
	ctx := context.Background()
	exp := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, append(append([]string{"export"}, neo4jArgs()...), args...), &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}

	out := filepath.Join(dir, "h.csv")
	if msg, err := exp("-o", out, "enterprises.csv", "chainMapId=hydrogen"); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\uFEFFid,name,nameZh")) || bytes.Count(b, []byte("\n")) < 5 {
		t.Errorf("CSV %q", b[:min(len(b), 200)])
	}

	xlsx := filepath.Join(dir, "b.xlsx")
	if msg, err := exp("-o", xlsx, "bottlenecks.xlsx", "status=OPEN", "minSeverity=4"); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("bottlenecks")
	f.Close()
	if len(rows) < 2 {
		t.Errorf("XLSX rows %v", rows)
	}

	var stdout bytes.Buffer
	if err := run(ctx, append(append([]string{"export"}, neo4jArgs()...), "-o", "-", "graph.graphml", "chainMapId=robots"), &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), `<node id="robots">`) || !strings.HasSuffix(stdout.String(), "</graphml>\n") {
		t.Errorf("GraphML on stdout: %.300s", stdout.String())
	}
	stdout.Reset()
	if err := run(ctx, append(append([]string{"export"}, neo4jArgs()...), "-o", "-", "graph.gexf", "chainMapId=robots"), &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), `<node id="robots" label="机器人">`) || !strings.HasSuffix(stdout.String(), "</gexf>\n") {
		t.Errorf("GEXF on stdout: %.300s", stdout.String())
	}

	// Bad input: a clear error and no file.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"enterprises.csv", "stage=up"}, "want one of UPSTREAM"},
		{[]string{"enterprises.csv", "stage"}, "want param=value"},
		{[]string{"nodes.csv"}, "no such export"},
		{[]string{"graph.graphml", "chainMapId=no-such-map"}, "not found"},
	} {
		bad := filepath.Join(dir, "bad")
		_, err := exp(append([]string{"-o", bad}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("export %v = %v, want an error containing %q", tc.args, err, tc.want)
		}
		if _, statErr := os.Stat(bad); statErr == nil {
			t.Errorf("export %v left a file", tc.args)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
