// Package synth generates synthetic enterprises, sites and supply links on the real skeleton of the chain maps
// (their segments and regions), for load tests and benchmarks. The output is deterministic for a given seed,
// every record is marked Synthetic, and supply degrees follow a power law, as real supply networks do: a few
// hub suppliers serve many customers, most serve a few.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chainmap/chainmap"
)

// Config sizes the synthetic graph.
type Config struct {
	Seed        uint64
	Enterprises int
	Supplies    int     // SUPPLIES relationships
	Exponent    float64 // of the power law of supplier popularity (Zipf s); 0 means 1.2
}

// IDPrefix starts the id of every synthetic record, so that synthetic ids never collide with curated ones.
const IDPrefix = "syn-"

// Generate builds the synthetic dataset on the segments and regions of skeleton (normally the curated seeds).
// It returns an error if the skeleton has no segments or lacks Beijing, Tianjin or Hebei regions.
func Generate(cfg Config, skeleton *chainmap.Dataset) (*chainmap.Dataset, error) {
	if cfg.Enterprises <= 0 {
		return nil, fmt.Errorf("synth: want at least one enterprise, got %d", cfg.Enterprises)
	}
	if cfg.Supplies < 0 {
		return nil, fmt.Errorf("synth: negative supplies %d", cfg.Supplies)
	}
	if cfg.Exponent == 0 {
		cfg.Exponent = 1.2
	}
	segs := skeleton.Segments
	if len(segs) == 0 {
		return nil, fmt.Errorf("synth: the skeleton has no segments")
	}
	regions := regionsByProvince(skeleton.Regions)
	for _, p := range []string{beijing, tianjin, hebei} {
		if len(regions[p]) == 0 {
			return nil, fmt.Errorf("synth: the skeleton has no regions in province %s", p)
		}
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x636861696e6d6170)) // "chainmap"
	prov := chainmap.Provenance{Confidence: chainmap.Illustrative}
	out := &chainmap.Dataset{}

	// Enterprises: each in one segment, sometimes a second one of the same chain.
	bySegment := map[string][]int{} // segment id → indexes of its enterprises
	byChain := map[string][]chainmap.Segment{}
	for _, s := range segs {
		byChain[s.ChainMapID] = append(byChain[s.ChainMapID], s)
	}
	for i := 0; i < cfg.Enterprises; i++ {
		seg := segs[r.IntN(len(segs))]
		ids := []string{seg.ID}
		if r.IntN(5) == 0 {
			chain := byChain[seg.ChainMapID]
			if other := chain[r.IntN(len(chain))]; other.ID != seg.ID {
				ids = append(ids, other.ID)
			}
		}
		e := chainmap.Enterprise{
			ID:         fmt.Sprintf("%se%06d", IDPrefix, i+1),
			Name:       fmt.Sprintf("Synthetic Enterprise %d", i+1),
			NameZh:     fmt.Sprintf("合成企业%d", i+1),
			NameEn:     fmt.Sprintf("Synthetic Enterprise %d", i+1),
			ChainRole:  role(r),
			SegmentIDs: ids,
			Synthetic:  true,
			Provenance: prov,
		}
		out.Enterprises = append(out.Enterprises, e)
		for _, s := range ids {
			bySegment[s] = append(bySegment[s], i)
		}
		out.Sites = append(out.Sites, sites(r, e.ID, regions, prov)...)
	}

	// Supplies: a customer picks a supplier among the enterprises of a segment that feeds one of its own
	// (or of its own segment when none feeds it), with Zipf-distributed popularity within that segment.
	feeders := map[string][]string{} // segment → segments that feed it
	for _, s := range segs {
		for _, f := range s.Feeds {
			feeders[f] = append(feeders[f], s.ID)
		}
	}
	zipfs := map[string]*rand.Zipf{}
	zipf := func(seg string) *rand.Zipf {
		if z, ok := zipfs[seg]; ok {
			return z
		}
		n := len(bySegment[seg])
		var z *rand.Zipf
		if n > 1 {
			z = rand.NewZipf(r, cfg.Exponent, 1, uint64(n-1))
		}
		zipfs[seg] = z
		return z
	}
	seen := make(map[[2]int32]bool, cfg.Supplies)
	for tries := 0; len(out.Supplies) < cfg.Supplies && tries < cfg.Supplies*4; tries++ {
		c := r.IntN(cfg.Enterprises)
		cust := out.Enterprises[c]
		seg := cust.SegmentIDs[r.IntN(len(cust.SegmentIDs))]
		from := seg
		if fs := feeders[seg]; len(fs) > 0 {
			from = fs[r.IntN(len(fs))]
		}
		pool := bySegment[from]
		if len(pool) == 0 {
			continue
		}
		s := pool[0]
		if z := zipf(from); z != nil {
			s = pool[z.Uint64()]
		}
		key := [2]int32{int32(s), int32(c)}
		if s == c || seen[key] {
			continue
		}
		seen[key] = true
		out.Supplies = append(out.Supplies, chainmap.Supply{
			FromID: out.Enterprises[s].ID, ToID: cust.ID, Product: from, Since: 2010 + r.IntN(15),
			Synthetic: true, Provenance: prov,
		})
	}
	if len(out.Supplies) < cfg.Supplies {
		return nil, fmt.Errorf("synth: could only place %d of %d supply links among %d enterprises; use more enterprises",
			len(out.Supplies), cfg.Supplies, cfg.Enterprises)
	}
	return out, nil
}

