// Package backup takes backups of the graph and restores them. A dump (Dump) is the whole graph as seed files
// that `chainmap load` reads back into an empty database, node for node and relationship for relationship;
// the archive (Archiver) copies the change log into append-only files outside Neo4j, as databases archive
// their write-ahead logs; a restore (Restore) loads the last dump and replays the archived changes after it.
// Schedule takes a dump at a fixed interval, one replica at a time (a lease in Neo4j).
package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
)

// GraphReader reads a whole graph as stored (neo4jdb.DB.ReadGraph).
type GraphReader interface {
	ReadGraph(ctx context.Context, progress func(chainmap.Progress) error) (*chainmap.StoredGraph, error)
}

// Summary says what a dump holds.
type Summary struct {
	ChangeLogSeq int64 // the change log's position the dump reflects
	SettledSeq   int64 // set when changes committed while it was read (see chainmap.StoredGraph)
	Nodes, Rels  int
	Generic      bool // the records did not read back as seed records: the dump holds nodes and relationships
	Files        int
	Bytes        int64
	Took         time.Duration
}

// Dump reads the whole graph and returns it as seed files (loader.Encode), proved before it is returned: the
// files, read back, give the graph that was read. When the graph's records do not read back as seed records
// (they break a seed rule, or the records do not describe the graph), the dump holds every node and
// relationship as stored instead, which always reads back, and says so in Summary.Generic and in a warning.
// It holds every file in memory: DumpTo writes them into a directory as they are made.
func Dump(ctx context.Context, store GraphReader, log *slog.Logger, progress func(chainmap.Progress) error) ([]loader.File, Summary, error) {
	out := &memFiles{}
	read := func() (*chainmap.StoredGraph, error) { return store.ReadGraph(ctx, progress) }
	s, err := dump(read, out, log)
	if err != nil {
		return nil, Summary{}, err
	}
	sort.Slice(out.files, func(i, j int) bool { return out.files[i].Name < out.files[j].Name })
	return out.files, s, nil
}

// DumpTo takes a dump as Dump does and writes it into the directory dir, which must not exist unless
// replace, atomically: each file is written, synced and dropped as soon as it is made, into a hidden
// directory beside dir (see WriteDir) that is renamed to dir once the files, read back from the disk, are
// proved. Its memory is bounded by the graph as read, not by the dump's copies of it: see
// docs/performance.md#backups.
func DumpTo(ctx context.Context, store GraphReader, dir string, replace bool, log *slog.Logger,
	progress func(chainmap.Progress) error) (Summary, error) {
	if _, err := os.Stat(dir); err == nil && !replace {
		return Summary{}, fmt.Errorf("%s: %w", dir, ErrExists)
	}
	_, s, err := dumpInto(ctx, store, filepath.Dir(dir), "."+filepath.Base(dir)+".partial-",
		func(Summary) string { return dir }, replace, log, progress)
	return s, err
}

// dumpInto takes a dump into a new directory in parent (tmpPattern names it while it is written) and renames
// it to name(summary) once it is proved.
func dumpInto(ctx context.Context, store GraphReader, parent, tmpPattern string, name func(Summary) string, replace bool,
	log *slog.Logger, progress func(chainmap.Progress) error) (dir string, s Summary, err error) {
	out, err := newDirFiles(parent, tmpPattern)
	if err != nil {
		return "", Summary{}, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(out.dir)
		}
	}()
	read := func() (*chainmap.StoredGraph, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return store.ReadGraph(ctx, progress)
	}
	if s, err = dump(read, out, log); err != nil {
		return "", s, err
	}
	if err := ctx.Err(); err != nil {
		return "", s, err
	}
	dir = name(s)
	if err := out.commit(dir, replace); err != nil {
		return "", s, err
	}
	return dir, s, nil
}

// Encode writes a stored graph as dump files: as seed records with what they carry besides, or, when that
// does not read back as g, as nodes and relationships (generic is then true). Either way the files are read
// back and compared with g before Encode returns them.
func Encode(g *chainmap.StoredGraph, log *slog.Logger) (files []loader.File, generic bool, err error) {
	out := &memFiles{}
	s, err := dump(func() (*chainmap.StoredGraph, error) { return g, nil }, out, log)
	if err != nil {
		return nil, s.Generic, err
	}
	sort.Slice(out.files, func(i, j int) bool { return out.files[i].Name < out.files[j].Name })
	return out.files, s.Generic, nil
}

// dumpFiles is where a dump's files go as they are made, and where they are read back from.
type dumpFiles interface {
	write(loader.File) error
	readBack() ([]loader.File, error)
	reset() error // drops every file written
}

