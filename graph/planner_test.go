package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// The planner's questions over GraphQL, on the curated seeds: what they cost, how they refuse bad input, and
// three real cases of each, with what a planner reads from them.

const gapsQuery = `query($code: String!, $chain: ID!, $n: Int) { regionChainGaps(regionCode: $code, chainMapId: $chain, first: $n) {
  region { code name } chainMap { id } segments held
  gaps { segment { id name } status firmsInRegion firms { id } openBottlenecks
    upstream { segment { id } firmsInRegion } downstream { segment { id } firmsInRegion }
    firmCandidates { rank score kind enterprise { id name sites { region { name } } } parts { factor points value reason note zh: note(lang: ZH) }
      regionDistance nearestSite { id } sharedRegion { code } links linkedEnterprises { id } pastMoves { kind year toRegion { name } } }
    firmCandidatesTotal
    rdCandidates { rank score kind enterprise { id } institution { id name } parts { factor points } }
    rdCandidatesTotal
    parks { rank score park { id name } parts { factor points note } neighbourFirms segmentFirms } } } }`

const scenarioQuery = `query($remove: ScenarioInput!, $chain: ID, $n: Int) { scenario(remove: $remove, chainMapId: $chain, first: $n) {
  regions { code } stoppedSites stoppedEnterprises weakenedEnterprises stoppedInstitutions segmentsTotal segmentsLost
  segments { segment { id } status firmsBefore firmsLost firmsLeft left { id } institutionsLeft { id } feeds { id } }
  cutOffTotal cutOff { enterprise { id } segment { id } suppliersLost { id } alternatives { enterprise { id } regionDistance sharedRegion { code } } }
  orphanedBottlenecksTotal orphanedBottlenecks { bottleneck { id } enterprisesLost { id } institutionsLost { id }
    enterpriseAlternatives { id } institutionAlternatives { id } }
  cutLinksTotal cutLinks { id kind derived fromName toName enterprise { id } fromRegion { code } toRegion { code } fromStops toStops standingSites { id } }
  chains { chainMap { id } segmentsLost segmentsWeakened cutOff orphanedBottlenecks cutLinks } } }`

const changesQuery = `query($chain: ID, $region: String, $from: String, $to: String, $n: Int) {
  changesSummary(chainMapId: $chain, regionCode: $region, from: $from, to: $to, first: $n) {
  from to totals { firmsAdded sitesAdded bottlenecksOpened bottlenecksMoved bottlenecksResolved linksMade linksRemoved }
  byChain { key chainMap { id } counts { sitesAdded linksMade bottlenecksMoved } }
  byRegion { key region { code name } counts { firmsAdded sitesAdded linksMade bottlenecksMoved } }
  byYear { key counts { firmsAdded sitesAdded linksMade bottlenecksMoved } }
  eventsTotal partial
  events { date kind origin label note zh: note(lang: ZH) region { code } enterprise { id } partner { id } site { id } bottleneck { id } chainMaps { id } } } }`

// Each question costs two round trips — the analysis, then the records it names — for 1 item or 20, and one
// when the request selects no record.
func TestPlannerRoundTripsFollowTheText(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 20}})
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		trips       int
	}{
		{"gaps", gapsQuery, map[string]any{"code": "130600", "chain": "hydrogen"}, 2},
		{"gaps, no records", `query($n: Int) { regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", first: $n) { held gaps { status firmCandidates { score } } } }`, nil, 1},
		{"gaps, none", `query($n: Int) { regionChainGaps(regionCode: "999999", chainMapId: "hydrogen", first: $n) { region { name } } }`, nil, 2},
		{"scenario", scenarioQuery, map[string]any{"remove": map[string]any{"regionCodes": []string{"130900"}}}, 2},
		{"scenario, no records", `query($n: Int) { scenario(remove: {regionCodes: ["130900"]}, first: $n) { stoppedEnterprises cutOffTotal } }`, nil, 1},
		{"changes", changesQuery, map[string]any{"from": "2023"}, 2},
		{"three questions", `query($n: Int) { a: regionChainGaps(regionCode: "130000", chainMapId: "robots", first: 5) { gaps { segment { id } } }
			b: scenario(remove: {enterpriseIds: ["catl"]}, first: $n) { cutOff { enterprise { id } } }
			c: changesSummary(first: $n) { events { site { id } } } }`, nil, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []int{1, 20} {
				vars := map[string]any{"n": n}
				for k, v := range tc.vars {
					vars[k] = v
				}
				r := mustData(t, srv, "", tc.query, vars, nil)
				if r.Extensions.Cost.RoundTrips != tc.trips {
					t.Errorf("first %d: %d round trips, want %d", n, r.Extensions.Cost.RoundTrips, tc.trips)
				}
			}
		})
	}
}

