package neo4jdb_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

// The planner's questions on the hand-made graph of testdata/planner.yaml, whose answers are worked out by hand
// in its header and below: the ranking rule (chainmap.GapPoints) part by part, and the scenario's arithmetic.

func openPlannerGraph(t *testing.T) *neo4jdb.DB {
	t.Helper()
	db := neo4jtest.MustOpenDB(t)
	data, err := os.ReadFile("testdata/planner.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Parse([]loader.File{{Name: "planner.yaml", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDataset(context.Background(), ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return db
}

// ranked spells candidates as "id:score[distance,links,fit,moves]", in rank order.
func ranked(cs []chainmap.GapCandidate) string {
	var out []string
	for i, c := range cs {
		if c.Rank != i+1 {
			out = append(out, fmt.Sprintf("(rank %d at %d)", c.Rank, i+1))
		}
		var pts []string
		for _, p := range c.Parts {
			pts = append(pts, fmt.Sprint(p.Points))
		}
		out = append(out, fmt.Sprintf("%s:%d[%s]", c.Actor.ID, c.Score, strings.Join(pts, ",")))
	}
	return strings.Join(out, " ")
}

func TestRegionGapsRankCandidates(t *testing.T) {
	db := openPlannerGraph(t)
	ctx := context.Background()
	got, err := db.RegionGaps(ctx, chainmap.RegionGapQuery{RegionCode: "130600", ChainMapID: "p", ThinAtMost: 1, First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got.Region.ID != "130600" || got.ChainMap.ID != "p" || got.Segments != 4 || got.Held != 2 {
		t.Fatalf("frame: %+v %+v segments %d held %d, want Baoding, p, 4, 2", got.Region, got.ChainMap, got.Segments, got.Held)
	}
	type want struct {
		status                      chainmap.GapStatus
		firms                       int
		up, down, fc, rd, parks     string
		firmTotal, rdTotal, firmIDs int
	}
	wants := map[string]want{
		// p1 is thin: f-bd1 in Zhuozhou. c-p1 and c-p1b tie at 7 (Cangzhou: one step, within Hebei); the lead
		// firm goes first. R&D: inst-bj is active next to p1 (2), in Beijing (another province: 2), linked to
		// f-bd3 by its transfer (2) and states an R&D→production hand-over (3); c-tj next to it (2), Beijing
		// (2), supplies f-bd3b (2), produces in Tianjin (1); inst-bj2 in p1 itself (4 + 2).
		"p1": {chainmap.GapThin, 1, "", "p2:0", "c-p1b:7[3,0,4,0] c-p1:7[3,0,4,0]",
			"inst-bj:9[2,2,2,3] c-tj:7[2,2,2,1] inst-bj2:6[2,0,4,0]", "park-zz:1", 2, 3, 1},
		// p2 is absent. c-lf: Langfang (3), linked to f-bd3, f-bd3b and f-bd1 (6), no move; c-tj: another
		// province (2), supplies f-bd3b (2), a stated expansion (3); c-xh: Xianghe, inside Langfang, one
		// step within Hebei (3), supplies f-bd3 (2), has a branch firm (1); c-none has no site.
		// R&D: f-rd is next to p2 (p3), its Cangzhou plant is one step within Hebei (3), produces in Hebei (1).
		// inst-bj2 and inst-bj3 tie at 4 and go by name. Parks: park-bd hosts f-bd3 and f-bd3b of p3 (2 × 2),
		// park-zz f-bd1 of p1.
		"p2": {chainmap.GapAbsent, 0, "p1:1", "p3:2 p4:0", "c-lf:13[3,6,4,0] c-tj:11[2,2,4,3] c-xh:10[3,2,4,1] c-none:4[0,0,4,0]",
			"inst-bj:11[2,2,4,3] c-tj:9[2,2,4,1] f-rd:6[3,0,2,1] inst-bj2:4[2,0,2,0] inst-bj3:4[2,0,2,0]", "park-bd:4 park-zz:2", 4, 5, 0},
		"p4": {chainmap.GapAbsent, 0, "p2:0", "", "f-lf4:7[3,0,4,0]", "inst-bj:9[2,2,2,3] c-tj:7[2,2,2,1] inst-bj3:6[2,0,4,0]", "", 1, 3, 0},
	}
	var order []string
	for _, g := range got.Gaps {
		order = append(order, g.Segment.ID)
		w, ok := wants[g.Segment.ID]
		if !ok {
			t.Errorf("unexpected gap %s", g.Segment.ID)
			continue
		}
		neighbours := func(ns []chainmap.GapNeighbour) string {
			var out []string
			for _, n := range ns {
				out = append(out, fmt.Sprintf("%s:%d", n.Segment.ID, n.FirmsInRegion))
			}
			return strings.Join(out, " ")
		}
		var parks []string
		for _, p := range g.Parks {
			parks = append(parks, fmt.Sprintf("%s:%d", p.Park.ID, p.Score))
		}
		checks := []struct{ what, got, want string }{
			{"status", string(g.Status), string(w.status)},
			{"firms in region", fmt.Sprint(g.FirmsInRegion, len(g.Firms)), fmt.Sprint(w.firms, w.firmIDs)},
			{"upstream", neighbours(g.Upstream), w.up},
			{"downstream", neighbours(g.Downstream), w.down},
			{"firm candidates", ranked(g.FirmCandidates), w.fc},
			{"R&D candidates", ranked(g.RDCandidates), w.rd},
			{"parks", strings.Join(parks, " "), w.parks},
			{"totals", fmt.Sprint(g.FirmCandidatesTotal, g.RDCandidatesTotal), fmt.Sprint(w.firmTotal, w.rdTotal)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s %s:\n got  %s\n want %s", g.Segment.ID, c.what, c.got, c.want)
			}
		}
	}
	if !slices.Equal(order, []string{"p1", "p2", "p4"}) {
		t.Errorf("gaps %v, want p1 p2 p4 in chain order", order)
	}

	// The explanation of one candidate, in full.
	p2 := got.Gaps[1]
	tj := p2.FirmCandidates[1]
	if tj.Actor.ID != "c-tj" || tj.RegionDistance != 2 || tj.SharedRegionCode != "" || tj.NearestSiteID != "c-tj-binhai" ||
		len(tj.PastMoves) != 1 || tj.PastMoves[0].Kind != chainmap.Expansion || tj.PastMoves[0].Year != 2024 ||
		tj.PastMoves[0].ToRegionCode != "120116" || fmt.Sprint(idsOf(tj.Linked)) != "[f-bd3b]" {
		t.Errorf("c-tj = %+v", tj)
	}
	xh := p2.FirmCandidates[2]
	if xh.RegionDistance != 1 || xh.SharedRegionCode != "130000" || xh.Parts[3].Why.Reason != chainmap.WhyProvinces || xh.Parts[3].Why.More < 1 {
		t.Errorf("c-xh = %+v", xh)
	}
	for _, c := range append(p2.FirmCandidates, p2.RDCandidates...) {
		if c.Score != chainmap.Total(c.Parts) || len(c.Parts) != 4 {
			t.Errorf("%s: score %d is not the sum of its parts %+v", c.Actor.ID, c.Score, c.Parts)
		}
	}

	// first cuts the lists, not their totals; thinAtMost 0 keeps only absent segments; 2 takes in p3.
	cut, err := db.RegionGaps(ctx, chainmap.RegionGapQuery{RegionCode: "130600", ChainMapID: "p", ThinAtMost: 0, First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(cut.Gaps) != 2 || cut.Gaps[0].Segment.ID != "p2" || ranked(cut.Gaps[0].FirmCandidates) != "c-lf:13[3,6,4,0]" ||
		cut.Gaps[0].FirmCandidatesTotal != 4 || len(cut.Gaps[0].Parks) != 1 {
		t.Errorf("thinAtMost 0, first 1: %+v", cut.Gaps)
	}
	wide, err := db.RegionGaps(ctx, chainmap.RegionGapQuery{RegionCode: "130600", ChainMapID: "p", ThinAtMost: 2, First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(wide.Gaps) != 4 || wide.Gaps[2].Segment.ID != "p3" || wide.Gaps[2].Status != chainmap.GapThin || len(wide.Gaps[2].Firms) != 2 {
		t.Errorf("thinAtMost 2: %+v", wide.Gaps)
	}
	for _, q := range []chainmap.RegionGapQuery{{RegionCode: "999999", ChainMapID: "p", First: 1}, {RegionCode: "130600", ChainMapID: "nope", First: 1}} {
		if none, err := db.RegionGaps(ctx, q); err != nil || none != nil {
			t.Errorf("RegionGaps(%+v) = %+v, %v; want nil", q, none, err)
		}
	}
}

func idsOf(ns []chainmap.Named) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// scenarioFacts spells a scenario's answer compactly, list by list.
func scenarioFacts(s *chainmap.Scenario) map[string]string {
	out := map[string]string{
		"counts": fmt.Sprintf("sites %d firms %d weakened %d institutions %d", s.StoppedSites, s.StoppedEnterprises, s.WeakenedEnterprises, s.StoppedInstitutions),
		"totals": fmt.Sprintf("segments %d lost %d cut off %d orphaned %d links %d", s.SegmentsTotal, s.SegmentsLost, s.CutOffTotal,
			s.OrphanedBottlenecksTotal, s.CutLinksTotal),
	}
	var l []string
	for _, x := range s.Segments {
		l = append(l, fmt.Sprintf("%s %s %d-%d=%d left%v inst%v", x.Segment.ID, x.Status, x.FirmsBefore, x.FirmsLost, x.FirmsLeft, idsOf(x.Left), idsOf(x.InstitutionsLeft)))
	}
	out["segments"] = strings.Join(l, "; ")
	l = nil
	for _, x := range s.CutOff {
		var alts []string
		for _, a := range x.Alternatives {
			alts = append(alts, fmt.Sprintf("%s@%d/%s", a.EnterpriseID, a.RegionDistance, a.SharedRegionCode))
		}
		l = append(l, fmt.Sprintf("%s in %s lost%v alts%v", x.Enterprise.ID, x.Segment.ID, idsOf(x.SuppliersLost), alts))
	}
	out["cutOff"] = strings.Join(l, "; ")
	l = nil
	for _, x := range s.OrphanedBottlenecks {
		l = append(l, fmt.Sprintf("%s lost%v%v alts%v%v", x.Bottleneck.ID, idsOf(x.EnterprisesLost), idsOf(x.InstitutionsLost), idsOf(x.EnterpriseAlts), idsOf(x.InstitutionAlts)))
	}
	out["orphaned"] = strings.Join(l, "; ")
	l = nil
	for _, x := range s.CutLinks {
		l = append(l, fmt.Sprintf("%s %s from:%v to:%v standing%v", x.ID, x.Kind, x.FromStops, x.ToStops, idsOf(x.Standing)))
	}
	out["links"] = strings.Join(l, "; ")
	l = nil
	for _, c := range s.Chains {
		l = append(l, fmt.Sprintf("%s:%d/%d/%d/%d/%d", c.ChainMapID, c.SegmentsLost, c.SegmentsWeakened, c.CutOff, c.OrphanedBottlenecks, c.CutLinks))
	}
	out["chains"] = strings.Join(l, " ")
	return out
}

func TestScenarioArithmetic(t *testing.T) {
	db := openPlannerGraph(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		q    chainmap.ScenarioQuery
		want map[string]string
	}{{
		// Langfang and Xianghe inside it stop: c-lf, c-xh, f-lf4 and q-lf lose their only site; f-rd loses one
		// of four. p4 and q1 are left with no firm; p2 keeps c-tj and c-none. f-bd3 bought p2 only from c-lf
		// and c-xh (f-bd3b still has c-tj); the nearest p2 firm left is c-tj, in another province. Both
		// tacklers of b-orphan stop (b-resolved does not count). f-rd's two derived links to its Langfang
		// plant are cut; it still produces in Cangzhou.
		"Langfang", chainmap.ScenarioQuery{RegionCodes: []string{"131000"}}, map[string]string{
			"counts":   "sites 5 firms 4 weakened 1 institutions 1",
			"totals":   "segments 3 lost 2 cut off 1 orphaned 1 links 2",
			"segments": "p4 LOST 1-1=0 left[] inst[inst-bj3]; q1 LOST 1-1=0 left[] inst[]; p2 WEAKENED 4-2=2 left[c-tj c-none] inst[inst-bj inst-tj]",
			"cutOff":   "f-bd3 in p2 lost[c-lf c-xh] alts[c-tj@2/]",
			"orphaned": "b-orphan lost[c-lf][inst-lf] alts[c-tj c-none][inst-bj inst-tj]",
			"links": "derived:f-rd-hq>f-rd-lf RD_TO_PRODUCTION from:false to:true standing[f-rd-cz]; " +
				"derived:f-rd-rd>f-rd-lf RD_TO_PRODUCTION from:false to:true standing[f-rd-cz]",
			"chains": "p:1/1/1/1/2 q:1/0/0/0/0",
		}}, {
		// The same, kept to chain p: q-lf and q1 drop out.
		"Langfang in chain p", chainmap.ScenarioQuery{RegionCodes: []string{"131000"}, ChainMapID: "p"}, map[string]string{
			"counts": "sites 4 firms 3 weakened 1 institutions 1",
			"totals": "segments 2 lost 1 cut off 1 orphaned 1 links 2",
			"chains": "p:1/1/1/1/2",
		}}, {
		// A named firm and a named site: c-tj stops with both its sites, f-bd1 with its only one. c-lf bought p1
		// only from f-bd1; c-p1b and c-p1 in Cangzhou are one step from Langfang, the lead firm first. c-tj's
		// stated expansion loses both ends, and nothing stands of a firm that stops.
		"a firm and a site", chainmap.ScenarioQuery{EnterpriseIDs: []string{"c-tj"}, SiteIDs: []string{"f-bd1-plant"}}, map[string]string{
			"counts":   "sites 3 firms 2 weakened 0 institutions 0",
			"totals":   "segments 2 lost 0 cut off 1 orphaned 0 links 1",
			"segments": "p1 WEAKENED 3-1=2 left[c-p1b c-p1] inst[inst-bj2]; p2 WEAKENED 4-1=3 left[c-lf c-none c-xh] inst[inst-bj inst-lf inst-tj]",
			"cutOff":   "c-lf in p1 lost[f-bd1] alts[c-p1b@1/130000 c-p1@1/130000]",
			"orphaned": "",
			"links":    "t-ctj-exp EXPANSION from:true to:true standing[]",
		}}, {
		// Haidian: no firm stops, f-rd loses its R&D site; inst-bj and inst-bj2 stop, and b-inst with them.
		// The Beijing ends of inst-bj's transfer and of f-rd's R&D-site links are cut; f-rd keeps its HQ.
		"Haidian", chainmap.ScenarioQuery{RegionCodes: []string{"110108"}}, map[string]string{
			"counts":   "sites 1 firms 0 weakened 1 institutions 2",
			"totals":   "segments 0 lost 0 cut off 0 orphaned 1 links 3",
			"orphaned": "b-inst lost[][inst-bj] alts[c-tj c-lf c-none][inst-lf inst-tj]",
			"links": "derived:f-rd-rd>f-rd-cz RD_TO_PRODUCTION from:true to:false standing[f-rd-hq]; " +
				"derived:f-rd-rd>f-rd-lf RD_TO_PRODUCTION from:true to:false standing[f-rd-hq]; " +
				"t-instbj RD_TO_PRODUCTION from:true to:false standing[]",
		}}, {
		// f-rd's R&D site alone: its two links from there are cut at their Beijing end; its HQ stands.
		"an R&D site", chainmap.ScenarioQuery{SiteIDs: []string{"f-rd-rd"}}, map[string]string{
			"counts": "sites 1 firms 0 weakened 1 institutions 0",
			"links": "derived:f-rd-rd>f-rd-cz RD_TO_PRODUCTION from:true to:false standing[f-rd-hq]; " +
				"derived:f-rd-rd>f-rd-lf RD_TO_PRODUCTION from:true to:false standing[f-rd-hq]",
		}}, {
		// f-rd named: all four of its links lose both ends, and nothing of it stands.
		"a firm with R&D links", chainmap.ScenarioQuery{EnterpriseIDs: []string{"f-rd"}}, map[string]string{
			"counts": "sites 4 firms 1 weakened 0 institutions 0",
			"links": "derived:f-rd-hq>f-rd-cz RD_TO_PRODUCTION from:true to:true standing[]; " +
				"derived:f-rd-hq>f-rd-lf RD_TO_PRODUCTION from:true to:true standing[]; " +
				"derived:f-rd-rd>f-rd-cz RD_TO_PRODUCTION from:true to:true standing[]; " +
				"derived:f-rd-rd>f-rd-lf RD_TO_PRODUCTION from:true to:true standing[]",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.First, tc.q.Alternatives = 10, 3
			got, err := db.Scenario(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Unknown) > 0 {
				t.Errorf("unknown %v", got.Unknown)
			}
			facts := scenarioFacts(got)
			for k, want := range tc.want {
				if facts[k] != want {
					t.Errorf("%s:\n got  %s\n want %s", k, facts[k], want)
				}
			}
		})
	}

	// first bounds the lists, not the counts.
	got, err := db.Scenario(ctx, chainmap.ScenarioQuery{RegionCodes: []string{"131000"}, First: 1, Alternatives: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Segments) != 1 || got.SegmentsTotal != 3 || len(got.CutLinks) != 1 || got.CutLinksTotal != 2 || len(got.Segments[0].Left) > 1 {
		t.Errorf("first 1: %+v", scenarioFacts(got))
	}
	// Ids and codes the graph does not hold are named.
	got, err = db.Scenario(ctx, chainmap.ScenarioQuery{RegionCodes: []string{"139999", "131000"}, EnterpriseIDs: []string{"nope"}, First: 5, Alternatives: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Unknown, []string{"139999", "nope"}) {
		t.Errorf("unknown %v, want [139999 nope]", got.Unknown)
	}
}

// changeFacts spells a summary's counts.
func changeFacts(s *chainmap.ChangesSummary) map[string]string {
	counts := func(c *chainmap.ChangeCounts) string {
		var out []string
		for _, k := range chainmap.ChangeEventKinds {
			if n := c.Of(k); n > 0 {
				out = append(out, fmt.Sprintf("%s=%d", k, n))
			}
		}
		return strings.Join(out, " ")
	}
	groups := func(gs []chainmap.ChangeGroup) string {
		var out []string
		for _, g := range gs {
			if c := counts(g.Counts); c != "" {
				out = append(out, g.Key+"{"+c+"}")
			}
		}
		return strings.Join(out, " ")
	}
	return map[string]string{"window": s.From.String() + ".." + s.To.String(), "totals": counts(s.Totals), "byYear": groups(s.ByYear),
		"byRegion": groups(s.ByRegion), "byChain": groups(s.ByChain), "events": fmt.Sprint(s.EventsTotal)}
}

func TestChangesSummary(t *testing.T) {
	db := openPlannerGraph(t)
	ctx := context.Background()
	d := func(s string) chainmap.Date {
		x, err := chainmap.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	// The records' own dates from 2023: c-lf's plant (2023) is its only site, so the firm is new too; c-tj's
	// Binhai plant (2024) is not (its HQ dates from 2010); c-tj took on b-kept in 2024 (c-lf in 2020: before);
	// c-lf has supplied f-bd3 in Baoding since 2023; c-tj's expansion is dated 2024 (inst-bj's transfer 2022).
	for _, tc := range []struct {
		name string
		q    chainmap.ChangesQuery
		want map[string]string
	}{{
		"all since 2023", chainmap.ChangesQuery{From: d("2023"), To: d("2025-12-31")}, map[string]string{
			"window":   "2023..2025-12-31",
			"totals":   "FIRM_ADDED=1 SITE_ADDED=2 BOTTLENECK_MOVED=1 LINK_MADE=2",
			"byYear":   "2023{FIRM_ADDED=1 SITE_ADDED=1 LINK_MADE=1} 2024{SITE_ADDED=1 BOTTLENECK_MOVED=1 LINK_MADE=1}",
			"byRegion": "120000{SITE_ADDED=1 BOTTLENECK_MOVED=1 LINK_MADE=1} 130000{FIRM_ADDED=1 SITE_ADDED=1 LINK_MADE=1}",
			"byChain":  "p{FIRM_ADDED=1 SITE_ADDED=2 BOTTLENECK_MOVED=1 LINK_MADE=2}",
			"events":   "6",
		}}, {
		"since 2024", chainmap.ChangesQuery{From: d("2024"), To: d("2025")}, map[string]string{
			"totals": "SITE_ADDED=1 BOTTLENECK_MOVED=1 LINK_MADE=1",
		}}, {
		"chain q", chainmap.ChangesQuery{ChainMapID: "q", From: d("2023"), To: d("2025")}, map[string]string{
			"totals": "", "byChain": "",
		}}, {
		// A chain's supply links are kept by their ends' maintained aggregates (summary.go, linkInChain).
		"chain p", chainmap.ChangesQuery{ChainMapID: "p", From: d("2023"), To: d("2025-12-31")}, map[string]string{
			"totals":  "FIRM_ADDED=1 SITE_ADDED=2 BOTTLENECK_MOVED=1 LINK_MADE=2",
			"byChain": "p{FIRM_ADDED=1 SITE_ADDED=2 BOTTLENECK_MOVED=1 LINK_MADE=2}",
		}}, {
		// Baoding: the supply link lands there; b-kept constrains p3, which Baoding's firms are in.
		"Baoding", chainmap.ChangesQuery{RegionCode: "130600", From: d("2023"), To: d("2025")}, map[string]string{
			"totals":   "BOTTLENECK_MOVED=1 LINK_MADE=1",
			"byRegion": "130600{LINK_MADE=1}",
		}}, {
		// Zhuozhou, inside Baoding: its one firm is in p1, not in p3, so b-kept's move is not counted there.
		"Zhuozhou", chainmap.ChangesQuery{RegionCode: "130681", From: d("2023"), To: d("2025")}, map[string]string{
			"totals": "",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.First = 10
			got, err := db.ChangesSummary(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			facts := changeFacts(got)
			for k, want := range tc.want {
				if facts[k] != want {
					t.Errorf("%s:\n got  %s\n want %s", k, facts[k], want)
				}
			}
			if len(got.Events) > tc.q.First || (got.EventsTotal > 0 && len(got.Events) == 0) {
				t.Errorf("%d events listed of %d", len(got.Events), got.EventsTotal)
			}
		})
	}

	// Without a start, the window opens at the chain map's publication date, else in 2023.
	got, err := db.ChangesSummary(ctx, chainmap.ChangesQuery{ChainMapID: "p", To: d("2025"), First: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got.From.String() != "2023" || len(got.Events) != 3 || got.Events[0].Date != "2024" || got.Events[2].Date != "2024" {
		t.Errorf("default window from %s, events %+v", got.From, got.Events)
	}
	// The newest events are read out from the first year that holds $first of them: with four, 2023's first by
	// kind joins 2024's three; with six, every one.
	for first, want := range map[int]string{4: "2024 2024 2024 2023/FIRM_ADDED", 6: "2024 2024 2024 2023/FIRM_ADDED 2023/LINK_MADE 2023/SITE_ADDED"} {
		got, err := db.ChangesSummary(ctx, chainmap.ChangesQuery{ChainMapID: "p", To: d("2025"), First: first})
		if err != nil {
			t.Fatal(err)
		}
		var dates []string
		for _, e := range got.Events {
			if e.Date == "2023" {
				dates = append(dates, e.Date+"/"+string(e.Kind))
			} else {
				dates = append(dates, e.Date)
			}
		}
		if strings.Join(dates, " ") != want || got.EventsTotal != 6 {
			t.Errorf("first %d: events %s of %d, want %s of 6", first, strings.Join(dates, " "), got.EventsTotal, want)
		}
	}

	// Editors' changes, from the change log and the status history.
	if _, err := db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: "n-new", NameEn: "N New", SegmentIDs: []string{"p2"},
		Provenance: chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{"src"}}},
		[]chainmap.Site{{ID: "n-new-plant", Kind: chainmap.Manufacturing, RegionCode: "130600"}}, false, "ed"); err != nil {
		t.Fatal(err)
	}
	// A firm whose every site carries its own date is counted by the dates, once.
	if _, err := db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: "n-dated", NameEn: "N Dated", SegmentIDs: []string{"p2"},
		Provenance: chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{"src"}}},
		[]chainmap.Site{{ID: "n-dated-plant", Kind: chainmap.Manufacturing, RegionCode: "120116", Since: 2024}}, false, "ed"); err != nil {
		t.Fatal(err)
	}
	for _, st := range []chainmap.BottleneckStatus{chainmap.InProgress, chainmap.Resolved} {
		if _, err := db.SetBottleneckStatus(ctx, "b-kept", st, "", "ed"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.LinkSupplier(ctx, chainmap.Supply{FromID: "n-new", ToID: "f-bd3", Product: "p2 parts",
		Provenance: chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{"src"}}}, "ed"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UnlinkSupplier(ctx, "c-lf", "f-bd3b", "p2 parts", "ed"); err != nil {
		t.Fatal(err)
	}
	today := chainmap.DateOf(time.Now())
	got, err = db.ChangesSummary(ctx, chainmap.ChangesQuery{From: d("2023"), To: today, First: 50})
	if err != nil {
		t.Fatal(err)
	}
	facts := changeFacts(got)
	if want := "FIRM_ADDED=3 SITE_ADDED=4 BOTTLENECK_MOVED=2 BOTTLENECK_RESOLVED=1 LINK_MADE=3 LINK_REMOVED=1"; facts["totals"] != want {
		t.Errorf("with editors' changes: totals\n got  %s\n want %s", facts["totals"], want)
	}
	if facts["events"] != "14" || len(got.Events) != 14 {
		t.Errorf("events total %s, listed %d; want 14", facts["events"], len(got.Events))
	}
	origins := map[chainmap.ChangeOrigin]int{}
	for i, e := range got.Events {
		origins[e.Origin]++
		if i > 0 && e.At.After(got.Events[i-1].At) {
			t.Errorf("event %d (%s) is newer than the one before it", i, e.Date)
		}
		if e.Origin == chainmap.FromChangeLog && (e.Seq == 0 || e.Author != "ed") {
			t.Errorf("log event %+v", e)
		}
	}
	if origins[chainmap.FromChangeLog] != 4 || origins[chainmap.FromStatusHistory] != 2 || origins[chainmap.FromRecordDate] != 8 {
		t.Errorf("origins %v, want 4 from the log (n-new, its plant, a link made, a link removed), 2 from the status history, 8 from records", origins)
	}
	// In Baoding: n-new, its plant, its link to f-bd3 and the removed c-lf→f-bd3b land there; b-kept concerns it.
	got, err = db.ChangesSummary(ctx, chainmap.ChangesQuery{RegionCode: "130600", From: d("2023"), To: today, First: 50})
	if err != nil {
		t.Fatal(err)
	}
	if want := "FIRM_ADDED=1 SITE_ADDED=1 BOTTLENECK_MOVED=2 BOTTLENECK_RESOLVED=1 LINK_MADE=2 LINK_REMOVED=1"; changeFacts(got)["totals"] != want {
		t.Errorf("Baoding with editors' changes: totals\n got  %s\n want %s", changeFacts(got)["totals"], want)
	}
}

// The planner's statements plan (EXPLAIN) for the shapes the server plans ahead at start.
func TestWarmPlans(t *testing.T) {
	db := openPlannerGraph(t)
	if err := db.WarmPlans(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A scenario that removes regions alone finds its firms that stop, its cut-off firms and the firms standing near
// them from maintained nodes (the FirmAggregates' spans, SegmentSupply, SegmentRegion); one that also names an
// enterprise counts each touched firm's sites, walks the supply links out of the firms that stop and the
// members of each segment. Naming an enterprise the graph does not hold stops nothing more, so both ways must
// give the same answer, list for list: on the seeds and a synthetic run, for cities, districts, provinces, two
// regions at once, and one chain map, with the default alternatives and the most a scenario shows.
func TestScenarioCutOffBothWays(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	syn, err := synth.Generate(synth.Config{Seed: 11, Enterprises: 400, Supplies: 1600}, ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteSynthetic(ctx, syn, 0, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.DeleteSynthetic(context.Background(), nil); err != nil {
			t.Error(err)
		}
	})
	cut := 0
	for _, tc := range []struct {
		regions []string
		chain   string
		alts    int
	}{
		{[]string{"130900"}, "", 3}, {[]string{"131000"}, "", chainmap.MaxAlts}, {[]string{"110108"}, "", 3},
		{[]string{"120000"}, "", chainmap.MaxAlts}, {[]string{"130000"}, "", 3}, {[]string{"110000"}, "", chainmap.MaxAlts},
		{[]string{"130900", "110108"}, "", 3}, {[]string{"130000"}, "nev-icv", chainmap.MaxAlts},
	} {
		q := chainmap.ScenarioQuery{RegionCodes: tc.regions, ChainMapID: tc.chain, First: 1000, Alternatives: tc.alts}
		byFootprint, err := db.Scenario(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		q.EnterpriseIDs = []string{"no-such-firm"}
		byStoppedFirms, err := db.Scenario(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		byStoppedFirms.Unknown = nil
		if !reflect.DeepEqual(byFootprint, byStoppedFirms) {
			t.Errorf("%v %q: the two ways differ:\n by footprint     %+v\n by stopped firms %+v", tc.regions, tc.chain,
				scenarioFacts(byFootprint), scenarioFacts(byStoppedFirms))
		}
		cut += byFootprint.CutOffTotal
	}
	if cut < 20 {
		t.Errorf("%d cut-off rows over all cases: too few to compare the two ways", cut)
	}
}
