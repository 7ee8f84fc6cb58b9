package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"
)

// Leaser takes, renews and releases named leases (neo4jdb.DB's leases).
type Leaser interface {
	AcquireLease(ctx context.Context, name, holder string, ttl, minGap time.Duration) (bool, error)
	RenewLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string, done bool) error
}

// DumpLease is the name of the lease the scheduled dump runs under.
const DumpLease = "dump"

// Schedule writes a dump into Dir every Every, keeping the newest Keep. Every replica may run one over the
// same database and directory: a dump runs under a lease in Neo4j, so never two at once, and a replica that
// finds the last dump younger than nine tenths of Every leaves it at that, so there is one dump per interval.
type Schedule struct {
	Store interface {
		GraphReader
		Leaser
	}
	Dir    string
	Every  time.Duration
	Keep   int
	Holder string // this process, as the lease names it (host, pid, a random part)
	Log    *slog.Logger
	// Check is how often the schedule looks whether a dump is due (default Every/10, between 1 s and 1 min);
	// TTL is how long the lease lasts unless renewed (default 1 min; renewed every TTL/3).
	Check, TTL time.Duration
	// Dumped, if set, is called after each attempt that took the lease.
	Dumped func(dir string, s Summary, err error)
}

func (s *Schedule) defaults() {
	if s.Check <= 0 {
		s.Check = min(max(s.Every/10, time.Second), time.Minute)
	}
	if s.TTL <= 0 {
		s.TTL = time.Minute
	}
}

// Run takes dumps until ctx is done.
func (s *Schedule) Run(ctx context.Context) {
	s.defaults()
	t := time.NewTicker(s.Check)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("scheduled dump failed", "dir", s.Dir, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// errLeaseLost stops a dump whose lease another process may now hold.
var errLeaseLost = errors.New("the dump lease was lost (expired or taken)")

// RunOnce takes a dump if it is due and no other process is taking one, and returns its directory ("" when it
// took none).
func (s *Schedule) RunOnce(ctx context.Context) (string, error) {
	s.defaults()
	ok, err := s.Store.AcquireLease(ctx, DumpLease, s.Holder, s.TTL, s.Every*9/10)
	if err != nil || !ok {
		return "", err
	}
	work, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(s.TTL / 3)
		defer t.Stop()
		for {
			select {
			case <-work.Done():
				return
			case <-t.C:
			}
			held, err := s.Store.RenewLease(work, DumpLease, s.Holder, s.TTL)
			if err == nil && !held {
				cancel(errLeaseLost)
				return
			}
		}
	}()
	dir, sum, err := s.dump(work)
	cancel(nil)
	<-renewed
	if cause := context.Cause(work); errors.Is(cause, errLeaseLost) {
		err = fmt.Errorf("%w: %v", cause, err)
	}
	release, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	if rerr := s.Store.ReleaseLease(release, DumpLease, s.Holder, err == nil); rerr != nil && err == nil {
		s.Log.Warn("scheduled dump: releasing the lease", "err", rerr)
	}
	if s.Dumped != nil {
		s.Dumped(dir, sum, err)
	}
	return dir, err
}

func (s *Schedule) dump(ctx context.Context) (string, Summary, error) {
	// Written as it is made, into a hidden directory that Prune removes if the process dies first.
	dir, sum, err := dumpInto(ctx, s.Store, s.Dir, "."+dumpPrefix+"next.partial-", func(sum Summary) string {
		return filepath.Join(s.Dir, DumpName(time.Now(), sum.ChangeLogSeq))
	}, false, s.Log, nil)
	if err != nil {
		return "", sum, err
	}
	removed, err := Prune(s.Dir, s.Keep)
	if err != nil {
		s.Log.Warn("scheduled dump: removing old dumps", "dir", s.Dir, "err", err)
	}
	s.Log.Info("scheduled dump", "dir", dir, "changeLogSeq", sum.ChangeLogSeq, "settledSeq", sum.SettledSeq,
		"nodes", sum.Nodes, "relationships", sum.Rels, "files", sum.Files, "bytes", sum.Bytes, "generic", sum.Generic,
		"took", sum.Took.Round(time.Millisecond), "removed", len(removed))
	return dir, sum, nil
}