// Bad input is BAD_USER_INPUT naming the field, before anything is read; an id the graph lacks after one read.
func TestPlannerInputs(t *testing.T) {
	srv := newServer(t, graph.Options{})
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("e%d", i)
	}
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		field       string
		trips       int
	}{
		{"region code", `{ regionChainGaps(regionCode: "13060", chainMapId: "hydrogen") { held } }`, nil, "regionCode", 0},
		{"chain id", `{ regionChainGaps(regionCode: "130600", chainMapId: "Hydrogen!") { held } }`, nil, "chainMapId", 0},
		{"thin", `{ regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", thinAtMost: 51) { held } }`, nil, "thinAtMost", 0},
		{"candidates", `{ regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", first: 21) { held } }`, nil, "first", 0},
		{"nothing removed", `{ scenario(remove: {}) { stoppedSites } }`, nil, "remove", 0},
		{"a bad code", `{ scenario(remove: {regionCodes: ["130900", "13"]}) { stoppedSites } }`, nil, "remove.regionCodes[1]", 0},
		{"a bad id", `{ scenario(remove: {siteIds: ["A B"]}) { stoppedSites } }`, nil, "remove.siteIds[0]", 0},
		{"too many", `query($ids: [ID!]) { scenario(remove: {enterpriseIds: $ids}) { stoppedSites } }`, map[string]any{"ids": many}, "remove.enterpriseIds", 0},
		{"rows", `{ scenario(remove: {regionCodes: ["130900"]}, first: 101) { stoppedSites } }`, nil, "first", 0},
		{"alternatives", `{ scenario(remove: {regionCodes: ["130900"]}, alternatives: 0) { stoppedSites } }`, nil, "alternatives", 0},
		{"scenario chain", `{ scenario(remove: {regionCodes: ["130900"]}, chainMapId: "x y") { stoppedSites } }`, nil, "chainMapId", 0},
		{"unknown enterprise", `{ scenario(remove: {regionCodes: ["130900"], enterpriseIds: ["catl", "no-such-firm"]}) { stoppedSites } }`, nil, "remove.enterpriseIds[1]", 1},
		{"unknown region", `{ scenario(remove: {regionCodes: ["139999"]}) { stoppedSites } }`, nil, "remove.regionCodes[0]", 1},
		{"from", `{ changesSummary(from: "2023-13") { eventsTotal } }`, nil, "from", 0},
		{"to", `{ changesSummary(to: "soon") { eventsTotal } }`, nil, "to", 0},
		{"from after to", `{ changesSummary(from: "2025", to: "2024-12-31") { eventsTotal } }`, nil, "from", 0},
		{"events", `{ changesSummary(first: 501) { eventsTotal } }`, nil, "first", 0},
		{"changes region", `{ changesSummary(regionCode: "abc") { eventsTotal } }`, nil, "regionCode", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "", tc.query, tc.vars)
			if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field || r.Extensions.Cost.RoundTrips != tc.trips {
				t.Errorf("errors %+v (round trips %d), want BAD_USER_INPUT on %s after %d round trips", r.Errors, r.Extensions.Cost.RoundTrips, tc.field, tc.trips)
			}
		})
	}
	r := do(t, srv, "", `{ regionChainGaps(regionCode: "999999", chainMapId: "hydrogen") { held } }`, nil)
	if len(r.Errors) > 0 || string(r.Data) != `{"regionChainGaps":null}` {
		t.Errorf("an unknown region: %s %+v, want null and no error", r.Data, r.Errors)
	}
}

