package export

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/i18n"
)

// The planner's answers as tables: region-gaps (one row per candidate), scenario (one row per finding) and
// changes (one row per event), each with the arguments of its GraphQL question as query parameters. A list
// parameter (regionCodes, enterpriseIds, siteIds) is comma-separated.

// PlannerStore is what the planner's exports read.
type PlannerStore interface {
	RegionGaps(ctx context.Context, q chainmap.RegionGapQuery) (*chainmap.RegionGaps, error)
	Scenario(ctx context.Context, q chainmap.ScenarioQuery) (*chainmap.Scenario, error)
	ChangesSummary(ctx context.Context, q chainmap.ChangesQuery) (*chainmap.ChangesSummary, error)
}

// The parameters of the planner's exports.
var (
	RegionGapParams = []string{"regionCode", "chainMapId", "thinAtMost", "first"}
	ScenarioParams  = []string{"regionCodes", "enterpriseIds", "siteIds", "chainMapId", "first", "alternatives"}
	ChangesParams   = []string{"chainMapId", "regionCode", "from", "to", "first"}
)

// plannerTables are the planner's exports by name: each parses its parameters and returns the reader of its rows.
var plannerTables = map[string]func(url.Values) (func(context.Context, Store, chainmap.TableWriter) error, error){
	"region-gaps": func(q url.Values) (func(context.Context, Store, chainmap.TableWriter) error, error) {
		rq, err := RegionGapQuery(q)
		return func(ctx context.Context, s Store, t chainmap.TableWriter) error {
			return writeRegionGaps(ctx, s, rq, t)
		}, err
	},
	"scenario": func(q url.Values) (func(context.Context, Store, chainmap.TableWriter) error, error) {
		sq, err := ScenarioQuery(q)
		return func(ctx context.Context, s Store, t chainmap.TableWriter) error { return writeScenario(ctx, s, sq, t) }, err
	},
	"changes": func(q url.Values) (func(context.Context, Store, chainmap.TableWriter) error, error) {
		cq, err := ChangesQuery(q, time.Now())
		return func(ctx context.Context, s Store, t chainmap.TableWriter) error { return writeChanges(ctx, s, cq, t) }, err
	},
}

// RegionGapQuery parses the parameters of a region-gaps export: regionCode and chainMapId, required;
// thinAtMost (default 1) and first (candidates of each kind per gap, default 20: a download wants them all).
// Its errors wrap ErrBadFilter.
func RegionGapQuery(q url.Values) (chainmap.RegionGapQuery, error) {
	p := newParams(q, RegionGapParams)
	code, id := p.region("regionCode"), p.id("chainMapId")
	if code == nil || id == nil {
		p.fail("parameters regionCode and chainMapId are required")
	}
	out := chainmap.RegionGapQuery{ThinAtMost: orInt(p.integer("thinAtMost", 0, chainmap.MaxThinAtMost), chainmap.DefaultThinAtMost),
		First: orInt(p.integer("first", 1, chainmap.MaxCandidates), chainmap.MaxCandidates)}
	if p.err == nil {
		out.RegionCode, out.ChainMapID = *code, *id
	}
	return out, p.err
}

// ScenarioQuery parses the parameters of a scenario export: regionCodes, enterpriseIds, siteIds (at least one,
// each at most chainmap.MaxRemoved), chainMapId, first (default 100) and alternatives (default 3).
func ScenarioQuery(q url.Values) (chainmap.ScenarioQuery, error) {
	p := newParams(q, ScenarioParams)
	out := chainmap.ScenarioQuery{RegionCodes: p.list("regionCodes", chainmap.ValidRegionCode, "a region code"),
		EnterpriseIDs: p.list("enterpriseIds", chainmap.ValidID, "an id"), SiteIDs: p.list("siteIds", chainmap.ValidID, "an id"),
		First:        orInt(p.integer("first", 1, chainmap.MaxRows), chainmap.MaxRows),
		Alternatives: orInt(p.integer("alternatives", 1, chainmap.MaxAlts), chainmap.DefaultAlts)}
	if id := p.id("chainMapId"); id != nil {
		out.ChainMapID = *id
	}
	if p.err == nil && len(out.RegionCodes)+len(out.EnterpriseIDs)+len(out.SiteIDs) == 0 {
		p.fail("name at least one of regionCodes, enterpriseIds, siteIds")
	}
	return out, p.err
}

