package main

import (
	"context"

	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chainmap/chainmap/export"
)

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export [flags] FILE [param=value...]\n\n"+
		"Writes an export, as GET /export/FILE does: FILE is one of "+strings.Join(export.Files, ", ")+";\n"+
		"the parameters are the list filters of the GraphQL API (e.g. chainMapId=hydrogen regionCode=130000\n"+
		"status=OPEN), or chainMapId for the graph. The file is written whole or not at all.", stderr)
	var (
		db  neo4jFlags
		out string
	)
	db.register(fs)
	fs.StringVar(&out, "o", "", "output path (default: FILE in the current folder; - for standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return errUsage
	}
	q := url.Values{}
	for _, kv := range fs.Args()[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("argument %q: want param=value", kv)
		}
		q.Add(k, v)
	}
	req, err := export.Parse(fs.Arg(0), q)
	if err != nil {
		return err
	}
	if out == "" {
		out = req.File
	}
	store, err := db.open(ctx, nil)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())

	start := time.Now()
	if out == "-" {
		return req.Write(ctx, store, stdout)
	}
	// Write beside the target, then rename: a failed export leaves no half file behind.
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	cw := &countingWriter{w: tmp}
	err = req.Write(ctx, store, cw)
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp makes the file private; an export is an ordinary file
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", req.File, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "chainmap: wrote %s (%d bytes) in %s\n", out, cw.n, time.Since(start).Round(time.Millisecond))
	return nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