type gapsAnswer struct {
	RegionChainGaps struct {
		Region   struct{ Code, Name string }
		Segments int
		Held     int
		Gaps     []struct {
			Segment        struct{ ID, Name string }
			Status         string
			FirmsInRegion  int
			Firms          []struct{ ID string }
			Upstream       []struct{ FirmsInRegion int }
			FirmCandidates []struct {
				Rank, Score int
				Enterprise  struct{ ID, Name string }
				Parts       []struct {
					Factor           string
					Points, Value    int
					Reason, Note, Zh string
				}
				RegionDistance *int
				SharedRegion   *struct{ Code string }
				PastMoves      []struct {
					Kind     string
					Year     *int
					ToRegion *struct{ Name string }
				}
			}
			FirmCandidatesTotal int
			RdCandidates        []struct {
				Rank, Score int
				Kind        string
				Enterprise  *struct{ ID string }
				Institution *struct{ ID, Name string }
			}
			Parks []struct {
				Rank, Score    int
				Park           struct{ ID, Name string }
				NeighbourFirms int
			}
		}
	}
}

// Three regions, three chains: what each lacks and whom a planner would call first.
func TestRegionChainGapsOnTheSeeds(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 20}})
	ask := func(code, chain string) gapsAnswer {
		var a gapsAnswer
		mustData(t, srv, "", gapsQuery, map[string]any{"code": code, "chain": chain, "n": 5}, &a)
		return a
	}
	gap := func(a gapsAnswer, seg string) int {
		for i, g := range a.RegionChainGaps.Gaps {
			if g.Segment.ID == seg {
				return i
			}
		}
		t.Fatalf("%s is not a gap of %s", seg, a.RegionChainGaps.Region.Name)
		return -1
	}

	// Every segment not listed holds more firms than the threshold; the absent ones are the segments not held.
	consistent := func(a gapsAnswer) {
		absent := 0
		for _, g := range a.RegionChainGaps.Gaps {
			if g.Status == "ABSENT" {
				absent++
			}
			if (g.Status == "ABSENT") != (g.FirmsInRegion == 0) || len(g.Firms) != g.FirmsInRegion {
				t.Errorf("%s %s: %s with %d firms (%d listed)", a.RegionChainGaps.Region.Name, g.Segment.ID, g.Status, g.FirmsInRegion, len(g.Firms))
			}
		}
		if r := a.RegionChainGaps; r.Segments-r.Held != absent {
			t.Errorf("%s: %d segments, %d held, but %d absent", r.Region.Name, r.Segments, r.Held, absent)
		}
	}

	// Baoding holds few of the nine hydrogen segments. Fuel-cell systems are absent: SinoHytec, a Beijing firm
	// with a plant in Zhangjiakou (one step away, within Hebei), heads both lists, the R&D one with a stated
	// R&D→production hand-over.
	bd := ask("130600", "hydrogen")
	consistent(bd)
	if r := bd.RegionChainGaps; r.Segments != 9 || r.Held > 3 {
		t.Errorf("Baoding hydrogen: %d segments, %d held; want 9, few", r.Segments, r.Held)
	}
	g := bd.RegionChainGaps.Gaps[gap(bd, "h2-fc-system")]
	if g.Status != "ABSENT" || len(g.RdCandidates) == 0 || g.RdCandidates[0].Enterprise == nil || g.RdCandidates[0].Enterprise.ID != "sinohytec" {
		t.Errorf("Baoding fuel-cell systems: %+v", g)
	}
	if c := g.FirmCandidates[0]; c.Enterprise.ID != "sinohytec" || c.RegionDistance == nil || *c.RegionDistance != 1 || c.SharedRegion.Code != "130000" {
		t.Errorf("Baoding fuel-cell systems, first firm: %+v", c)
	}

	// Hebei holds most bio-medicine segments; intermediates are thin, and the Cangzhou bio-medicine park —
	// which hosts the region's API makers, the next segment down — is the place to put them.
	he := ask("130000", "biomedicine")
	consistent(he)
	g = he.RegionChainGaps.Gaps[gap(he, "bio-intermediates")]
	if g.Status != "THIN" || g.FirmsInRegion != 1 || len(g.Firms) != 1 || len(g.Parks) == 0 || g.Parks[0].Park.ID != "jjj-cangzhou-biomed-park" ||
		g.Parks[0].NeighbourFirms < 5 || g.Parks[0].Score != 10 {
		t.Errorf("Hebei intermediates: %+v", g)
	}
	for _, c := range g.FirmCandidates {
		if c.RegionDistance == nil || *c.RegionDistance != 1 { // every other producer is in Beijing or Tianjin
			t.Errorf("Hebei intermediates: %s at distance %v, want 1 (another province)", c.Enterprise.ID, c.RegionDistance)
		}
	}

	// Haidian holds one of eight robot segments. For servo systems the first call is SMC (China), whose
	// expansion to Tianjin a source states: its score is 3 + 0 + 4 + 3, and every part says why.
	hd := ask("110108", "robots")
	consistent(hd)
	g = hd.RegionChainGaps.Gaps[gap(hd, "rb-servo")]
	c := g.FirmCandidates[0]
	if c.Enterprise.ID != "smc-china" || c.Score != 10 || len(c.PastMoves) != 1 || c.PastMoves[0].Kind != "EXPANSION" || c.PastMoves[0].Year == nil ||
		*c.PastMoves[0].Year != 2021 {
		t.Errorf("Haidian servo systems, first firm: %+v", c)
	}
	sum := 0
	for _, p := range c.Parts {
		sum += p.Points
		if p.Note == "" || p.Zh == "" || p.Reason == "" {
			t.Errorf("part %s of %s has no reason, note or Chinese note: %+v", p.Factor, c.Enterprise.ID, p)
		}
	}
	// The reason of each part as a code, and as a sentence in English (unless asked) and in Chinese.
	if p := c.Parts[3]; p.Factor != "PAST_MOVES" || p.Reason != "MOVES_STATED" || !strings.HasPrefix(p.Note, "a source states: expansion 2021 to ") ||
		!strings.HasPrefix(p.Zh, "来源载明：2021 年扩建至") {
		t.Errorf("SMC's past moves: %+v", p)
	}
	if sum != c.Score {
		t.Errorf("SMC: parts add up to %d, score %d", sum, c.Score)
	}
}

