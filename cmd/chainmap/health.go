package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// health checks a URL for container health checks in images without a shell or curl (the runtime image is
// distroless): it exits 0 when the URL answers 2xx within the timeout.
func health(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("health", "health [-timeout 3s] URL\n\n"+
		"Exits 0 when URL answers with a 2xx status within the timeout, 1 otherwise: a container health check\n"+
		"for the API (e.g. http://127.0.0.1:8080/readyz, which answers 200 once Neo4j does).", stderr)
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fs.Arg(0), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("health: %s answered %s", fs.Arg(0), resp.Status)
	}
	fmt.Fprintf(stdout, "%s: %s\n", fs.Arg(0), resp.Status)
	return nil
}