// dump reads the graph (read), writes it as dump files into out, and proves them, holding at most one copy of
// the graph at a time besides indexes and fingerprints: the graph as read while its records are made and
// reconciled; then, once it is fingerprinted and dropped, the records while they are encoded, each file
// handed to out as it is made; then the files read back from out, one fingerprinted node or relationship at
// a time. When the records do not read back as the graph, it reads the graph again (read) and writes it as
// nodes and relationships.
func dump(read func() (*chainmap.StoredGraph, error), out dumpFiles, log *slog.Logger) (Summary, error) {
	start := time.Now()
	g, err := read()
	if err != nil {
		return Summary{}, fmt.Errorf("dump: read the graph: %w", err)
	}
	s := Summary{ChangeLogSeq: g.ChangeLogSeq, SettledSeq: g.SettledSeq, Nodes: len(g.Nodes), Rels: len(g.Rels)}
	written := func(f loader.File) error {
		s.Files++
		s.Bytes += int64(len(f.Data))
		return out.write(f)
	}
	var print *chainmap.GraphPrint
	print, err = encodeRecords(g, written)
	g = nil
	if err == nil {
		err = verify(out, print)
	}
	if err == nil {
		s.Took = time.Since(start)
		return s, nil
	}
	if log != nil {
		log.Warn("dump: the records do not read back as seed records, so the dump holds nodes and relationships as stored",
			"err", err)
	}
	s.Generic, s.Files, s.Bytes = true, 0, 0
	if err := out.reset(); err != nil {
		return s, err
	}
	if g, err = read(); err != nil {
		return s, fmt.Errorf("dump: read the graph: %w", err)
	}
	s.ChangeLogSeq, s.SettledSeq, s.Nodes, s.Rels = g.ChangeLogSeq, g.SettledSeq, len(g.Nodes), len(g.Rels)
	print = chainmap.PrintOf(g)
	err = loader.EncodeTo(neo4jdb.GenericDataset(g), written)
	g = nil
	if err == nil {
		err = verify(out, print)
	}
	if err != nil {
		return s, fmt.Errorf("dump: %w", err)
	}
	s.Took = time.Since(start)
	return s, nil
}

// encodeRecords writes g as seed records and what they carry besides (neo4jdb.Reconcile), handing each file to
// write as it is made, and returns g's fingerprint. The caller drops g: encodeRecords holds it no longer
// than it needs it.
func encodeRecords(g *chainmap.StoredGraph, write func(loader.File) error) (*chainmap.GraphPrint, error) {
	files, err := loader.Encode(neo4jdb.DatasetOf(g))
	if err != nil {
		return nil, err
	}
	parsed, err := loader.Parse(files)
	files = nil
	if err != nil {
		return nil, err
	}
	state, err := neo4jdb.Reconcile(parsed, g)
	parsed = nil
	if err != nil {
		return nil, err
	}
	print := chainmap.PrintOf(g)
	ds := neo4jdb.DatasetOf(g)
	ds.Dump = state
	return print, loader.EncodeTo(ds, write)
}

// verify reads the files back and compares the graph they give, one node or relationship at a time, with the
// fingerprint of the graph they were made from.
func verify(out dumpFiles, want *chainmap.GraphPrint) error {
	files, err := out.readBack()
	if err != nil {
		return fmt.Errorf("the dump does not read back: %w", err)
	}
	ds, err := loader.Parse(files)
	files = nil
	if err != nil {
		return fmt.Errorf("the dump does not read back: %w", err)
	}
	got, err := neo4jdb.PrintOf(ds)
	if err != nil {
		return fmt.Errorf("the dump does not read back: %w", err)
	}
	if d := want.Diff(got); d != "" {
		return fmt.Errorf("the dump reads back as another graph: %s", d)
	}
	return nil
}

// memFiles holds a dump's files in memory.
type memFiles struct{ files []loader.File }

func (m *memFiles) write(f loader.File) error        { m.files = append(m.files, f); return nil }
func (m *memFiles) readBack() ([]loader.File, error) { return m.files, nil }
func (m *memFiles) reset() error                     { m.files = nil; return nil }

// dirFiles writes a dump's files into a hidden directory, each synced as it is written, and renames it once
// the dump is complete.
type dirFiles struct {
	parent, pattern, dir string
	dirs                 map[string]bool
}

func newDirFiles(parent, pattern string) (*dirFiles, error) {
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return nil, err
	}
	d := &dirFiles{parent: parent, pattern: pattern}
	return d, d.reset()
}

