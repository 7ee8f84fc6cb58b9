package chainmap_test

import (
	"slices"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
)

// A small region tree: Hebei with Baoding (and Zhuozhou inside it) and Langfang (and Xianghe inside it); Beijing
// with Haidian; Tianjin with Binhai.
var tree = chainmap.RegionTree{
	"110000": {Named: chainmap.Named{ID: "110000", Name: "Beijing"}},
	"110108": {Named: chainmap.Named{ID: "110108", Name: "Haidian"}, Parent: "110000"},
	"120000": {Named: chainmap.Named{ID: "120000", Name: "Tianjin"}},
	"120116": {Named: chainmap.Named{ID: "120116", Name: "Binhai"}, Parent: "120000"},
	"130000": {Named: chainmap.Named{ID: "130000", Name: "Hebei"}},
	"130600": {Named: chainmap.Named{ID: "130600", Name: "Baoding"}, Parent: "130000"},
	"130681": {Named: chainmap.Named{ID: "130681", Name: "Zhuozhou"}, Parent: "130600"},
	"131000": {Named: chainmap.Named{ID: "131000", Name: "Langfang"}, Parent: "130000"},
	"131024": {Named: chainmap.Named{ID: "131024", Name: "Xianghe"}, Parent: "131000"},
}

func TestRegionTreeDistance(t *testing.T) {
	for _, tc := range []struct {
		target          string
		places          []string
		d               int
		nearest, shared string
	}{
		{"130600", []string{"130681"}, 0, "130681", "130600"},           // inside the region
		{"130600", []string{"131000"}, 1, "131000", "130000"},           // another city of the province
		{"130600", []string{"131024"}, 1, "131024", "130000"},           // a county of another city
		{"130600", []string{"120116"}, 2, "120116", ""},                 // another province: one past Hebei
		{"131024", []string{"131000"}, 1, "131000", "131000"},           // the county's own city
		{"131024", []string{"130681"}, 2, "130681", "130000"},           // elsewhere in the province
		{"131024", []string{"110108"}, 3, "110108", ""},                 // another province, from a county
		{"130000", []string{"120116"}, 1, "120116", ""},                 // from a province
		{"130600", []string{"120116", "131000"}, 1, "131000", "130000"}, // the nearest place wins
		{"130600", []string{"131000", "131024"}, 1, "131000", "130000"}, // ties: the first listed
		{"130600", nil, -1, "", ""},                                     // no place
	} {
		d, nearest, shared := tree.Distance(tc.target, tc.places)
		if d != tc.d || nearest != tc.nearest || shared != tc.shared {
			t.Errorf("Distance(%s, %v) = %d, %q, %q; want %d, %q, %q", tc.target, tc.places, d, nearest, shared, tc.d, tc.nearest, tc.shared)
		}
	}
	if got := tree.Province("131024"); got != "130000" {
		t.Errorf("Province(131024) = %q", got)
	}
}

// The rule of GapPoints, factor by factor: each part's points, and the score is their sum.
func TestScoreCandidate(t *testing.T) {
	baoding, seg := chainmap.Named{ID: "130600", NameZh: "保定市"}, chainmap.Named{ID: "s", Name: "Stacks"}
	firm := func(n int) []chainmap.Named { return make([]chainmap.Named, n) }
	for _, tc := range []struct {
		name  string
		facts chainmap.CandidateFacts
		want  [4]int // DISTANCE, LINKS, SEGMENT_FIT, PAST_MOVES
	}{
		{"same province, exact, nothing else", chainmap.CandidateFacts{Distance: 1, Shared: chainmap.Named{ID: "130000"}, Fit: chainmap.FitExact}, [4]int{3, 0, 4, 0}},
		{"another province", chainmap.CandidateFacts{Distance: 2, Fit: chainmap.FitExact}, [4]int{2, 0, 4, 0}},
		{"three steps", chainmap.CandidateFacts{Distance: 3, Fit: chainmap.FitExact}, [4]int{1, 0, 4, 0}},
		{"four steps: beyond the table", chainmap.CandidateFacts{Distance: 4, Fit: chainmap.FitExact}, [4]int{0, 0, 4, 0}},
		{"no site", chainmap.CandidateFacts{Distance: -1, Fit: chainmap.FitExact}, [4]int{0, 0, 4, 0}},
		{"two links", chainmap.CandidateFacts{Distance: 2, Fit: chainmap.FitExact, Linked: firm(2)}, [4]int{2, 4, 4, 0}},
		{"links capped at three", chainmap.CandidateFacts{Distance: 2, Fit: chainmap.FitExact, Linked: firm(5)}, [4]int{2, 6, 4, 0}},
		{"near fit (R&D)", chainmap.CandidateFacts{RD: true, Distance: 2, Fit: chainmap.FitNear}, [4]int{2, 0, 2, 0}},
		{"stated move wins over spread", chainmap.CandidateFacts{Distance: 2, Fit: chainmap.FitExact,
			Moves: []chainmap.PastMove{{Kind: chainmap.Expansion, Year: 2024}}, Spread: true}, [4]int{2, 0, 4, 3}},
		{"spread", chainmap.CandidateFacts{Distance: 1, Fit: chainmap.FitExact, Spread: true, SpreadWhy: chainmap.Why{Reason: chainmap.WhyProvinces, Count: 2}}, [4]int{3, 0, 4, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.facts.Region, tc.facts.Segment = baoding, seg
			parts := chainmap.GapPoints.ScoreCandidate(tc.facts)
			var got [4]int
			want := []chainmap.ScoreFactor{chainmap.FactorDistance, chainmap.FactorLinks, chainmap.FactorSegmentFit, chainmap.FactorPastMoves}
			for i, p := range parts {
				if p.Factor != want[i] || p.Why.Reason == "" {
					t.Fatalf("part %d = %+v, want factor %s with a reason", i, p, want[i])
				}
				got[i] = p.Points
			}
			if got != tc.want {
				t.Errorf("points %v, want %v", got, tc.want)
			}
			if chainmap.Total(parts) != tc.want[0]+tc.want[1]+tc.want[2]+tc.want[3] {
				t.Errorf("total %d is not the sum of the parts %v", chainmap.Total(parts), tc.want)
			}
		})
	}
}

