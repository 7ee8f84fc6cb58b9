package backup

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// logSource is a change log in memory: changes 1…n, from first on (retention deleted the others).
type logSource struct {
	mu    sync.Mutex
	first int64
	n     int64
}

func (l *logSource) add(k int64) {
	l.mu.Lock()
	l.n += k
	l.mu.Unlock()
}

func (l *logSource) ArchiveChanges(_ context.Context, after int64, first int) ([]map[string]any, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for s := max(after+1, l.first); s <= l.n && len(out) < first; s++ {
		out = append(out, map[string]any{"seq": s, "kind": "ENTERPRISE", "at": "2026-01-01T00:00:00Z",
			"chainMapIds": []any{"hydrogen"}, "redo": `{"nodes":[]}`, "weight": 1.0})
	}
	return out, nil
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestArchiveAppendsAndResumes(t *testing.T) {
	dir := t.TempDir()
	src := &logSource{first: 1}
	src.add(25000)
	a, err := OpenArchive(dir, src, time.Hour, discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a.Last() != 25000 {
		t.Fatalf("archived up to %d, want 25000", a.Last())
	}
	segs, _ := segments(dir)
	if len(segs) != 3 || filepath.Base(segs[1]) != segmentName(SegmentChanges+1) {
		t.Errorf("segments %v, want three starting at 1, %d and %d", segs, SegmentChanges+1, 2*SegmentChanges+1)
	}

	// A second process cannot write the same archive.
	if _, err := OpenArchive(dir, src, time.Hour, discard); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("a second archiver on the same directory: %v, want an error saying it is in use", err)
	}
	a.Close()

	// A crash in the middle of a line: the half line is cut off, and the archive resumes after the last whole one.
	last := segs[len(segs)-1]
	f, _ := os.OpenFile(last, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"seq":25001,"kind":"ENT`)
	f.Close()
	src.add(10)
	a, err = OpenArchive(dir, src, time.Hour, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Last() != 25000 {
		t.Fatalf("after the crash the archive ends at %d, want 25000", a.Last())
	}
	if err := a.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadArchive([]string{dir}, 24990, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 || got[0]["seq"] != int64(24991) || got[19]["seq"] != int64(25010) {
		t.Fatalf("read back %d changes (%v … %v), want 24991 to 25010", len(got), got[0]["seq"], got[len(got)-1]["seq"])
	}
	if w, ok := got[0]["weight"].(float64); !ok || w != 1.0 {
		t.Errorf("weight reads back as %#v, want the float 1.0", got[0]["weight"])
	}
	if l, ok := got[0]["chainMapIds"].([]any); !ok || len(l) != 1 {
		t.Errorf("chainMapIds reads back as %#v", got[0]["chainMapIds"])
	}
	if upTo, _ := ReadArchive([]string{dir}, 10, 15); len(upTo) != 5 {
		t.Errorf("changes 11 to 15: got %d", len(upTo))
	}
}

// WaitFor returns once the change is archived: Run picks it up at once when nudged, not at its next poll.
func TestArchiveWaitFor(t *testing.T) {
	src := &logSource{first: 1}
	a, err := OpenArchive(t.TempDir(), src, time.Hour, discard)
	if err != nil {
		t.Fatal(err)
	}
	a.Start(context.Background())
	defer a.Close()
	src.add(3)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := a.WaitFor(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("WaitFor took %s with an hourly poll: the nudge did not wake the archiver", took)
	}
	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if err := a.WaitFor(short, 4); err == nil {
		t.Error("WaitFor for a change that does not exist returned nil")
	}
}

// Changes retention deleted before they were archived are a gap: counted, and a restore stops before it.
func TestArchiveGap(t *testing.T) {
	dir := t.TempDir()
	src := &logSource{first: 1}
	src.add(5)
	a, err := OpenArchive(dir, src, time.Hour, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Once(context.Background())
	src.mu.Lock()
	src.first, src.n = 9, 12 // 6, 7, 8 pruned unarchived
	src.mu.Unlock()
	a.Once(context.Background())
	if a.Gaps() != 1 || a.Last() != 12 {
		t.Errorf("gaps %d, last %d; want 1 gap and the archive at 12", a.Gaps(), a.Last())
	}
	got, _ := ReadArchive([]string{dir}, 0, 0)
	if len(got) != 9 {
		t.Errorf("the archive holds %d changes, want 1–5 and 9–12", len(got))
	}
}