type scenarioAnswer struct {
	Scenario struct {
		StoppedSites, StoppedEnterprises, WeakenedEnterprises, SegmentsTotal, SegmentsLost, CutOffTotal, OrphanedBottlenecksTotal, CutLinksTotal int
		Segments                                                                                                                                 []struct {
			Segment   struct{ ID string }
			Status    string
			FirmsLeft int
		}
		CutOff []struct {
			Enterprise    struct{ ID string }
			Segment       struct{ ID string }
			SuppliersLost []struct{ ID string }
			Alternatives  []struct {
				Enterprise     struct{ ID string }
				RegionDistance *int
			}
		}
		OrphanedBottlenecks []struct {
			Bottleneck             struct{ ID string }
			EnterprisesLost        []struct{ ID string }
			EnterpriseAlternatives []struct{ ID string }
		}
		CutLinks []struct {
			ID               string
			ToStops          bool
			ToRegion         *struct{ Code string }
			FromName, ToName string
		}
		Chains []struct {
			ChainMap                                                              struct{ ID string }
			SegmentsLost, SegmentsWeakened, CutOff, OrphanedBottlenecks, CutLinks int
		}
	}
}

// A flood, a supplier that withdraws, a closed plant.
func TestScenarioOnTheSeeds(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 20}})
	ask := func(remove map[string]any) scenarioAnswer {
		var a scenarioAnswer
		mustData(t, srv, "", scenarioQuery, map[string]any{"remove": remove, "n": 50}, &a)
		return a
	}
	cutOff := func(a scenarioAnswer, firm, seg string) []string {
		for _, c := range a.Scenario.CutOff {
			if c.Enterprise.ID == firm && c.Segment.ID == seg {
				var lost []string
				for _, s := range c.SuppliersLost {
					lost = append(lost, s.ID)
				}
				return lost
			}
		}
		return nil
	}

	// The per-chain counts add up to the totals (a segment, a cut-off and a bottleneck belong to one chain).
	adds := func(name string, a scenarioAnswer) {
		var lost, cut, orphaned int
		for _, ch := range a.Scenario.Chains {
			lost, cut, orphaned = lost+ch.SegmentsLost, cut+ch.CutOff, orphaned+ch.OrphanedBottlenecks
		}
		if sc := a.Scenario; lost != sc.SegmentsLost || cut != sc.CutOffTotal || orphaned != sc.OrphanedBottlenecksTotal {
			t.Errorf("%s: per chain %d lost, %d cut off, %d orphaned; totals %d, %d, %d", name, lost, cut, orphaned,
				sc.SegmentsLost, sc.CutOffTotal, sc.OrphanedBottlenecksTotal)
		}
	}

	// Cangzhou floods: its firms' R&D→manufacturing links from Beijing are cut (the bio-medicine relocations
	// and expansions of 2015–2022 among them), and Beijing Hyundai loses every body and electrics supplier the
	// graph knows.
	cza := ask(map[string]any{"regionCodes": []string{"130900"}})
	adds("Cangzhou", cza)
	cz := cza.Scenario
	if cz.StoppedEnterprises < 10 || cz.CutLinksTotal < 5 || len(cz.CutLinks) != cz.CutLinksTotal {
		t.Errorf("Cangzhou: %d firms stop, %d links cut (%d listed)", cz.StoppedEnterprises, cz.CutLinksTotal, len(cz.CutLinks))
	}
	if lost := cutOff(scenarioAnswer{cz}, "beijing-hyundai", "nev-body-electrical"); !slices.Equal(lost, []string{"baic-dymos", "baic-hanil", "mobis-cangzhou"}) {
		t.Errorf("Cangzhou: Beijing Hyundai's lost body suppliers %v", lost)
	}
	for _, l := range cz.CutLinks {
		if !l.ToStops || l.ToRegion == nil || !strings.HasPrefix(l.ToRegion.Code, "1309") {
			t.Errorf("Cangzhou: link %s (%s → %s) cut but its Cangzhou end stands", l.ID, l.FromName, l.ToName)
		}
	}

	// Hyundai Mobis's Cangzhou plant withdraws: Beijing Hyundai has no chassis supplier left, and the nearest
	// firms still making chassis parts are one step away (Beijing West Industries in Beijing).
	mba := ask(map[string]any{"enterpriseIds": []string{"mobis-cangzhou"}})
	adds("Mobis", mba)
	mb := mba.Scenario
	if len(mb.CutOff) != 1 || mb.CutOff[0].Enterprise.ID != "beijing-hyundai" || mb.CutOff[0].Segment.ID != "nev-chassis" ||
		len(mb.CutOff[0].Alternatives) != 3 || *mb.CutOff[0].Alternatives[0].RegionDistance != 1 {
		t.Errorf("Mobis: %+v", mb.CutOff)
	}

	// CATL's E-Town plant closes: Xiaomi loses its battery supplier, the one tackler of "local battery supply
	// for Xiaomi" goes, and the nearest battery maker left is Beijing Benz, in the same district.
	cta := ask(map[string]any{"siteIds": []string{"catl-etown-plant"}})
	adds("CATL plant", cta)
	ct := cta.Scenario
	if ct.StoppedEnterprises != 1 || ct.OrphanedBottlenecksTotal != 1 || ct.OrphanedBottlenecks[0].Bottleneck.ID != "nev-bn-local-battery-supply" {
		t.Errorf("CATL plant: %+v", ct)
	}
	if lost := cutOff(scenarioAnswer{ct}, "xiaomi-auto", "nev-battery"); !slices.Equal(lost, []string{"catl"}) {
		t.Errorf("CATL plant: Xiaomi's lost battery suppliers %v", lost)
	}
	for _, ch := range ct.Chains {
		if ch.ChainMap.ID == "nev-icv" && (ch.CutOff != 1 || ch.OrphanedBottlenecks != 1) {
			t.Errorf("CATL plant, nev-icv: %+v", ch)
		}
	}
}

