package backup

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chainmap/chainmap"
)

// The archive: the change log copied into append-only files outside Neo4j, one JSON object per line (every
// property of the :Change, at as RFC 3339 text, types kept: chainmap.MarshalProps), in segments named by the
// seq of their first change (changes-000000000001.jsonl). A segment is only appended to, and synced after each
// batch; a new one starts every SegmentChanges changes. One process writes a directory (a lock file says
// which); give each replica its own. A restore replays the changes after a dump's position from one or more
// archives (ReadArchive).

// ChangeSource reads the change log (neo4jdb.DB.ArchiveChanges).
type ChangeSource interface {
	ArchiveChanges(ctx context.Context, after int64, first int) ([]map[string]any, error)
}

// SegmentChanges is how many changes a segment holds before the next one starts.
const SegmentChanges = 10000

// Archiver copies the change log into a directory as it grows.
type Archiver struct {
	dir   string
	store ChangeSource
	poll  time.Duration
	log   *slog.Logger
	lock  *os.File

	mu      sync.Mutex
	last    int64         // seq of the last change archived (synced)
	moved   chan struct{} // closed (and replaced) when last moves
	nudge   chan struct{}
	seg     *os.File
	segN    int // changes in seg
	gaps    int
	lastErr error

	stop context.CancelFunc // of the Run that Start began
	done chan struct{}
}

// OpenArchive opens (creating it if need be) the archive directory dir for writing: it takes the directory's
// lock, failing when another process holds it, and finds where the archive ends (cutting off a line a crash
// left half written). Run then copies the changes after that from store every poll, or at once after Nudge.
func OpenArchive(dir string, store ChangeSource, poll time.Duration, log *slog.Logger) (*Archiver, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(lock)
		lock.Close()
		return nil, fmt.Errorf("archive %s is in use by another process (%s): give each replica a directory of its own",
			dir, strings.TrimSpace(string(holder)))
	}
	host, _ := os.Hostname()
	lock.Truncate(0)
	fmt.Fprintf(lock, "pid %d on %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	a := &Archiver{dir: dir, store: store, poll: poll, log: log, lock: lock, moved: make(chan struct{}),
		nudge: make(chan struct{}, 1)}
	if err := a.recover(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func segmentName(first int64) string { return fmt.Sprintf("changes-%012d.jsonl", first) }

// segments lists the archive's segment files, in order.
func segments(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "changes-*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// recover finds the last change of the last segment and opens it for appending, cutting off a last line
// without its newline (a write a crash interrupted: that change was not synced, so never reported archived).
func (a *Archiver) recover() error {
	segs, err := segments(a.dir)
	if err != nil || len(segs) == 0 {
		return err
	}
	name := segs[len(segs)-1]
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	keep := bytes.LastIndexByte(data, '\n') + 1
	if keep < len(data) {
		a.log.Warn("archive: cutting off a change a crash left half written", "file", name, "bytes", len(data)-keep)
		if err := os.Truncate(name, int64(keep)); err != nil {
			return err
		}
		data = data[:keep]
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(data) > 0 {
		m, err := chainmap.UnmarshalProps(lines[len(lines)-1])
		if err != nil {
			return fmt.Errorf("archive %s: its last line: %w", name, err)
		}
		a.last, _ = m["seq"].(int64)
		a.segN = len(lines)
	} else if len(segs) > 1 { // an empty last segment: the one before ends the archive
		prev, err := lastSeq(segs[len(segs)-2])
		if err != nil {
			return err
		}
		a.last = prev
	}
	a.seg, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0o640)
	return err
}

func lastSeq(name string) (int64, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	data = bytes.TrimRight(data, "\n")
	line := data[bytes.LastIndexByte(data, '\n')+1:]
	m, err := chainmap.UnmarshalProps(line)
	if err != nil {
		return 0, fmt.Errorf("archive %s: its last line: %w", name, err)
	}
	seq, _ := m["seq"].(int64)
	return seq, nil
}

// Last returns the seq of the last change archived and synced.
func (a *Archiver) Last() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

// Gaps returns how many times the archive found changes missing from the change log (retention deleted them
// before they were archived).
func (a *Archiver) Gaps() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.gaps
}

// Nudge makes Run copy new changes now rather than at its next poll.
func (a *Archiver) Nudge() {
	select {
	case a.nudge <- struct{}{}:
	default:
	}
}

// WaitFor nudges the archiver and waits until it has archived the change seq (or ctx is done).
func (a *Archiver) WaitFor(ctx context.Context, seq int64) error {
	a.Nudge()
	for {
		a.mu.Lock()
		last, moved, lastErr := a.last, a.moved, a.lastErr
		a.mu.Unlock()
		if last >= seq {
			return nil
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return fmt.Errorf("change %d not archived: %w (archiving fails: %v)", seq, ctx.Err(), lastErr)
			}
			return fmt.Errorf("change %d not archived: %w", seq, ctx.Err())
		case <-moved:
		}
	}
}

