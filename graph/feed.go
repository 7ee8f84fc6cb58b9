package graph

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/chainmap/chainmap"
)

// The subscriptions follow the change log in Neo4j, not this process's own mutations: so a subscriber on any
// replica sees the changes made through every other, and one that reconnects resumes from the seq it last got.
// One poller per process reads the log every PollInterval while anyone subscribes and hands each batch to
// every subscriber; a subscriber whose buffer is full is cut off, not buffered without bound. Each subscriber
// keeps the seq of the last change it passed on: it skips what it has seen and reads from the log itself what
// it has not (on resuming, or after a gap), so it gets every change once, in order.

// ChangeStore is what the feed needs from the database.
type ChangeStore interface {
	Changes(ctx context.Context, q chainmap.ChangeQuery) ([]chainmap.Change, error)
	ChangeBounds(ctx context.Context) (last, first int64, err error)
}

// FeedLimits bound the subscriptions of one process.
type FeedLimits struct {
	PollInterval     time.Duration // how often the poller reads the log
	MaxSubscriptions int           // per process
	MaxPerClient     int           // per client: token subject, else remote address
	SubscriberBuffer int           // batches a subscriber may lag behind before it is cut off
	KeepAlive        time.Duration // pings on idle streams
}

// DefaultFeedLimits are the feed's limits where Options.Feed leaves a field at 0 (chainmap.WithDefaults), and
// the defaults of serve's flags.
var DefaultFeedLimits = FeedLimits{PollInterval: 250 * time.Millisecond, MaxSubscriptions: 2000, MaxPerClient: 32,
	SubscriberBuffer: 64, KeepAlive: 15 * time.Second}

const feedBatch = 500

type feed struct {
	store ChangeStore
	lim   FeedLimits
	log   *slog.Logger

	mu        sync.Mutex
	subs      map[*subscriber]struct{}
	perClient map[string]int
	stop      context.CancelFunc // of the running poller; nil when none runs
}

type subscriber struct {
	client  string
	batches chan []chainmap.Change
	cut     chan struct{} // closed when the subscriber fell too far behind
}

func newFeed(store ChangeStore, lim FeedLimits, log *slog.Logger) *feed {
	return &feed{store: store, lim: chainmap.WithDefaults(lim, DefaultFeedLimits), log: log, subs: map[*subscriber]struct{}{}, perClient: map[string]int{}}
}

var errTooManySubscriptions = &chainmap.Error{Code: chainmap.CodeTooManyStreams, Message: "this server has as many subscriptions open as it may: retry later"}

// join registers a subscriber, starting the poller if none runs.
func (f *feed) join(client string) (*subscriber, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.subs) >= f.lim.MaxSubscriptions {
		return nil, errTooManySubscriptions
	}
	if f.perClient[client] >= f.lim.MaxPerClient {
		return nil, &chainmap.Error{Code: chainmap.CodeTooManyStreams,
			Message: fmt.Sprintf("this client has %d subscriptions open, the most allowed: close one first", f.lim.MaxPerClient)}
	}
	s := &subscriber{client: client, batches: make(chan []chainmap.Change, f.lim.SubscriberBuffer), cut: make(chan struct{})}
	f.subs[s] = struct{}{}
	f.perClient[client]++
	if f.stop == nil {
		ctx, cancel := context.WithCancel(context.Background())
		f.stop = cancel
		go f.poll(ctx)
	}
	return s, nil
}

// leave unregisters a subscriber, stopping the poller after the last one.
func (f *feed) leave(s *subscriber) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[s]; !ok {
		return
	}
	delete(f.subs, s)
	if f.perClient[s.client]--; f.perClient[s.client] <= 0 {
		delete(f.perClient, s.client)
	}
	if len(f.subs) == 0 && f.stop != nil {
		f.stop()
		f.stop = nil
	}
}

