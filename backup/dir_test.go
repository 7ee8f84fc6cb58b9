package backup_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/loader"
)

// Dump directories are written whole or not at all, and pruning keeps the newest and clears what interrupted
// writes left.
func TestDumpDirectories(t *testing.T) {
	root := t.TempDir()
	files := []loader.File{{Name: "dump.yaml", Data: []byte("changeLog:\n  seq: 1\n")}, {Name: "synthetic/x.yaml", Data: []byte("x: 1\n")}}
	var dirs []string
	for i := 0; i < 4; i++ {
		d := filepath.Join(root, backup.DumpName(time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC), int64(i)))
		if err := backup.WriteDir(d, files); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	if err := backup.WriteDir(dirs[0], files); !errors.Is(err, backup.ErrExists) {
		t.Errorf("writing over a dump: %v, want ErrExists", err)
	}
	if err := backup.WriteDir(filepath.Join(root, "dump-bad"), []loader.File{{Name: "../escape.yaml"}}); err == nil {
		t.Error("a file outside the dump was written")
	}
	if _, err := os.Stat(filepath.Join(root, "dump-bad")); !os.IsNotExist(err) {
		t.Errorf("a failed write left %s behind: %v", "dump-bad", err)
	}
	// What a crash in the middle of a write leaves: a hidden .partial directory.
	os.MkdirAll(filepath.Join(root, ".dump-20260101T050000.000Z-seq5.partial-123", "synthetic"), 0o755)
	removed, err := backup.Prune(root, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 3 {
		t.Errorf("removed %v, want the two oldest dumps and the partial one", removed)
	}
	left, _ := backup.Dumps(root)
	if len(left) != 2 || left[0] != dirs[2] || left[1] != dirs[3] {
		t.Errorf("kept %v, want the newest two", left)
	}
	if got, _ := backup.FindDump(root); got != dirs[3] {
		t.Errorf("FindDump(%s) = %s, want the newest", root, got)
	}
	if got, _ := backup.FindDump(dirs[2]); got != dirs[2] {
		t.Errorf("FindDump of a dump = %s, want itself", got)
	}
	if err := backup.ReplaceDir(dirs[2], files[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dirs[2], "synthetic")); !os.IsNotExist(err) {
		t.Error("ReplaceDir kept files of the old dump")
	}
}
