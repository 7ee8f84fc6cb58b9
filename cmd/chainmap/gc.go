package main

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Garbage collection while serving. A request allocates its answer, the driver's records and gqlgen's
// structures, and keeps none of them: between requests the live heap is a few MiB. At Go's default
// (GOGC=100: collect when the heap has doubled) the collector then runs every few MiB of requests and took
// 12–20 % of serve's CPU under load (docs/performance.md). While the live heap is small, serve lets it grow
// fivefold instead (GOGC=400); once it is past smallHeap — a dump, a large export, a graph held for a
// report — the default applies again, so large heaps are not multiplied. An operator who sets GOGC keeps it.
const (
	smallHeap      = 64 << 20
	smallHeapGC    = 400
	defaultPercent = 100
)

// gcTuner sets the collector's percentage from the live heap, on each step.
type gcTuner struct {
	live    func() uint64 // bytes live after the last collection
	set     func(int) int // debug.SetGCPercent
	percent int           // what it last set (0: nothing yet)
}

func (t *gcTuner) step() {
	want := defaultPercent
	if t.live() < smallHeap {
		want = smallHeapGC
	}
	if want != t.percent {
		t.set(want)
		t.percent = want
	}
}

// tuneGC runs the tuner every second until ctx ends, unless GOGC is set.
func tuneGC(ctx context.Context, log *slog.Logger) {
	if v, ok := os.LookupEnv("GOGC"); ok {
		log.Debug("garbage collection as GOGC says", "GOGC", v)
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := &gcTuner{set: debug.SetGCPercent, live: func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return smallHeap // not known: the default
		}
		return sample[0].Value.Uint64()
	}}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	defer debug.SetGCPercent(defaultPercent)
	for {
		t.step()
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}