// poll reads the log from its end and hands out what it finds, until ctx ends.
func (f *feed) poll(ctx context.Context) {
	var last int64 = -1
	t := time.NewTicker(f.lim.PollInterval)
	defer t.Stop()
	for {
		if last < 0 {
			l, _, err := f.store.ChangeBounds(ctx)
			if err == nil {
				last = l
			} else if ctx.Err() == nil {
				f.log.Warn("change feed: cannot read the log's end", "err", err)
			}
		}
		for last >= 0 {
			batch, err := f.store.Changes(ctx, chainmap.ChangeQuery{After: last, First: feedBatch})
			if err != nil {
				if ctx.Err() == nil {
					f.log.Warn("change feed: cannot read the log", "err", err)
				}
				break
			}
			if len(batch) == 0 {
				break
			}
			last = batch[len(batch)-1].Seq
			f.broadcast(batch)
			if len(batch) < feedBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (f *feed) broadcast(batch []chainmap.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		select {
		case s.batches <- batch:
		default:
			close(s.cut)
			delete(f.subs, s)
			if f.perClient[s.client]--; f.perClient[s.client] <= 0 {
				delete(f.perClient, s.client)
			}
		}
	}
}

var errSlowConsumer = &chainmap.Error{Code: chainmap.CodeUnavailable,
	Message: "this subscriber fell too far behind and was cut off: subscribe again with after set to the seq of the last event received"}

// start registers a subscriber that resumes after `after` (nil: from the end of the log) and returns the
// seq it follows from. It fails at once over the caps, or when the log no longer holds what follows after.
func (f *feed) start(ctx context.Context, client string, after *string) (*subscriber, int64, error) {
	var from int64
	var err error
	if after != nil {
		if from, err = parseSeq("after", *after); err != nil {
			return nil, 0, err
		}
	}
	s, err := f.join(client)
	if err != nil {
		return nil, 0, err
	}
	last, oldest, err := f.store.ChangeBounds(ctx)
	if err != nil {
		f.leave(s)
		return nil, 0, err
	}
	if after != nil {
		if oldest > from+1 {
			f.leave(s)
			return nil, 0, chainmap.Invalid("after", "the change log keeps changes from seq %d on; %d is older (retention): read the data again", oldest, from)
		}
		last = from
	}
	return s, last, nil
}

// follow passes every change after last to emit, in order, once each, until ctx ends or the subscriber is cut
// off (errSlowConsumer). emit gets the changes of one batch at a time.
func (f *feed) follow(ctx context.Context, s *subscriber, last int64, resume bool, emit func(context.Context, []chainmap.Change) error) error {
	defer f.leave(s)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // a cut-off subscriber stops at once, even while it waits for its client
		select {
		case <-s.cut:
			cancel()
		case <-ctx.Done():
		}
	}()
	catchUp := func(until int64) error { // reads from the log what the subscriber has not had, up to until (0: the end)
		for until == 0 || last < until-1 {
			batch, err := f.store.Changes(ctx, chainmap.ChangeQuery{After: last, First: feedBatch})
			if err != nil || len(batch) == 0 {
				return err
			}
			if until > 0 {
				for i, c := range batch {
					if c.Seq >= until {
						batch = batch[:i]
						break
					}
				}
				if len(batch) == 0 {
					return nil
				}
			}
			last = batch[len(batch)-1].Seq
			if err := emit(ctx, batch); err != nil {
				return s.why(err)
			}
		}
		return nil
	}
	if resume {
		if err := catchUp(0); err != nil {
			return s.why(err)
		}
	}
	for {
		select {
		case <-s.cut:
			return errSlowConsumer
		case <-ctx.Done():
			select {
			case <-s.cut:
				return errSlowConsumer
			default:
			}
			return nil
		case batch := <-s.batches:
			i := 0
			for i < len(batch) && batch[i].Seq <= last {
				i++
			}
			batch = batch[i:]
			if len(batch) == 0 {
				continue
			}
			if batch[0].Seq > last+1 { // a gap: read it from the log
				if err := catchUp(batch[0].Seq); err != nil {
					return s.why(err)
				}
			}
			last = batch[len(batch)-1].Seq
			if err := emit(ctx, batch); err != nil {
				return s.why(err)
			}
		}
	}
}

// why tells a subscriber cut off (whose work was cancelled) from other errors.
func (s *subscriber) why(err error) error {
	select {
	case <-s.cut:
		return errSlowConsumer
	default:
		return err
	}
}

func parseSeq(arg, s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, chainmap.Invalid(arg, "not a change seq: %q", s)
	}
	return n, nil
}

// wants tells whether a subscription's filters let a change through.
func wants(c chainmap.Change, kinds []chainmap.ChangeKind, chainMapID *string) bool {
	if len(kinds) > 0 {
		ok := false
		for _, k := range kinds {
			ok = ok || k == c.Kind
		}
		if !ok {
			return false
		}
	}
	if chainMapID != nil {
		for _, m := range c.ChainMapIDs {
			if m == *chainMapID {
				return true
			}
		}
		return false
	}
	return true
}