// Each part says why by the reason its facts call for, with the values its sentence names.
func TestScoreCandidateReasons(t *testing.T) {
	region, seg := chainmap.Named{ID: "130600", NameZh: "保定市"}, chainmap.Named{ID: "s", Name: "Stacks"}
	hebei := chainmap.Named{ID: "130000", Name: "Hebei"}
	firms := []chainmap.Named{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}, {ID: "e"}}
	for _, tc := range []struct {
		name  string
		facts chainmap.CandidateFacts
		want  [4]chainmap.WhyReason // DISTANCE, LINKS, SEGMENT_FIT, PAST_MOVES
	}{
		{"no site, no link, exact, no move", chainmap.CandidateFacts{Distance: -1, Fit: chainmap.FitExact},
			[4]chainmap.WhyReason{chainmap.WhyNoSite, chainmap.WhyNoLink, chainmap.WhyInSegment, chainmap.WhyNoMove}},
		{"within the province, linked, next to it, spread", chainmap.CandidateFacts{Distance: 1, Shared: hebei, Fit: chainmap.FitNear,
			Linked: firms, Spread: true, SpreadWhy: chainmap.Why{Reason: chainmap.WhyProvinces, Count: 2, More: 1}},
			[4]chainmap.WhyReason{chainmap.WhyWithin, chainmap.WhyLinked, chainmap.WhyNextToSegment, chainmap.WhyProvinces}},
		{"R&D firm in another province, exact, stated move", chainmap.CandidateFacts{RD: true, Kind: chainmap.CandidateEnterprise, Distance: 2,
			Fit: chainmap.FitExact, Moves: []chainmap.PastMove{{Kind: chainmap.RDToProduction}}},
			[4]chainmap.WhyReason{chainmap.WhyOtherProvince, chainmap.WhyNoLink, chainmap.WhyInSegmentRDFirm, chainmap.WhyMovesStated}},
		{"R&D firm next to it", chainmap.CandidateFacts{RD: true, Kind: chainmap.CandidateEnterprise, Distance: 2, Fit: chainmap.FitNear},
			[4]chainmap.WhyReason{chainmap.WhyOtherProvince, chainmap.WhyNoLink, chainmap.WhyNextToSegmentRDFirm, chainmap.WhyNoMove}},
		{"institution, exact", chainmap.CandidateFacts{RD: true, Kind: chainmap.CandidateInstitution, Distance: 2, Fit: chainmap.FitExact},
			[4]chainmap.WhyReason{chainmap.WhyOtherProvince, chainmap.WhyNoLink, chainmap.WhyInSegmentInstitution, chainmap.WhyNoMove}},
		{"institution next to it", chainmap.CandidateFacts{RD: true, Kind: chainmap.CandidateInstitution, Distance: 2, Fit: chainmap.FitNear},
			[4]chainmap.WhyReason{chainmap.WhyOtherProvince, chainmap.WhyNoLink, chainmap.WhyNextToSegmentInstitution, chainmap.WhyNoMove}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.facts.Region, tc.facts.Segment = region, seg
			parts := chainmap.GapPoints.ScoreCandidate(tc.facts)
			for i, p := range parts {
				if p.Why.Reason != tc.want[i] {
					t.Errorf("part %s says %s, want %s", p.Factor, p.Why.Reason, tc.want[i])
				}
			}
			switch links := parts[1].Why; links.Reason {
			case chainmap.WhyLinked:
				if links.Count != 5 || links.More != 2 || len(links.Firms) != chainmap.MaxWhyFirms || links.Region != region {
					t.Errorf("links name %+v, want 5 firms, the first 3 named", links)
				}
			case chainmap.WhyNoLink:
				if links.Region != region {
					t.Errorf("no link names %+v", links.Region)
				}
			}
			if d := parts[0].Why; d.Reason == chainmap.WhyWithin && (d.Shared != hebei || d.Count != 1 || d.Region != region) {
				t.Errorf("distance names %+v", d)
			}
			if fit := parts[2].Why; fit.Segment != seg {
				t.Errorf("segment fit names %+v", fit.Segment)
			}
		})
	}
	park := chainmap.GapPoints.ScorePark(seg, 7, 1)
	if park[0].Why.Reason != chainmap.WhyParkNeighbours || park[0].Why.Count != 7 || park[0].Why.Segment != seg ||
		park[1].Why.Reason != chainmap.WhyParkOwnFirms || park[1].Why.Count != 1 {
		t.Errorf("park parts say %+v", park)
	}
}

