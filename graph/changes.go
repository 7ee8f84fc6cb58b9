package graph

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/chainmap/chainmap"
)

// BottleneckStatusEvent is a bottleneck's status change; the bottleneck is read with what the subscription
// selects of it (Related, under the response keys of `bottleneck`).
type BottleneckStatusEvent struct {
	Seq     string
	From    *chainmap.BottleneckStatus
	To      chainmap.BottleneckStatus
	Author  *string
	At      string
	Related chainmap.Related
}

func jsonField(s string) JSON {
	if s == "" {
		return nil
	}
	return JSON(s)
}

// statusEvent reads a status change from its change log entry.
func statusEvent(c chainmap.Change) *BottleneckStatusEvent {
	var before, after struct{ Status string }
	_ = json.Unmarshal([]byte(c.Before), &before)
	_ = json.Unmarshal([]byte(c.After), &after)
	ev := &BottleneckStatusEvent{Seq: strconv.FormatInt(c.Seq, 10), To: chainmap.BottleneckStatus(after.Status),
		At: c.At.UTC().Format(time.RFC3339Nano), Related: chainmap.Related{}}
	if before.Status != "" {
		from := chainmap.BottleneckStatus(before.Status)
		ev.From = &from
	}
	if c.Author != "" {
		ev.Author = &c.Author
	}
	return ev
}

// subscribe follows the change log for a subscription in the background, passing each batch to emit, and
// closes out when it ends. A subscription over the caps, or resuming from beyond the retention, fails at once.
func subscribe[T any](ctx context.Context, r *Resolver, after *string, out chan T, emit func(context.Context, []chainmap.Change) error) error {
	s, last, err := r.feed.start(ctx, clientFrom(ctx), after)
	if err != nil {
		return err
	}
	go func() {
		defer close(out)
		if err := r.feed.follow(ctx, s, last, after != nil, emit); err != nil && ctx.Err() == nil || errors.Is(err, errSlowConsumer) {
			transport.AddSubscriptionError(ctx, presentError(ctx, r.feed.log, err))
		}
	}()
	return nil
}