// ChangesQuery parses the parameters of a changes export: chainMapId, regionCode, from, to (dates YYYY,
// YYYY-MM or YYYY-MM-DD; to defaults to the day of now) and first (events, default and at most 500).
func ChangesQuery(q url.Values, now time.Time) (chainmap.ChangesQuery, error) {
	p := newParams(q, ChangesParams)
	out := chainmap.ChangesQuery{To: chainmap.DateOf(now), First: orInt(p.integer("first", 1, chainmap.MaxEvents), chainmap.MaxEvents)}
	if id := p.id("chainMapId"); id != nil {
		out.ChainMapID = *id
	}
	if code := p.region("regionCode"); code != nil {
		out.RegionCode = *code
	}
	for name, d := range map[string]*chainmap.Date{"from": &out.From, "to": &out.To} {
		if v := p.str(name); v != nil {
			x, err := chainmap.ParseDate(*v)
			if err != nil {
				p.fail("parameter %s: %v", name, err)
				continue
			}
			*d = x
		}
	}
	if p.err == nil && out.From.Year != 0 && out.From.Start().After(out.To.Start()) {
		p.fail("parameter from=%s is after to=%s", out.From, out.To)
	}
	return out, p.err
}

// list reads a comma-separated list of values that valid accepts.
func (p *params) list(name string, valid func(string) bool, what string) []string {
	v := p.str(name)
	if v == nil {
		return nil
	}
	out := strings.Split(*v, ",")
	if len(out) > chainmap.MaxRemoved {
		p.fail("parameter %s lists %d values; at most %d", name, len(out), chainmap.MaxRemoved)
	}
	for _, x := range out {
		if !valid(x) {
			p.fail("parameter %s: %q is not %s", name, x, what)
		}
	}
	return out
}

