package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/i18n"
)

// The planner's questions (regionChainGaps, scenario, changesSummary). Each is an analysis: one statement that
// returns ids and figures, then one Records statement for what the request selects of the records it names
// (none when it selects no record) — two round trips, whatever the answer's size.

// regionChainGaps checks the arguments, runs the analysis and reads the records it names.
func (r *queryResolver) regionChainGaps(ctx context.Context, regionCode, chainMapID string, thinAtMost, first *int) (*chainmap.RegionGaps, error) {
	thin, err := between("thinAtMost", thinAtMost, chainmap.DefaultThinAtMost, 0, chainmap.MaxThinAtMost)
	n, nerr := budget("first", first, chainmap.DefaultCandidates, chainmap.MaxCandidates)
	if err = firstErr(checkRegion("regionCode", &regionCode), chainmap.CheckID("chainMapId", chainMapID), err, nerr); err != nil {
		return nil, err
	}
	paths := []string{"region", "chainMap", "gaps.segment", "gaps.firms", "gaps.upstream.segment", "gaps.downstream.segment", "gaps.parks.park"}
	for _, l := range []string{"gaps.firmCandidates.", "gaps.rdCandidates."} {
		for _, f := range []string{"enterprise", "institution", "nearestSite", "sharedRegion", "linkedEnterprises", "pastMoves.fromRegion", "pastMoves.toRegion"} {
			paths = append(paths, l+f)
		}
	}
	h, err := r.planner.hydrator(ctx, paths...)
	if err != nil {
		return nil, err
	}
	res, err := r.Store.RegionGaps(ctx, chainmap.RegionGapQuery{RegionCode: regionCode, ChainMapID: chainMapID, ThinAtMost: thin, First: n})
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, h.run(ctx, r.Store) // nothing to read, but the same round trips as when there is
	}
	h.want("region", &res.Related, false, res.Region.ID)
	h.want("chainMap", &res.Related, false, res.ChainMap.ID)
	for i := range res.Gaps {
		g := &res.Gaps[i]
		h.want("gaps.segment", &g.Related, false, g.Segment.ID)
		h.want("gaps.firms", &g.Related, true, ids(g.Firms)...)
		for j := range g.Upstream {
			h.want("gaps.upstream.segment", &g.Upstream[j].Related, false, g.Upstream[j].Segment.ID)
		}
		for j := range g.Downstream {
			h.want("gaps.downstream.segment", &g.Downstream[j].Related, false, g.Downstream[j].Segment.ID)
		}
		for j := range g.Parks {
			h.want("gaps.parks.park", &g.Parks[j].Related, false, g.Parks[j].Park.ID)
		}
		for l, cs := range map[string][]chainmap.GapCandidate{"gaps.firmCandidates.": g.FirmCandidates, "gaps.rdCandidates.": g.RDCandidates} {
			for j := range cs {
				c := &cs[j]
				if c.Kind == chainmap.CandidateEnterprise {
					h.want(l+"enterprise", &c.Related, false, c.Actor.ID)
					h.want(l+"institution", &c.Related, false, "")
				} else {
					h.want(l+"enterprise", &c.Related, false, "")
					h.want(l+"institution", &c.Related, false, c.Actor.ID)
				}
				h.want(l+"nearestSite", &c.Related, false, c.NearestSiteID)
				h.want(l+"sharedRegion", &c.Related, false, c.SharedRegionCode)
				h.want(l+"linkedEnterprises", &c.Related, true, ids(c.Linked)...)
				for k := range c.PastMoves {
					mv := &c.PastMoves[k]
					h.want(l+"pastMoves.fromRegion", &mv.Related, false, mv.FromRegionCode)
					h.want(l+"pastMoves.toRegion", &mv.Related, false, mv.ToRegionCode)
				}
			}
		}
	}
	return res, h.run(ctx, r.Store)
}