type changesAnswer struct {
	ChangesSummary struct {
		From, To string
		Totals   struct {
			FirmsAdded, SitesAdded, BottlenecksMoved, LinksMade int
		}
		ByRegion []struct {
			Key    string
			Region struct{ Code, Name string }
			Counts struct{ FirmsAdded, SitesAdded, LinksMade, BottlenecksMoved int }
		}
		ByYear []struct {
			Key    string
			Counts struct{ FirmsAdded, SitesAdded, LinksMade, BottlenecksMoved int }
		}
		EventsTotal int
		Events      []struct {
			Date, Kind, Origin, Label string
			Note, Zh                  *string
			Enterprise                *struct{ ID string }
			ChainMaps                 []struct{ ID string }
		}
	}
}

// What changed since the maps: one chain since its own map, all chains by province, one province.
func TestChangesSummaryOnTheSeeds(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 20}})
	ask := func(vars map[string]any) changesAnswer {
		var a changesAnswer
		vars["n"] = 100
		mustData(t, srv, "", changesQuery, vars, &a)
		return a
	}
	// The machine-tool map was published on 30 Nov 2023: since then Jingdiao's Tianjin firm opened its base
	// (its first site), and two Tianjin firms took on the chain's chokepoints.
	mt := ask(map[string]any{"chain": "machine-tools", "to": "2025-12-31"}).ChangesSummary
	if mt.From != "2023-11-30" || mt.Totals.SitesAdded == 0 || mt.Totals.BottlenecksMoved == 0 ||
		!slices.ContainsFunc(mt.Events, func(e struct {
			Date, Kind, Origin, Label string
			Note, Zh                  *string
			Enterprise                *struct{ ID string }
			ChainMaps                 []struct{ ID string }
		}) bool {
			return e.Kind == "FIRM_ADDED" && e.Enterprise != nil && e.Enterprise.ID == "tianjin-jingdiao" && e.Date == "2024"
		}) {
		t.Errorf("machine tools since the map: %+v", mt)
	}
	for _, e := range mt.Events {
		if !slices.ContainsFunc(e.ChainMaps, func(c struct{ ID string }) bool { return c.ID == "machine-tools" }) {
			t.Errorf("machine tools: event %+v is of another chain", e)
		}
		// What more each event tells, in English unless asked and in Chinese when asked.
		note, zh := deref(e.Note), deref(e.Zh)
		switch e.Kind {
		case "FIRM_ADDED":
			if e.Origin == "RECORD_DATE" && (note != "its first site opened" || zh != "首个地点开设") {
				t.Errorf("machine tools: firm added %s: note %q, %q", e.Label, note, zh)
			}
		case "BOTTLENECK_MOVED":
			if e.Origin == "RECORD_DATE" && (!strings.HasPrefix(note, "taken on by ") || !strings.HasPrefix(zh, "由") || !strings.HasSuffix(zh, "攻关")) {
				t.Errorf("machine tools: bottleneck taken on %s: note %q, %q", e.Label, note, zh)
			}
		case "SITE_ADDED":
			if note == "" || zh == "" || note == zh {
				t.Errorf("machine tools: site added %s: note %q, %q", e.Label, note, zh)
			}
		}
	}
	// All chains since 2023, by province and by year: each adds up to the totals.
	all := ask(map[string]any{"from": "2023", "to": "2025-12-31"}).ChangesSummary
	sites, links := 0, 0
	for _, g := range all.ByRegion {
		sites, links = sites+g.Counts.SitesAdded, links+g.Counts.LinksMade
		if !slices.Contains([]string{"110000", "120000", "130000"}, g.Key) {
			t.Errorf("all chains: grouped under %s, want the three provinces", g.Key)
		}
	}
	if sites != all.Totals.SitesAdded || links != all.Totals.LinksMade || all.Totals.SitesAdded == 0 {
		t.Errorf("all chains since 2023: provinces add up to %d sites and %d links, totals %+v", sites, links, all.Totals)
	}
	years := 0
	for _, y := range all.ByYear {
		years += y.Counts.SitesAdded
		if y.Key < "2023" || y.Key > "2025" {
			t.Errorf("all chains since 2023: year %s", y.Key)
		}
	}
	if years != all.Totals.SitesAdded {
		t.Errorf("the timeline adds up to %d sites, the total is %d", years, all.Totals.SitesAdded)
	}
	// Hebei since 2024, by city: every event lies in Hebei or concerns its firms.
	he := ask(map[string]any{"region": "130000", "from": "2024", "to": "2025-12-31"}).ChangesSummary
	if he.EventsTotal == 0 || he.EventsTotal > all.EventsTotal {
		t.Errorf("Hebei since 2024: %d events (all chains since 2023: %d)", he.EventsTotal, all.EventsTotal)
	}
	for _, g := range he.ByRegion {
		if !strings.HasPrefix(g.Key, "13") || g.Key == "130000" {
			t.Errorf("Hebei since 2024: grouped under %s %s, want Hebei's cities", g.Key, g.Region.Name)
		}
	}
}