const (
	beijing = chainmap.Beijing
	tianjin = chainmap.Tianjin
	hebei   = chainmap.Hebei
)

func regionsByProvince(regions []chainmap.Region) map[string][]string {
	out := map[string][]string{}
	for _, r := range regions {
		if r.Level != chainmap.Province {
			out[r.ProvinceCode] = append(out[r.ProvinceCode], r.Code)
		}
	}
	for _, codes := range out {
		slices.Sort(codes)
	}
	return out
}

// role gives about 1% of firms the chain-master tier and 5% the lead tier, as the NEV map's 29/139/668 split
// suggests; the rest are supporting or untiered.
func role(r *rand.Rand) chainmap.ChainRole {
	switch x := r.IntN(100); {
	case x < 1:
		return chainmap.ChainMaster
	case x < 6:
		return chainmap.Lead
	case x < 40:
		return chainmap.Supporting
	}
	return ""
}

// sites gives an enterprise one to three sites: R&D mostly in Beijing, manufacturing mostly in Tianjin and
// Hebei, so that the synthetic graph has "R&D in Beijing, manufacturing in Tianjin–Hebei" firms and firms that
// break the pattern.
func sites(r *rand.Rand, ent string, regions map[string][]string, prov chainmap.Provenance) []chainmap.Site {
	n := 1 + int(math.Min(2, float64(r.IntN(4))))
	kinds := []chainmap.SiteKind{chainmap.HQ, chainmap.RD, chainmap.Manufacturing, chainmap.Assembly, chainmap.Testing, chainmap.Pilot}
	out := make([]chainmap.Site, 0, n)
	for i := 0; i < n; i++ {
		kind := kinds[r.IntN(len(kinds))]
		if i == 0 {
			kind = chainmap.HQ
		}
		var province string
		switch kind {
		case chainmap.HQ, chainmap.RD:
			province = pick(r, []string{beijing, beijing, beijing, tianjin, hebei})
		default:
			province = pick(r, []string{tianjin, hebei, hebei, beijing})
		}
		out = append(out, chainmap.Site{
			ID:           fmt.Sprintf("%s-s%d", ent, i+1),
			EnterpriseID: ent,
			Name:         fmt.Sprintf("%s site %d", ent, i+1),
			Kind:         kind,
			RegionCode:   pick(r, regions[province]),
			Synthetic:    true,
			Provenance:   prov,
		})
	}
	return out
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }
