package main

import "testing"

// The tuner lets a small live heap grow fivefold before collecting, and a large one twofold (Go's default),
// and sets the collector only when that changes.
func TestGCTunerFollowsTheLiveHeap(t *testing.T) {
	var live uint64
	var sets []int
	tuner := &gcTuner{live: func() uint64 { return live }, set: func(p int) int { sets = append(sets, p); return 0 }}
	for _, step := range []struct {
		live uint64
		want []int
	}{
		{4 << 20, []int{400}},
		{40 << 20, []int{400}},          // still small: not set again
		{smallHeap, []int{400, 100}},    // a dump's graph, say
		{900 << 20, []int{400, 100}},    // still large
		{8 << 20, []int{400, 100, 400}}, // back to serving requests
	} {
		live = step.live
		tuner.step()
		if len(sets) != len(step.want) || sets[len(sets)-1] != step.want[len(step.want)-1] {
			t.Fatalf("live heap %d MiB: set %v, want %v", step.live>>20, sets, step.want)
		}
	}
}