func (d *dirFiles) reset() error {
	if d.dir != "" {
		if err := os.RemoveAll(d.dir); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp(d.parent, d.pattern)
	if err != nil {
		return err
	}
	d.dir, d.dirs = dir, map[string]bool{dir: true}
	return nil
}

func (d *dirFiles) write(f loader.File) error {
	path := filepath.Join(d.dir, filepath.FromSlash(f.Name))
	if !strings.HasPrefix(path, d.dir+string(filepath.Separator)) {
		return fmt.Errorf("dump file %q is outside the dump", f.Name)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	d.dirs[filepath.Dir(path)] = true
	return writeSynced(path, f.Data)
}

func (d *dirFiles) readBack() ([]loader.File, error) { return loader.ReadFS(os.DirFS(d.dir), ".") }

// commit syncs the directories and renames the dump to dir; with replace, a dir that exists is moved aside
// first and removed after.
func (d *dirFiles) commit(dir string, replace bool) error {
	for sub := range d.dirs {
		if err := syncDir(sub); err != nil {
			return err
		}
	}
	if _, err := os.Stat(dir); err == nil {
		if !replace {
			return fmt.Errorf("%s: %w", dir, ErrExists)
		}
		old := dir + ".old"
		os.RemoveAll(old)
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		if err := os.Rename(d.dir, dir); err != nil {
			return err
		}
		if err := os.RemoveAll(old); err != nil {
			return err
		}
	} else if err := os.Rename(d.dir, dir); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// ErrExists is returned by WriteDir when the directory exists.
var ErrExists = errors.New("exists")

// WriteDir writes files into the directory dir, which must not exist, atomically: into a temporary directory
// beside it first, each file synced, then renamed to dir. A crash leaves dir complete or absent (and maybe a
// hidden .partial directory beside it, which Prune removes).
func WriteDir(dir string, files []loader.File) (err error) {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("%s: %w", dir, ErrExists)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	dirs := map[string]bool{tmp: true}
	for _, f := range files {
		path := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(path, tmp+string(filepath.Separator)) {
			return fmt.Errorf("dump file %q is outside the dump", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return err
		}
		dirs[filepath.Dir(path)] = true
		if err := writeSynced(path, f.Data); err != nil {
			return err
		}
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	return syncDir(parent)
}

// ReplaceDir writes files into dir as WriteDir does, replacing dir if it exists: the new directory is
// written beside it first, then the old one is moved aside and removed.
func ReplaceDir(dir string, files []loader.File) error {
	if _, err := os.Stat(dir); err != nil {
		return WriteDir(dir, files)
	}
	next := dir + ".next"
	os.RemoveAll(next)
	if err := WriteDir(next, files); err != nil {
		return err
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(next, dir); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// dumpPrefix starts the names of the dumps Schedule writes: dump-<UTC time>-seq<position>.
const dumpPrefix = "dump-"

// DumpName is the name of a dump taken at t at change-log position seq; names sort by time.
func DumpName(t time.Time, seq int64) string {
	return fmt.Sprintf("%s%s-seq%d", dumpPrefix, t.UTC().Format("20060102T150405.000Z"), seq)
}

// Dumps lists the complete dumps in dir (directories named dump-… holding a dump.yaml), oldest first.
func Dumps(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), dumpPrefix) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "dump.yaml")); err == nil {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Prune keeps the newest keep dumps in dir and removes the others, and the .partial directories that writes
// which did not finish left behind. It returns what it removed. Only the process that writes dumps into dir
// (the lease holder) may call it.
func Prune(dir string, keep int) ([]string, error) {
	dumps, err := Dumps(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	if keep > 0 && len(dumps) > keep {
		for _, d := range dumps[:len(dumps)-keep] {
			if err := os.RemoveAll(d); err != nil {
				return removed, err
			}
			removed = append(removed, d)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return removed, err
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "."+dumpPrefix) && strings.Contains(e.Name(), ".partial-") {
			p := filepath.Join(dir, e.Name())
			if err := os.RemoveAll(p); err != nil {
				return removed, err
			}
			removed = append(removed, p)
		}
	}
	return removed, nil
}

// FindDump resolves path to a dump: path itself when it holds a dump.yaml, else the newest dump in it.
func FindDump(path string) (string, error) {
	if _, err := os.Stat(filepath.Join(path, "dump.yaml")); err == nil {
		return path, nil
	}
	dumps, err := Dumps(path)
	if err != nil {
		return "", fmt.Errorf("no dump at %s: %w", path, err)
	}
	if len(dumps) == 0 {
		return "", fmt.Errorf("no dump at %s: neither a dump.yaml nor dump-… directories holding one", path)
	}
	return dumps[len(dumps)-1], nil
}

// ReadDump reads and checks the dump at path (FindDump), returning its dataset.
func ReadDump(path string) (*chainmap.Dataset, string, error) {
	dir, err := FindDump(path)
	if err != nil {
		return nil, "", err
	}
	files, err := loader.ReadFS(os.DirFS(dir), ".")
	if err != nil {
		return nil, dir, err
	}
	for i := range files {
		files[i].Name = filepath.Join(dir, files[i].Name)
	}
	ds, err := loader.Parse(files)
	if err != nil {
		return nil, dir, err
	}
	if ds.Dump == nil {
		return nil, dir, fmt.Errorf("%s is not a dump: it has no changeLog entry (dump.yaml)", dir)
	}
	return ds, dir, nil
}