// Start runs Run in the background until ctx is done or Close is called.
func (a *Archiver) Start(ctx context.Context) {
	ctx, a.stop = context.WithCancel(ctx)
	a.done = make(chan struct{})
	go func() {
		defer close(a.done)
		a.Run(ctx)
	}()
}

// Run copies the change log into the archive until ctx is done.
func (a *Archiver) Run(ctx context.Context) {
	t := time.NewTicker(a.poll)
	defer t.Stop()
	for {
		err := a.Once(ctx)
		a.mu.Lock()
		a.lastErr = err
		a.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			a.log.Warn("archive: copying changes", "dir", a.dir, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-a.nudge:
		}
	}
}

// Once copies the changes the archive lacks, and returns when it has them all (or fails).
func (a *Archiver) Once(ctx context.Context) error {
	const batch = 1000
	for {
		last := a.Last()
		entries, err := a.store.ArchiveChanges(ctx, last, batch)
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return nil
		}
		if first, _ := entries[0]["seq"].(int64); first != last+1 {
			a.mu.Lock()
			a.gaps++
			a.mu.Unlock()
			if last == 0 {
				a.log.Warn("archive: the change log no longer holds its first changes; the archive starts at the oldest it holds",
					"dir", a.dir, "first", first)
			} else {
				a.log.Error("archive: changes were deleted from the change log before they were archived; a restore "+
					"cannot replay past them: take a dump now", "dir", a.dir, "missing", fmt.Sprintf("%d-%d", last+1, first-1))
			}
		}
		if err := a.append(entries); err != nil {
			return err
		}
		if len(entries) < batch {
			return nil
		}
	}
}

func (a *Archiver) append(entries []map[string]any) error {
	var buf bytes.Buffer
	flush := func() error {
		if buf.Len() == 0 {
			return nil
		}
		if _, err := a.seg.Write(buf.Bytes()); err != nil {
			return err
		}
		buf.Reset()
		return a.seg.Sync()
	}
	for _, e := range entries {
		seq, _ := e["seq"].(int64)
		if a.seg == nil || a.segN >= SegmentChanges {
			if err := flush(); err != nil {
				return err
			}
			if a.seg != nil {
				a.seg.Close()
			}
			f, err := os.OpenFile(filepath.Join(a.dir, segmentName(seq)), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
			if err != nil {
				return err
			}
			if err := syncDir(a.dir); err != nil {
				f.Close()
				return err
			}
			a.seg, a.segN = f, 0
		}
		line, err := chainmap.MarshalProps(e)
		if err != nil {
			return fmt.Errorf("change %d: %w", seq, err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
		a.segN++
	}
	if err := flush(); err != nil {
		return err
	}
	last, _ := entries[len(entries)-1]["seq"].(int64)
	a.mu.Lock()
	a.last = last
	close(a.moved)
	a.moved = make(chan struct{})
	a.mu.Unlock()
	return nil
}

// Close stops what Start began, closes the segment and releases the lock.
func (a *Archiver) Close() error {
	if a.stop != nil {
		a.stop()
		<-a.done
	}
	var err error
	if a.seg != nil {
		err = a.seg.Close()
	}
	if a.lock != nil {
		syscall.Flock(int(a.lock.Fd()), syscall.LOCK_UN)
		a.lock.Close()
	}
	return err
}

// ErrArchiveGap says that the archives lack a change, so a restore stopped before it.
var ErrArchiveGap = errors.New("the archive lacks a change")

// ReadArchive returns the archived changes with a seq after after (up to and including to, when to > 0), from
// one or more archive directories (copies of one log; each change is taken once), in seq order. A line a crash
// left half written at the end of a segment is ignored.
func ReadArchive(dirs []string, after, to int64) ([]map[string]any, error) {
	bySeq := map[int64]map[string]any{}
	for _, dir := range dirs {
		segs, err := segments(dir)
		if err != nil {
			return nil, err
		}
		if len(segs) == 0 {
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("archive %s: %w", dir, err)
			}
		}
		for i, name := range segs {
			if i+1 < len(segs) {
				// A segment holds the changes before the next one's first: skip those wholly at or before after.
				var next int64
				fmt.Sscanf(filepath.Base(segs[i+1]), "changes-%d.jsonl", &next)
				if next > 0 && next <= after+1 {
					continue
				}
			}
			if err := readSegment(name, func(m map[string]any) {
				seq, _ := m["seq"].(int64)
				if seq > after && (to <= 0 || seq <= to) {
					bySeq[seq] = m
				}
			}); err != nil {
				return nil, err
			}
		}
	}
	seqs := make([]int64, 0, len(bySeq))
	for s := range bySeq {
		seqs = append(seqs, s)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	out := make([]map[string]any, len(seqs))
	for i, s := range seqs {
		out[i] = bySeq[s]
	}
	return out, nil
}

func readSegment(name string, each func(map[string]any)) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			return nil // a last line without its newline was never synced: not archived
		}
		if err != nil {
			return err
		}
		m, err := chainmap.UnmarshalProps(line)
		if err != nil {
			return fmt.Errorf("archive %s:%d: %w", name, n, err)
		}
		each(m)
	}
}