// scenario checks the places and firms to remove, runs the analysis and reads the records it names. Ids and
// codes the graph does not hold are BAD_USER_INPUT, naming the first of them.
func (r *queryResolver) scenario(ctx context.Context, remove ScenarioInput, chainMapID *string, first, alternatives *int) (*chainmap.Scenario, error) {
	n, err := budget("first", first, chainmap.DefaultRows, chainmap.MaxRows)
	alts, aerr := budget("alternatives", alternatives, chainmap.DefaultAlts, chainmap.MaxAlts)
	if err = firstErr(err, aerr, checkScenario(remove)); err != nil {
		return nil, err
	}
	if chainMapID != nil {
		if err := chainmap.CheckID("chainMapId", *chainMapID); err != nil {
			return nil, err
		}
	}
	h, err := r.planner.hydrator(ctx, "regions", "segments.segment", "segments.left", "segments.institutionsLeft", "segments.feeds",
		"cutOff.enterprise", "cutOff.segment", "cutOff.suppliersLost", "cutOff.alternatives.enterprise", "cutOff.alternatives.sharedRegion",
		"orphanedBottlenecks.bottleneck", "orphanedBottlenecks.enterprisesLost", "orphanedBottlenecks.institutionsLost",
		"orphanedBottlenecks.enterpriseAlternatives", "orphanedBottlenecks.institutionAlternatives",
		"cutLinks.enterprise", "cutLinks.fromRegion", "cutLinks.toRegion", "cutLinks.standingSites", "chains.chainMap")
	if err != nil {
		return nil, err
	}
	sc, err := r.Store.Scenario(ctx, chainmap.ScenarioQuery{RegionCodes: remove.RegionCodes, EnterpriseIDs: remove.EnterpriseIds,
		SiteIDs: remove.SiteIds, ChainMapID: deref(chainMapID), First: n, Alternatives: alts})
	if err != nil {
		return nil, err
	}
	if len(sc.Unknown) > 0 {
		return nil, unknownRemoved(remove, sc.Unknown[0])
	}
	h.want("regions", &sc.Related, true, sc.RegionCodes...)
	for i := range sc.Segments {
		s := &sc.Segments[i]
		h.want("segments.segment", &s.Related, false, s.Segment.ID)
		h.want("segments.left", &s.Related, true, ids(s.Left)...)
		h.want("segments.institutionsLeft", &s.Related, true, ids(s.InstitutionsLeft)...)
		h.want("segments.feeds", &s.Related, true, ids(s.Feeds)...)
	}
	for i := range sc.CutOff {
		c := &sc.CutOff[i]
		h.want("cutOff.enterprise", &c.Related, false, c.Enterprise.ID)
		h.want("cutOff.segment", &c.Related, false, c.Segment.ID)
		h.want("cutOff.suppliersLost", &c.Related, true, ids(c.SuppliersLost)...)
		for j := range c.Alternatives {
			a := &c.Alternatives[j]
			h.want("cutOff.alternatives.enterprise", &a.Related, false, a.EnterpriseID)
			h.want("cutOff.alternatives.sharedRegion", &a.Related, false, a.SharedRegionCode)
		}
	}
	for i := range sc.OrphanedBottlenecks {
		b := &sc.OrphanedBottlenecks[i]
		h.want("orphanedBottlenecks.bottleneck", &b.Related, false, b.Bottleneck.ID)
		h.want("orphanedBottlenecks.enterprisesLost", &b.Related, true, ids(b.EnterprisesLost)...)
		h.want("orphanedBottlenecks.institutionsLost", &b.Related, true, ids(b.InstitutionsLost)...)
		h.want("orphanedBottlenecks.enterpriseAlternatives", &b.Related, true, ids(b.EnterpriseAlts)...)
		h.want("orphanedBottlenecks.institutionAlternatives", &b.Related, true, ids(b.InstitutionAlts)...)
	}
	for i := range sc.CutLinks {
		l := &sc.CutLinks[i]
		h.want("cutLinks.enterprise", &l.Related, false, l.EnterpriseID)
		h.want("cutLinks.fromRegion", &l.Related, false, l.FromRegionCode)
		h.want("cutLinks.toRegion", &l.Related, false, l.ToRegionCode)
		h.want("cutLinks.standingSites", &l.Related, true, ids(l.Standing)...)
	}
	for i := range sc.Chains {
		h.want("chains.chainMap", &sc.Chains[i].Related, false, sc.Chains[i].ChainMapID)
	}
	return sc, h.run(ctx, r.Store)
}

