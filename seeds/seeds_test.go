package seeds

import (
	"io/fs"
	"os"
	"path"
	"slices"
	"testing"
)

// TestEmbedded checks that every seed file in the folder is embedded: a file the loader would read from a
// checkout but the binary lacks (CSV seeds once were) is loaded by `chainmap load seeds/` and silently ignored
// by `make run` and the container.
func TestEmbedded(t *testing.T) {
	seedFiles := func(fsys fs.FS) []string {
		var out []string
		err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch path.Ext(name) {
			case ".yaml", ".yml", ".csv", ".xlsx":
				out = append(out, name)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	onDisk, embedded := seedFiles(os.DirFS(".")), seedFiles(FS)
	if !slices.Equal(onDisk, embedded) {
		t.Errorf("seed files on disk %v, embedded %v", onDisk, embedded)
	}
	if _, err := fs.Stat(FS, "csv"); err != nil {
		t.Errorf("csv/ is not embedded: %v", err)
	}
}
