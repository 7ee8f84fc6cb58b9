package graph

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
)

// memLog is a change log in memory, for the feed's own tests (the replica tests use Neo4j).
type memLog struct {
	mu      sync.Mutex
	changes []chainmap.Change
}

func (m *memLog) add(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := 0; i < n; i++ {
		m.changes = append(m.changes, chainmap.Change{Seq: int64(len(m.changes) + 1), Kind: chainmap.ChangeBottleneck})
	}
}

func (m *memLog) Changes(_ context.Context, q chainmap.ChangeQuery) ([]chainmap.Change, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []chainmap.Change
	for _, c := range m.changes {
		if c.Seq > q.After && len(out) < q.First {
			out = append(out, c)
		}
	}
	return out, nil
}

func (m *memLog) ChangeBounds(context.Context) (int64, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.changes) == 0 {
		return 0, 0, nil
	}
	return m.changes[len(m.changes)-1].Seq, m.changes[0].Seq, nil
}

func quietFeed(log *memLog, lim FeedLimits) *feed {
	lim.PollInterval = 5 * time.Millisecond
	return newFeed(log, lim, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// A subscriber that resumes while changes keep coming gets each once, in order.
func TestFeedResumesWithoutGapOrDuplicate(t *testing.T) {
	log := &memLog{}
	log.add(50)
	f := quietFeed(log, FeedLimits{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stop := make(chan struct{})
	go func() { // a writer appends while the subscriber catches up
		for i := 0; i < 200; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			log.add(1 + i%3)
		}
	}()
	defer close(stop)
	after := "10"
	s, last, err := f.start(ctx, "c", &after)
	if err != nil {
		t.Fatal(err)
	}
	want := int64(11)
	done := errors.New("done")
	err = f.follow(ctx, s, last, true, func(_ context.Context, batch []chainmap.Change) error {
		for _, c := range batch {
			if c.Seq != want {
				t.Fatalf("got seq %d, want %d", c.Seq, want)
			}
			want++
		}
		if want > 300 {
			return done
		}
		return nil
	})
	if !errors.Is(err, done) {
		t.Fatalf("follow ended with %v at seq %d", err, want)
	}
}

// A subscriber that does not keep up is cut off, and its slot freed.
func TestFeedCutsOffSlowConsumers(t *testing.T) {
	log := &memLog{}
	f := quietFeed(log, FeedLimits{SubscriberBuffer: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, last, err := f.start(ctx, "c", nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for i := 0; i < 100 && ctx.Err() == nil; i++ {
			log.add(1)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	err = f.follow(ctx, s, last, false, func(ctx context.Context, _ []chainmap.Change) error {
		<-ctx.Done() // a client that reads nothing, until the feed gives up on it
		return ctx.Err()
	})
	if !errors.Is(err, errSlowConsumer) {
		t.Fatalf("follow ended with %v, want errSlowConsumer", err)
	}
	f.mu.Lock()
	n := len(f.subs)
	f.mu.Unlock()
	if n != 0 {
		t.Errorf("%d subscribers left registered", n)
	}
}

func TestFeedCaps(t *testing.T) {
	f := quietFeed(&memLog{}, FeedLimits{MaxSubscriptions: 3, MaxPerClient: 2})
	ctx := context.Background()
	var subs []*subscriber
	for i, client := range []string{"a", "a", "b"} {
		s, _, err := f.start(ctx, client, nil)
		if err != nil {
			t.Fatalf("subscription %d: %v", i, err)
		}
		subs = append(subs, s)
	}
	if _, _, err := f.start(ctx, "c", nil); !errors.Is(err, errTooManySubscriptions) || chainmap.ErrorCode(err) != chainmap.CodeTooManyStreams {
		t.Errorf("a 4th subscription in a process capped at 3: %v, want TOO_MANY_STREAMS", err)
	}
	f.leave(subs[2])
	if _, _, err := f.start(ctx, "a", nil); chainmap.ErrorCode(err) != chainmap.CodeTooManyStreams {
		t.Errorf("a 3rd subscription of a client capped at 2: %v, want TOO_MANY_STREAMS", err)
	}
	if _, _, err := f.start(ctx, "b", nil); err != nil {
		t.Errorf("after one left: %v", err)
	}
	bad := "x"
	if _, _, err := f.start(ctx, "d", &bad); err == nil {
		t.Error("after=x was accepted")
	}
}