// checkScenario checks what a scenario removes: at most chainmap.MaxRemoved of each, one at least, each a
// well-formed code or id.
func checkScenario(in ScenarioInput) error {
	if len(in.RegionCodes)+len(in.EnterpriseIds)+len(in.SiteIds) == 0 {
		return chainmap.Invalid("remove", "name at least one region, enterprise or site to remove")
	}
	for _, l := range []struct {
		path string
		ids  []string
		code bool
	}{{"remove.regionCodes", in.RegionCodes, true}, {"remove.enterpriseIds", in.EnterpriseIds, false}, {"remove.siteIds", in.SiteIds, false}} {
		if len(l.ids) > chainmap.MaxRemoved {
			return chainmap.Invalid(l.path, "at most %d, got %d", chainmap.MaxRemoved, len(l.ids))
		}
		for i, id := range l.ids {
			path := fmt.Sprintf("%s[%d]", l.path, i)
			var err error
			if l.code {
				err = checkRegion(path, &id)
			} else {
				err = chainmap.CheckID(path, id)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// unknownRemoved names the input field of an id or code the graph does not hold.
func unknownRemoved(in ScenarioInput, id string) error {
	for _, l := range []struct {
		path, what string
		ids        []string
	}{{"remove.regionCodes", "region", in.RegionCodes}, {"remove.enterpriseIds", "enterprise", in.EnterpriseIds}, {"remove.siteIds", "site", in.SiteIds}} {
		for i, x := range l.ids {
			if x == id {
				return chainmap.Invalid(fmt.Sprintf("%s[%d]", l.path, i), "no %s %q in the graph", l.what, id)
			}
		}
	}
	return chainmap.Invalid("remove", "no record %q in the graph", id)
}

// changesSummary checks the window, runs the summary and reads the records it names.
func (r *queryResolver) changesSummary(ctx context.Context, chainMapID, regionCode, from, to *string, first *int) (*chainmap.ChangesSummary, error) {
	n, err := budget("first", first, chainmap.DefaultEvents, chainmap.MaxEvents)
	if err = firstErr(err, checkRegion("regionCode", regionCode)); err != nil {
		return nil, err
	}
	if chainMapID != nil {
		if err := chainmap.CheckID("chainMapId", *chainMapID); err != nil {
			return nil, err
		}
	}
	q := chainmap.ChangesQuery{ChainMapID: deref(chainMapID), RegionCode: deref(regionCode), First: n, To: chainmap.DateOf(time.Now())}
	if from != nil {
		if q.From, err = chainmap.ParseDate(*from); err != nil {
			return nil, chainmap.Invalid("from", "%v", err)
		}
	}
	if to != nil {
		if q.To, err = chainmap.ParseDate(*to); err != nil {
			return nil, chainmap.Invalid("to", "%v", err)
		}
	}
	if from != nil && q.From.Start().After(q.To.Start()) {
		return nil, chainmap.Invalid("from", "%s is after to (%s)", q.From, q.To)
	}
	h, err := r.planner.hydrator(ctx, "byChain.chainMap", "byChain.region", "byRegion.chainMap", "byRegion.region", "byYear.chainMap", "byYear.region", "events.chainMaps", "events.region", "events.enterprise",
		"events.partner", "events.site", "events.bottleneck")
	if err != nil {
		return nil, err
	}
	sum, err := r.Store.ChangesSummary(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range sum.ByChain {
		h.want("byChain.chainMap", &sum.ByChain[i].Related, false, sum.ByChain[i].Key)
		h.want("byChain.region", &sum.ByChain[i].Related, false, "")
	}
	for i := range sum.ByRegion {
		h.want("byRegion.chainMap", &sum.ByRegion[i].Related, false, "")
		h.want("byRegion.region", &sum.ByRegion[i].Related, false, sum.ByRegion[i].Key)
	}
	for i := range sum.ByYear {
		h.want("byYear.chainMap", &sum.ByYear[i].Related, false, "")
		h.want("byYear.region", &sum.ByYear[i].Related, false, "")
	}
	for i := range sum.Events {
		e := &sum.Events[i]
		h.want("events.chainMaps", &e.Related, true, e.ChainMapIDs...)
		region := ""
		if len(e.RegionCodes) > 0 {
			region = e.RegionCodes[0]
		}
		h.want("events.region", &e.Related, false, region)
		h.want("events.enterprise", &e.Related, false, e.EnterpriseID)
		h.want("events.partner", &e.Related, false, e.PartnerID)
		h.want("events.site", &e.Related, false, e.SiteID)
		h.want("events.bottleneck", &e.Related, false, e.BottleneckID)
	}
	return sum, h.run(ctx, r.Store)
}

// between checks an optional whole number: lo to hi, def when not given.
func between(path string, v *int, def, lo, hi int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, chainmap.Invalid(path, "must be %d to %d, got %d", lo, hi, *v)
	}
	return *v, nil
}

// ids lists the ids of named records.
func ids(ns []chainmap.Named) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

// distance turns a distance in regions into a GraphQL value: null when unknown (-1).
func distance(d int) *int {
	if d < 0 {
		return nil
	}
	return &d
}

// langOf is the language a sentence is asked in (English when not asked, as the API said it before it asked).
func langOf(l *Language) i18n.Lang {
	if l != nil && *l == LanguageZh {
		return i18n.Zh
	}
	return i18n.En
}