// Ranking: score, then chain role (chain master, lead, supporting, none), then name, then id.
func TestRankCandidates(t *testing.T) {
	c := func(id, name string, score int, role chainmap.ChainRole) chainmap.GapCandidate {
		return chainmap.GapCandidate{Actor: chainmap.Named{ID: id, Name: name}, Score: score, ChainRole: role}
	}
	cs := []chainmap.GapCandidate{c("a", "Alpha", 5, ""), c("b", "Beta", 7, ""), c("c", "Gamma", 7, chainmap.Lead),
		c("d", "Delta", 7, chainmap.ChainMaster), c("e", "Alpha", 5, ""), c("f", "Aaron", 5, chainmap.Supporting)}
	chainmap.RankCandidates(cs)
	var got []string
	for i, x := range cs {
		if x.Rank != i+1 {
			t.Errorf("%s has rank %d at place %d", x.Actor.ID, x.Rank, i+1)
		}
		got = append(got, x.Actor.ID)
	}
	if want := []string{"d", "c", "b", "f", "a", "e"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}

	ps := []chainmap.ParkCandidate{{Park: chainmap.Named{ID: "z", Name: "Zed"}, Score: 2}, {Park: chainmap.Named{ID: "y", Name: "Why"}, Score: 4},
		{Park: chainmap.Named{ID: "x", Name: "Ex"}, Score: 2}}
	chainmap.RankParks(ps)
	if ps[0].Park.ID != "y" || ps[1].Park.ID != "x" || ps[2].Park.ID != "z" || ps[2].Rank != 3 {
		t.Errorf("parks ranked %+v", ps)
	}
	parts := chainmap.GapPoints.ScorePark(chainmap.Named{Name: "S"}, 7, 1)
	if parts[0].Points != 10 || parts[1].Points != 1 { // neighbours capped at 5 × 2
		t.Errorf("park parts %+v, want 10 and 1", parts)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in         string
		ok         bool
		start, end string
	}{
		{"2023", true, "2023-01-01", "2024-01-01"},
		{"2023-11", true, "2023-11-01", "2023-12-01"},
		{"2023-11-30", true, "2023-11-30", "2023-12-01"},
		{"2024-02-29", true, "2024-02-29", "2024-03-01"},
		{"2023-02-29", false, "", ""},
		{"2023-13", false, "", ""},
		{"23", false, "", ""},
		{"1899", false, "", ""},
		{"2023/11/30", false, "", ""},
		{"2023-11-30T00:00", false, "", ""},
	} {
		d, err := chainmap.ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q): err %v, want ok %v", tc.in, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		if d.String() != tc.in || d.Start().Format(time.DateOnly) != tc.start || d.End().Format(time.DateOnly) != tc.end {
			t.Errorf("ParseDate(%q) = %s [%s, %s), want [%s, %s)", tc.in, d, d.Start().Format(time.DateOnly), d.End().Format(time.DateOnly), tc.start, tc.end)
		}
	}
}

func TestChangeCounts(t *testing.T) {
	var c chainmap.ChangeCounts
	for i, k := range chainmap.ChangeEventKinds {
		c.Add(k, i+1)
	}
	c.Add("NO_SUCH_KIND", 100)
	for i, k := range chainmap.ChangeEventKinds {
		if c.Of(k) != i+1 {
			t.Errorf("%s = %d, want %d", k, c.Of(k), i+1)
		}
	}
	if c.Total() != 45 {
		t.Errorf("total %d, want 45", c.Total())
	}
}
