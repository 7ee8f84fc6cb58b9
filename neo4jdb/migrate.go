package neo4jdb

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Migrate applies the schema statements (constraints and indexes) of every *.cypher file in fsys, in file-name
// order. The statements must be idempotent (IF NOT EXISTS), so Migrate can run at every start. It returns the
// number of statements run.
func (db *DB) Migrate(ctx context.Context, fsys fs.FS) (int, error) {
	names, err := fs.Glob(fsys, "*.cypher")
	if err != nil {
		return 0, err
	}
	sort.Strings(names)
	n := 0
	for _, name := range names {
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return n, err
		}
		for _, stmt := range statements(string(text)) {
			if _, err := db.write(ctx, "Migrate", stmt, nil); err != nil {
				return n, fmt.Errorf("migrate %s: %q: %w", name, stmt, err)
			}
			n++
		}
	}
	// Wait for new indexes to come online so that the first queries after a migration use them: past the
	// per-query timeout, since a new index on a large graph takes longer (a million supply links: about a minute).
	if _, err := db.inTxWith(ctx, "Migrate", longTx("Migrate"), func(run txRunner) (any, error) {
		return run("CALL db.awaitIndexes(300)", nil)
	}); err != nil {
		return n, fmt.Errorf("migrate: await indexes: %w", err)
	}
	// The migrations may have changed data; answers kept before them are not to be reused (answers.go).
	if _, err := db.write(ctx, "Migrate", newEpoch, nil); err != nil {
		return n, fmt.Errorf("migrate: %w", err)
	}
	return n, nil
}

// statements splits a Cypher script into statements on ';', dropping // comment lines.
func statements(script string) []string {
	var lines []string
	for _, line := range strings.Split(script, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "//") {
			lines = append(lines, line)
		}
	}
	var out []string
	for _, s := range strings.Split(strings.Join(lines, "\n"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