func orInt(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

// RegionGapColumns are the columns of region-gaps: one row per candidate (a gap without any has one row).
var RegionGapColumns = []string{"region", "chainMap", "segmentOrder", "segmentId", "segment", "status", "firmsInRegion",
	"openBottlenecks", "upstreamHeld", "downstreamHeld", "list", "rank", "candidateId", "candidate", "candidateKind", "score",
	"distancePoints", "linkPoints", "fitPoints", "movePoints", "neighbourPoints", "regionDistance", "why"}

func writeRegionGaps(ctx context.Context, s Store, q chainmap.RegionGapQuery, t chainmap.TableWriter) error {
	res, err := s.RegionGaps(ctx, q)
	if err != nil {
		return err
	}
	if res == nil {
		return fmt.Errorf("no region %s or no chain map %s: %w", q.RegionCode, q.ChainMapID, chainmap.ErrNotFound)
	}
	if err := t.Header(RegionGapColumns); err != nil {
		return err
	}
	held := func(ns []chainmap.GapNeighbour) string {
		var out []string
		for _, n := range ns {
			out = append(out, fmt.Sprintf("%s (%d)", n.Segment.Label(), n.FirmsInRegion))
		}
		return strings.Join(out, "; ")
	}
	for _, g := range res.Gaps {
		head := []any{res.Region.Label(), res.ChainMap.Label(), int64(g.Order), g.Segment.ID, g.Segment.Label(), string(g.Status),
			int64(g.FirmsInRegion), int64(g.OpenBottlenecks), held(g.Upstream), held(g.Downstream)}
		rows := 0
		row := func(list string, rank int, id, name, kind string, score int, parts []chainmap.ScorePart, distance any) error {
			rows++
			pts := map[chainmap.ScoreFactor]any{}
			var why []string
			for _, p := range parts {
				pts[p.Factor] = int64(p.Points)
				why = append(why, fmt.Sprintf("%s %+d: %s", p.Factor, p.Points, i18n.Why(i18n.En, p.Why))) // a download's cells are the API's codes and English
			}
			return t.Row(append(append([]any{}, head...), list, int64(rank), id, name, kind, int64(score), pts[chainmap.FactorDistance],
				pts[chainmap.FactorLinks], pts[chainmap.FactorSegmentFit], pts[chainmap.FactorPastMoves], pts[chainmap.FactorNeighbours],
				distance, strings.Join(why, "; ")))
		}
		for _, l := range []struct {
			name string
			cs   []chainmap.GapCandidate
		}{{"FIRM", g.FirmCandidates}, {"RD", g.RDCandidates}} {
			for _, c := range l.cs {
				var d any
				if c.RegionDistance >= 0 {
					d = int64(c.RegionDistance)
				}
				if err := row(l.name, c.Rank, c.Actor.ID, c.Actor.Label(), string(c.Kind), c.Score, c.Parts, d); err != nil {
					return err
				}
			}
		}
		for _, p := range g.Parks {
			if err := row("PARK", p.Rank, p.Park.ID, p.Park.Label(), "PARK", p.Score, p.Parts, int64(0)); err != nil {
				return err
			}
		}
		if rows == 0 {
			if err := t.Row(append(head, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "no candidate in Jing-Jin-Ji")); err != nil {
				return err
			}
		}
	}
	return nil
}

// ScenarioColumns are the columns of scenario: one row per finding, section by section (SEGMENT, CUT_OFF,
// ORPHANED_BOTTLENECK, CUT_LINK, then CHAIN totals).
var ScenarioColumns = []string{"removed", "section", "chainMap", "id", "name", "status", "before", "lost", "left", "whatStops",
	"whatRemains"}

func writeScenario(ctx context.Context, s Store, q chainmap.ScenarioQuery, t chainmap.TableWriter) error {
	sc, err := s.Scenario(ctx, q)
	if err != nil {
		return err
	}
	if len(sc.Unknown) > 0 {
		return fmt.Errorf("no region, enterprise or site %s in the graph: %w", strings.Join(sc.Unknown, ", "), chainmap.ErrNotFound)
	}
	if err := t.Header(ScenarioColumns); err != nil {
		return err
	}
	var removed []string
	for _, r := range sc.Regions {
		removed = append(removed, r.Label())
	}
	removed = append(append(removed, q.EnterpriseIDs...), q.SiteIDs...)
	what := strings.Join(removed, "、")
	labels := func(ns []chainmap.Named) string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.Label()
		}
		return strings.Join(out, "、")
	}
	row := func(cells ...any) error { return t.Row(append([]any{what}, cells...)) }
	for _, x := range sc.Segments {
		remains := labels(x.Left)
		if len(x.InstitutionsLeft) > 0 {
			remains += " | R&D: " + labels(x.InstitutionsLeft)
		}
		if err := row("SEGMENT", x.ChainMapID, x.Segment.ID, x.Segment.Label(), string(x.Status), int64(x.FirmsBefore), int64(x.FirmsLost),
			int64(x.FirmsLeft), "feeds "+labels(x.Feeds), remains); err != nil {
			return err
		}
	}
	for _, x := range sc.CutOff {
		var alts []string
		for _, a := range x.Alternatives {
			d := "no site"
			if a.RegionDistance >= 0 {
				d = fmt.Sprintf("distance %d", a.RegionDistance)
			}
			alts = append(alts, fmt.Sprintf("%s (%s)", a.Name, d))
		}
		if err := row("CUT_OFF", "", x.Enterprise.ID, x.Enterprise.Label()+" · "+x.Segment.Label(), "", int64(len(x.SuppliersLost)),
			int64(len(x.SuppliersLost)), int64(0), labels(x.SuppliersLost), strings.Join(alts, "、")); err != nil {
			return err
		}
	}
	for _, x := range sc.OrphanedBottlenecks {
		remains := labels(x.EnterpriseAlts)
		if len(x.InstitutionAlts) > 0 {
			remains += " | R&D: " + labels(x.InstitutionAlts)
		}
		lost := len(x.EnterprisesLost) + len(x.InstitutionsLost)
		if err := row("ORPHANED_BOTTLENECK", "", x.Bottleneck.ID, x.Bottleneck.Label(), string(x.Status), int64(lost), int64(lost), int64(0),
			labels(append(append([]chainmap.Named{}, x.EnterprisesLost...), x.InstitutionsLost...)), remains); err != nil {
			return err
		}
	}
	for _, x := range sc.CutLinks {
		var ends []string
		if x.FromStops {
			ends = append(ends, "Beijing end "+x.From.Label())
		}
		if x.ToStops {
			ends = append(ends, "Tianjin/Hebei end "+x.To.Label())
		}
		if err := row("CUT_LINK", "", x.ID, x.From.Label()+" → "+x.To.Label(), string(x.Kind), nil, nil, nil, strings.Join(ends, "; "),
			labels(x.Standing)); err != nil {
			return err
		}
	}
	for _, c := range sc.Chains {
		if err := row("CHAIN", c.ChainMapID, c.ChainMapID, c.ChainMap.Label(), "", nil, nil, nil,
			fmt.Sprintf("%d segments lost, %d weakened, %d firms cut off, %d bottlenecks orphaned, %d links cut",
				c.SegmentsLost, c.SegmentsWeakened, c.CutOff, c.OrphanedBottlenecks, c.CutLinks), ""); err != nil {
			return err
		}
	}
	return nil
}

// ChangesColumns are the columns of changes: one row per event, newest first.
var ChangesColumns = []string{"date", "kind", "origin", "label", "note", "region", "chainMaps", "enterpriseId", "partnerId", "siteId",
	"bottleneckId", "linkId", "seq", "author"}

func writeChanges(ctx context.Context, s Store, q chainmap.ChangesQuery, t chainmap.TableWriter) error {
	sum, err := s.ChangesSummary(ctx, q)
	if err != nil {
		return err
	}
	if err := t.Header(ChangesColumns); err != nil {
		return err
	}
	for _, e := range sum.Events {
		var region, seq any
		if len(e.RegionCodes) > 0 {
			region = e.RegionCodes[0]
		}
		if e.Seq > 0 {
			seq = e.Seq
		}
		if err := t.Row([]any{e.Date, string(e.Kind), string(e.Origin), e.Label, i18n.ChangeNote(i18n.En, e.Note), region, strings.Join(e.ChainMapIDs, " "),
			e.EnterpriseID, e.PartnerID, e.SiteID, e.BottleneckID, e.LinkID, seq, e.Author}); err != nil {
			return err
		}
	}
	return nil
}
