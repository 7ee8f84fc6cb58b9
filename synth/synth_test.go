package synth

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/seeds"
)

func skeleton(t *testing.T) *chainmap.Dataset {
	t.Helper()
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestGenerateIsDeterministic(t *testing.T) {
	sk := skeleton(t)
	cfg := Config{Seed: 7, Enterprises: 2000, Supplies: 10000}
	a, err := Generate(cfg, sk)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(cfg, sk)
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs with the same seed differ")
	}
	cfg.Seed = 8
	c, _ := Generate(cfg, sk)
	if reflect.DeepEqual(a.Supplies, c.Supplies) {
		t.Error("runs with different seeds give the same supplies")
	}
}

func TestGenerateShape(t *testing.T) {
	sk := skeleton(t)
	ds, err := Generate(Config{Seed: 1, Enterprises: 5000, Supplies: 40000}, sk)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Enterprises) != 5000 || len(ds.Supplies) != 40000 {
		t.Fatalf("got %d enterprises and %d supplies, want 5000 and 40000", len(ds.Enterprises), len(ds.Supplies))
	}
	segs := map[string]chainmap.Segment{}
	for _, s := range sk.Segments {
		segs[s.ID] = s
	}
	regions := map[string]bool{}
	for _, r := range sk.Regions {
		regions[r.Code] = true
	}
	entSegs := map[string][]string{}
	for _, e := range ds.Enterprises {
		if !e.Synthetic || !strings.HasPrefix(e.ID, IDPrefix) {
			t.Fatalf("enterprise %+v is not marked synthetic", e)
		}
		for _, s := range e.SegmentIDs {
			if _, ok := segs[s]; !ok {
				t.Fatalf("enterprise %s is in unknown segment %s", e.ID, s)
			}
		}
		entSegs[e.ID] = e.SegmentIDs
	}
	for _, s := range ds.Sites {
		if !s.Synthetic || !regions[s.RegionCode] {
			t.Fatalf("site %+v is not synthetic or not in a real region", s)
		}
	}
	// A supply link runs from a segment into one it feeds (or within a segment that nothing feeds).
	outDegree := map[string]int{}
	for _, s := range ds.Supplies {
		outDegree[s.FromID]++
		from := s.Product
		if !slices.Contains(entSegs[s.FromID], from) {
			t.Fatalf("supply %+v: the supplier is not in segment %s", s, from)
		}
		ok := false
		for _, to := range entSegs[s.ToID] {
			if to == from || slices.Contains(segs[from].Feeds, to) {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("supply %+v: %s feeds none of the customer's segments %v", s, from, entSegs[s.ToID])
		}
	}
	// Power law: a few hubs supply many, most supply few.
	var degrees []int
	for _, d := range outDegree {
		degrees = append(degrees, d)
	}
	slices.Sort(degrees)
	median, top := degrees[len(degrees)/2], degrees[len(degrees)-1]
	if top < 20*median {
		t.Errorf("largest out-degree %d is not far above the median %d: not a power law", top, median)
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	sk := skeleton(t)
	for _, cfg := range []Config{{Enterprises: 0, Supplies: 10}, {Enterprises: 10, Supplies: -1}, {Enterprises: 2, Supplies: 1000}} {
		if _, err := Generate(cfg, sk); err == nil {
			t.Errorf("Generate(%+v) succeeded", cfg)
		}
	}
	if _, err := Generate(Config{Enterprises: 10}, &chainmap.Dataset{}); err == nil {
		t.Error("Generate on an empty skeleton succeeded")
	}
}
