package chainmap

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// The planner's questions, asked of a place (issue 21): what a region lacks of a chain and whom to attract or
// connect to fill it (补链 targeting, RegionGaps), what a flood, a sanction or a closed plant would break
// (Scenario), and what has changed since a date (ChangesSummary). The store computes each in one statement; the
// rule that ranks the candidates is GapPoints, here, and nowhere else.

// Named is a record as an answer names it: its id (a region's code) and names, enough for a table row or a
// printed line; the GraphQL layer reads the full record by id.
type Named struct {
	ID     string
	Name   string
	NameZh string
}

// Label is the record's Chinese name, else its name, else its id.
func (n Named) Label() string {
	switch {
	case n.NameZh != "":
		return n.NameZh
	case n.Name != "":
		return n.Name
	}
	return n.ID
}

// GapStatus says how thinly a region holds a segment.
type GapStatus string

const (
	// GapAbsent: no firm with a site in the region is active in the segment.
	GapAbsent GapStatus = "ABSENT"
	// GapThin: some are, but no more than the question's threshold.
	GapThin GapStatus = "THIN"
)

// ScoreFactor names a part of a candidate's score.
type ScoreFactor string

const (
	// FactorDistance: how near the candidate's nearest site is to the region, in steps of the region tree.
	FactorDistance ScoreFactor = "DISTANCE"
	// FactorLinks: firms of the region it already supplies, buys from or transfers technology to.
	FactorLinks ScoreFactor = "LINKS"
	// FactorSegmentFit: active in the segment itself, or in one that feeds it or that it feeds; for a park, the
	// segment's own firms it hosts.
	FactorSegmentFit ScoreFactor = "SEGMENT_FIT"
	// FactorPastMoves: it has relocated, expanded or handed R&D over to production before.
	FactorPastMoves ScoreFactor = "PAST_MOVES"
	// FactorNeighbours: (parks) firms of the neighbouring segments it hosts.
	FactorNeighbours ScoreFactor = "NEIGHBOURS"
)

// CandidateKind says whether a gap candidate is an enterprise or an institution.
type CandidateKind string

const (
	CandidateEnterprise  CandidateKind = "ENTERPRISE"
	CandidateInstitution CandidateKind = "INSTITUTION"
)

// Fit levels of FactorSegmentFit and move levels of FactorPastMoves, as ScorePart.Value gives them.
const (
	FitNone  = 0
	FitNear  = 1 // active in a segment that feeds the gap or that the gap feeds
	FitExact = 2 // active in the gap segment itself

	MovesNone   = 0
	MovesSpread = 1 // operates in two or more provinces of Jing-Jin-Ji, has a branch firm, or (R&D) has a derived R&D→production link
	MovesStated = 2 // a source states a relocation or expansion from its sites (R&D: an R&D→production hand-over or licence)
)

// GapPoints is the ranking rule of gap candidates (ScoreCandidate, RankCandidates, ScorePark). A candidate's
// score is the sum of its parts:
//
//   - DISTANCE: by the distance d in regions (RegionTree.Distance) — the steps from the region up the region tree
//     to the lowest region that also holds one of the candidate's sites, a candidate in another province being one
//     step beyond the region's province — Distance[d] points (d = 1: 3, 2: 2, 3: 1), none when it has no known
//     site;
//   - LINKS: PerLink points for each firm of the region it already supplies, buys from or transfers technology
//     to, at most MaxLinks of them;
//   - SEGMENT_FIT: Exact points when active in the segment itself, Near when active in a segment that feeds it or
//     that it feeds (R&D candidates only);
//   - PAST_MOVES: Stated points when a source states a relocation or expansion from its sites (for R&D
//     candidates, an R&D→production hand-over or a licence), Spread when it already operates in two or more
//     provinces of Jing-Jin-Ji or has a branch firm (R&D: already produces in Tianjin or Hebei, or has stated
//     transfers of other kinds).
//
// Parks of the region score PerNeighbour points for each firm of a neighbouring segment with a site in the park
// (at most MaxNeighbours of them) and PerOwnFirm for each firm of the segment itself (at most MaxOwnFirms).
//
// Candidates rank by score, highest first, then by chain role (chain master, lead, supporting, none), then by
// name and id; parks by score, then name and id.
var GapPoints = Points{
	Distance:      []int{0, 3, 2, 1},
	PerLink:       2,
	MaxLinks:      3,
	Exact:         4,
	Near:          2,
	Stated:        3,
	Spread:        1,
	PerNeighbour:  2,
	MaxNeighbours: 5,
	PerOwnFirm:    1,
	MaxOwnFirms:   3,
}

// Points are the weights of a ranking rule (GapPoints).
type Points struct {
	Distance                    []int // by distance in regions; beyond the list: 0
	PerLink, MaxLinks           int
	Exact, Near                 int
	Stated, Spread              int
	PerNeighbour, MaxNeighbours int
	PerOwnFirm, MaxOwnFirms     int
}

// CandidateFacts are what the rule scores a candidate by, with the records its reasons name.
type CandidateFacts struct {
	RD        bool // scored as an R&D candidate
	Kind      CandidateKind
	Region    Named      // the region with the gap
	Segment   Named      // the gap
	Distance  int        // RegionTree.Distance; -1: no known site
	Nearest   Named      // the region of the nearest site
	Shared    Named      // the lowest region holding both; zero in another province
	Fit       int        // FitExact or FitNear
	Linked    []Named    // firms of the region it is linked to
	Moves     []PastMove // stated moves of the kinds that count for the list
	Spread    bool       // the weaker sign of mobility (see GapPoints)
	SpreadWhy Why        // what the weaker sign is: WhyProducesInTianjinHebei, WhyOtherTransfers or WhyProvinces
}

// WhyReason says why a score part gives its points, without the words: the key of its sentence, which i18n
// says in each language with the values of the part's Why.
type WhyReason string

const (
	WhyNoSite        WhyReason = "NO_SITE"        // DISTANCE: no known site
	WhyOtherProvince WhyReason = "OTHER_PROVINCE" // DISTANCE: Place (the nearest site's region) is Count steps from Region, in another province
	WhyWithin        WhyReason = "WITHIN"         // DISTANCE: Place is Count steps up from Region, within Shared
	WhyNoLink        WhyReason = "NO_LINK"        // LINKS: no link with the firms of Region
	WhyLinked        WhyReason = "LINKED"         // LINKS: linked to Count firms of Region, the first of them Firms, More others
	// SEGMENT_FIT: active in Segment, or next to it; for R&D candidates, with R&D or headquarters in Beijing (a
	// firm) or in Beijing (an institution).
	WhyInSegment                WhyReason = "IN_SEGMENT"
	WhyNextToSegment            WhyReason = "NEXT_TO_SEGMENT"
	WhyInSegmentRDFirm          WhyReason = "IN_SEGMENT_RD_FIRM"
	WhyNextToSegmentRDFirm      WhyReason = "NEXT_TO_SEGMENT_RD_FIRM"
	WhyInSegmentInstitution     WhyReason = "IN_SEGMENT_INSTITUTION"
	WhyNextToSegmentInstitution WhyReason = "NEXT_TO_SEGMENT_INSTITUTION"
	WhyNoMove                   WhyReason = "NO_MOVE"                   // PAST_MOVES: none recorded
	WhyMovesStated              WhyReason = "MOVES_STATED"              // PAST_MOVES: a source states Moves
	WhyProducesInTianjinHebei   WhyReason = "PRODUCES_IN_TIANJIN_HEBEI" // PAST_MOVES (R&D): a derived R&D→production link
	WhyOtherTransfers           WhyReason = "OTHER_TRANSFERS"           // PAST_MOVES (R&D): Count stated transfers of other kinds
	WhyProvinces                WhyReason = "PROVINCES"                 // PAST_MOVES: operates in Count provinces, has More branch firms
	WhyParkNeighbours           WhyReason = "PARK_NEIGHBOURS"           // NEIGHBOURS: hosts Count firms of the segments next to Segment
	WhyParkOwnFirms             WhyReason = "PARK_OWN_FIRMS"            // SEGMENT_FIT (parks): hosts Count firms of Segment itself
)

// WhyReasons are every WhyReason, for the check that each has its sentence in every language.
var WhyReasons = []WhyReason{WhyNoSite, WhyOtherProvince, WhyWithin, WhyNoLink, WhyLinked, WhyInSegment, WhyNextToSegment,
	WhyInSegmentRDFirm, WhyNextToSegmentRDFirm, WhyInSegmentInstitution, WhyNextToSegmentInstitution, WhyNoMove, WhyMovesStated,
	WhyProducesInTianjinHebei, WhyOtherTransfers, WhyProvinces, WhyParkNeighbours, WhyParkOwnFirms}

// Why is the sentence a score part says, as a reason and the values it takes (each reason names those it uses);
// i18n.Why says it in a language.
type Why struct {
	Reason  WhyReason
	Count   int        // the steps, firms, transfers or provinces it counts
	More    int        // WhyLinked: linked firms beyond Firms; WhyProvinces: branch firms
	Place   Named      // the region of the nearest site
	Shared  Named      // the lowest region holding both
	Region  Named      // the region with the gap
	Segment Named      // the gap
	Firms   []Named    // WhyLinked: the first linked firms
	Moves   []PastMove // WhyMovesStated
}

// MaxWhyFirms is how many linked firms a WhyLinked names.
const MaxWhyFirms = 3

// ScoreCandidate scores a candidate by GapPoints, part by part, in the order DISTANCE, LINKS, SEGMENT_FIT,
// PAST_MOVES; the score is the sum of the parts' points.
func (p Points) ScoreCandidate(f CandidateFacts) []ScorePart {
	parts := make([]ScorePart, 0, 4)
	// DISTANCE
	pts, why := 0, Why{Reason: WhyNoSite}
	if f.Distance >= 0 {
		if f.Distance < len(p.Distance) {
			pts = p.Distance[f.Distance]
		}
		why = Why{Reason: WhyWithin, Count: f.Distance, Place: f.Nearest, Shared: f.Shared, Region: f.Region}
		if f.Shared.ID == "" {
			why.Reason = WhyOtherProvince
		}
	}
	parts = append(parts, ScorePart{Factor: FactorDistance, Points: pts, Value: f.Distance, Why: why})
	// LINKS
	n := len(f.Linked)
	why = Why{Reason: WhyNoLink, Region: f.Region}
	if n > 0 {
		named := min(n, MaxWhyFirms)
		why = Why{Reason: WhyLinked, Count: n, More: n - named, Region: f.Region, Firms: f.Linked[:named:named]}
	}
	parts = append(parts, ScorePart{Factor: FactorLinks, Points: p.PerLink * min(n, p.MaxLinks), Value: n, Why: why})
	// SEGMENT_FIT
	reasons := [2]WhyReason{WhyInSegment, WhyNextToSegment} // exact, near
	switch {
	case f.RD && f.Kind == CandidateEnterprise:
		reasons = [2]WhyReason{WhyInSegmentRDFirm, WhyNextToSegmentRDFirm}
	case f.RD:
		reasons = [2]WhyReason{WhyInSegmentInstitution, WhyNextToSegmentInstitution}
	}
	pts, why = p.Exact, Why{Reason: reasons[0], Segment: f.Segment}
	if f.Fit == FitNear {
		pts, why.Reason = p.Near, reasons[1]
	}
	parts = append(parts, ScorePart{Factor: FactorSegmentFit, Points: pts, Value: f.Fit, Why: why})
	// PAST_MOVES
	level, pts, why := MovesNone, 0, Why{Reason: WhyNoMove}
	switch {
	case len(f.Moves) > 0:
		level, pts, why = MovesStated, p.Stated, Why{Reason: WhyMovesStated, Count: len(f.Moves), Moves: f.Moves}
	case f.Spread:
		level, pts, why = MovesSpread, p.Spread, f.SpreadWhy
	}
	parts = append(parts, ScorePart{Factor: FactorPastMoves, Points: pts, Value: level, Why: why})
	return parts
}

// ScorePark scores a park of the region by GapPoints: NEIGHBOURS, then SEGMENT_FIT.
func (p Points) ScorePark(segment Named, neighbourFirms, segmentFirms int) []ScorePart {
	return []ScorePart{
		{Factor: FactorNeighbours, Points: p.PerNeighbour * min(neighbourFirms, p.MaxNeighbours), Value: neighbourFirms,
			Why: Why{Reason: WhyParkNeighbours, Count: neighbourFirms, Segment: segment}},
		{Factor: FactorSegmentFit, Points: p.PerOwnFirm * min(segmentFirms, p.MaxOwnFirms), Value: segmentFirms,
			Why: Why{Reason: WhyParkOwnFirms, Count: segmentFirms, Segment: segment}},
	}
}

// Total is the sum of the parts' points.
func Total(parts []ScorePart) int {
	t := 0
	for _, p := range parts {
		t += p.Points
	}
	return t
}

// RankCandidates sorts candidates by the rule of GapPoints — score, then chain role, then name, then id — and
// numbers them from 1.
func RankCandidates(cs []GapCandidate) {
	slices.SortStableFunc(cs, func(a, b GapCandidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(RoleOrder(a.ChainRole), RoleOrder(b.ChainRole)),
			cmp.Compare(a.Actor.Name, b.Actor.Name), cmp.Compare(a.Actor.ID, b.Actor.ID))
	})
	for i := range cs {
		cs[i].Rank = i + 1
	}
}

// RankParks sorts parks by score, then name and id, and numbers them from 1.
func RankParks(ps []ParkCandidate) {
	slices.SortStableFunc(ps, func(a, b ParkCandidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Park.Name, b.Park.Name), cmp.Compare(a.Park.ID, b.Park.ID))
	})
	for i := range ps {
		ps[i].Rank = i + 1
	}
}

// RoleOrder orders chain roles: chain master 0, lead 1, supporting 2, none 3.
func RoleOrder(r ChainRole) int {
	switch r {
	case ChainMaster:
		return 0
	case Lead:
		return 1
	case Supporting:
		return 2
	}
	return 3
}

// RegionTree is the tree of regions (PART_OF), by code.
type RegionTree map[string]TreeRegion

// TreeRegion is a region of the tree: its names and its parent's code ("" for a province).
type TreeRegion struct {
	Named
	Parent string
}

// Up returns code and the codes above it, nearest first.
func (t RegionTree) Up(code string) []string {
	var out []string
	for c := code; c != "" && len(out) < 8; c = t[c].Parent {
		out = append(out, c)
		if _, ok := t[c]; !ok {
			break
		}
	}
	return out
}

// Province returns the province-level unit that code lies in.
func (t RegionTree) Province(code string) string {
	up := t.Up(code)
	if len(up) == 0 {
		return ""
	}
	return up[len(up)-1]
}

// Distance is the distance in regions from the region target to the nearest of places (region codes): the steps
// from target up the tree to the lowest region that also holds the place (0 when the place lies in target). A
// place in another province is one step beyond target's province. It returns -1 when there are no places, and
// the nearest place and the shared region ("" in another province). Ties go to the place listed first.
func (t RegionTree) Distance(target string, places []string) (d int, nearest, shared string) {
	if len(places) == 0 {
		return -1, "", ""
	}
	up := t.Up(target)
	d = len(up)
	nearest = places[0]
	for _, p := range places {
		pu := t.Up(p)
		for steps, a := range up {
			if steps >= d {
				break
			}
			if slices.Contains(pu, a) {
				d, nearest, shared = steps, p, a
				break
			}
		}
	}
	return d, nearest, shared
}

// Bounds of the planner's questions, checked by the API and the exports alike.
const (
	DefaultThinAtMost = 1  // a segment with this many firms in the region or fewer is thin
	MaxThinAtMost     = 50 // at most
	DefaultCandidates = 5  // candidates of each kind per gap
	MaxCandidates     = 20
	DefaultRows       = 20 // rows of each list of a scenario
	MaxRows           = 100
	DefaultAlts       = 3 // alternatives per row of a scenario
	MaxAlts           = 10
	MaxRemoved        = 100 // regions, enterprises or sites one scenario removes, each
	DefaultEvents     = 50  // events of a changes summary
	MaxEvents         = 500
	// MaxLogEntries bounds the change-log entries a changes summary reads; past it the summary says it is partial.
	MaxLogEntries = 10000
)

// RegionGapQuery asks what a region lacks of a chain map.
type RegionGapQuery struct {
	RegionCode string
	ChainMapID string
	ThinAtMost int // a segment with 1..ThinAtMost firms in the region is THIN; 0: list only ABSENT segments
	First      int // candidates of each kind per gap
}

// RegionGaps is what a region lacks of a chain map, in chain order, with whom to attract or connect.
type RegionGaps struct {
	Region   Named
	ChainMap Named
	Segments int // segments of the chain map
	Held     int // of those, segments with at least one firm with a site in the region
	Gaps     []SegmentGap
	Related  Related // what the request read alongside, by response key
}

// SegmentGap is a segment the region lacks or holds thinly.
type SegmentGap struct {
	Segment         Named
	Stage           Stage
	Order           int
	Status          GapStatus
	FirmsInRegion   int
	Firms           []Named // the firms the region has in it (at most the threshold)
	OpenBottlenecks int     // not resolved, constraining the segment
	Upstream        []GapNeighbour
	Downstream      []GapNeighbour
	// FirmCandidates are firms active in the segment elsewhere in Jing-Jin-Ji, ranked (the first of
	// FirmCandidatesTotal); RDCandidates Beijing institutions and firms whose R&D fits, ranked.
	FirmCandidates      []GapCandidate
	FirmCandidatesTotal int
	RDCandidates        []GapCandidate
	RDCandidatesTotal   int
	Parks               []ParkCandidate // the region's parks hosting firms of the neighbouring segments, ranked
	Related             Related
}

// GapNeighbour is a segment next to a gap (feeding it, or fed by it) and how many firms the region has in it.
type GapNeighbour struct {
	Segment       Named
	FirmsInRegion int
	Related       Related
}

// GapCandidate is an enterprise or institution that could fill a gap, with its score and the parts it is made of.
type GapCandidate struct {
	Rank      int
	Kind      CandidateKind
	Actor     Named
	ChainRole ChainRole
	Score     int
	Parts     []ScorePart
	// RegionDistance is the distance d in regions of the rule (GapPoints); -1 when it has no known site.
	RegionDistance   int
	NearestSiteID    string // for an enterprise: the site the distance is measured from
	SharedRegionCode string // the lowest region holding both (a province or below); "" in another province
	SharedRegion     Named
	Links            int     // firms of the region it is linked to
	Linked           []Named // those firms
	PastMoves        []PastMove
	Related          Related
}

// ScorePart is one part of a score: a factor, the points it gives, the measure it gives them for (a distance, a
// number of links, a fit or move level) and why, in no language (the API and the pages say it in the reader's).
type ScorePart struct {
	Factor ScoreFactor
	Points int
	Value  int
	Why    Why
}

// PastMove is a move a source states: a relocation, expansion or R&D hand-over, with where it went.
type PastMove struct {
	LinkID         string
	Kind           TransferKind
	Year           int // 0: not stated
	FromRegionCode string
	ToRegionCode   string
	ToRegion       Named
	Related        Related
}

// ParkCandidate is a park of the region that hosts firms next to a gap.
type ParkCandidate struct {
	Rank           int
	Park           Named
	Score          int
	Parts          []ScorePart
	NeighbourFirms int
	SegmentFirms   int
	Related        Related
}

// ScenarioQuery asks what the chains lose if the regions, enterprises and sites it names stop.
type ScenarioQuery struct {
	RegionCodes   []string
	EnterpriseIDs []string
	SiteIDs       []string
	ChainMapID    string // "": every chain map
	First         int    // rows of each list
	Alternatives  int    // alternatives per row
}

// Scenario is what a disruption breaks. A site stops when it is named, lies in a named region (or inside it),
// or belongs to a named enterprise; an enterprise stops when it is named or every site it has stops (a firm
// with no known site stops only when named); an institution stops when it lies in a named region.
type Scenario struct {
	RegionCodes              []string // as asked, each a region of the graph
	Regions                  []Named
	StoppedSites             int
	StoppedEnterprises       int
	WeakenedEnterprises      int // lost some sites, not all
	StoppedInstitutions      int
	Segments                 []ScenarioSegment // segments that lose firms: those left with none first
	SegmentsTotal            int
	SegmentsLost             int
	CutOff                   []CutOff // firms whose every supplier in a segment stops
	CutOffTotal              int
	OrphanedBottlenecks      []OrphanedBottleneck // unresolved bottlenecks whose every tackler stops
	OrphanedBottlenecksTotal int
	CutLinks                 []CutLink // R&D→manufacturing links with an end that stops
	CutLinksTotal            int
	Chains                   []ScenarioChain // the same counted per chain map
	Unknown                  []string        // ids and codes asked for that the graph does not hold
	Related                  Related
}

// ScenarioStatus says what a segment is left with.
type ScenarioStatus string

const (
	// SegmentLost: no firm of the segment is left in Jing-Jin-Ji.
	SegmentLost ScenarioStatus = "LOST"
	// SegmentWeakened: some are left.
	SegmentWeakened ScenarioStatus = "WEAKENED"
)

// ScenarioSegment is a segment that loses firms.
type ScenarioSegment struct {
	Segment          Named
	ChainMapID       string
	Order            int
	Status           ScenarioStatus
	FirmsBefore      int
	FirmsLost        int
	FirmsLeft        int
	Left             []Named // firms left, first few (chain masters first)
	InstitutionsLeft []Named // institutions active in it that are left: R&D to rebuild it from
	Feeds            []Named // segments downstream that it feeds
	Related          Related
}

// CutOff is a firm still standing whose every supplier in a segment stops.
type CutOff struct {
	Enterprise    Named
	Segment       Named
	SuppliersLost []Named
	Alternatives  []ScenarioAlternative // firms left in the segment, nearest first
	Related       Related
}

// ScenarioAlternative is a firm left that could take over, with its distance in regions (GapPoints' measure)
// from the firm it would serve; -1 when either has no known site.
type ScenarioAlternative struct {
	EnterpriseID     string
	Name             string
	RegionDistance   int
	SharedRegionCode string
	Related          Related
}

// OrphanedBottleneck is an unresolved bottleneck every tackler of which stops.
type OrphanedBottleneck struct {
	Bottleneck Named
	Severity   int
	Status     BottleneckStatus
	// The tacklers that stop, and the firms and institutions left that are active in its segments (chain
	// masters first): who could take it on.
	EnterprisesLost, InstitutionsLost []Named
	EnterpriseAlts, InstitutionAlts   []Named
	Related                           Related
}

// CutLink is an R&D→manufacturing link with an end that stops, and what its enterprise has left standing.
type CutLink struct {
	ID             string // the link's id, as rdManufacturingLinks gives it
	Derived        bool
	Kind           TransferKind
	From, To       Named
	EnterpriseID   string
	FromRegionCode string
	ToRegionCode   string
	FromStops      bool
	ToStops        bool
	Standing       []Named // the enterprise's sites left of the kind that stopped (production, or R&D/HQ)
	Related        Related
}

// ScenarioChain counts a scenario's losses in one chain map.
type ScenarioChain struct {
	ChainMapID          string
	ChainMap            Named
	SegmentsLost        int
	SegmentsWeakened    int
	CutOff              int
	OrphanedBottlenecks int
	CutLinks            int
	Related             Related
}

// ChangesQuery asks what changed in a window of time.
type ChangesQuery struct {
	ChainMapID string // "": every chain map
	RegionCode string // "": everywhere
	From, To   Date
	First      int // events listed
}

// ChangeEventKind says what a change did.
type ChangeEventKind string

const (
	FirmAdded          ChangeEventKind = "FIRM_ADDED"
	FirmRemoved        ChangeEventKind = "FIRM_REMOVED"
	SiteAdded          ChangeEventKind = "SITE_ADDED"
	SiteRemoved        ChangeEventKind = "SITE_REMOVED"
	BottleneckOpened   ChangeEventKind = "BOTTLENECK_OPENED"
	BottleneckMoved    ChangeEventKind = "BOTTLENECK_MOVED"
	BottleneckResolved ChangeEventKind = "BOTTLENECK_RESOLVED"
	LinkMade           ChangeEventKind = "LINK_MADE"
	LinkRemoved        ChangeEventKind = "LINK_REMOVED"
)

// ChangeEventKinds are the kinds, in the order the API documents them.
var ChangeEventKinds = []ChangeEventKind{FirmAdded, FirmRemoved, SiteAdded, SiteRemoved, BottleneckOpened, BottleneckMoved,
	BottleneckResolved, LinkMade, LinkRemoved}

// ChangeOrigin says where a change is known from.
type ChangeOrigin string

const (
	// FromChangeLog: an entry of the change log (an editor's mutation), dated to the second.
	FromChangeLog ChangeOrigin = "CHANGE_LOG"
	// FromStatusHistory: a bottleneck's status history, dated to the second.
	FromStatusHistory ChangeOrigin = "STATUS_HISTORY"
	// FromRecordDate: a record's own date — a site's opening year, a tackler's start, a link's year.
	FromRecordDate ChangeOrigin = "RECORD_DATE"
)

// ChangeEvent is one change.
type ChangeEvent struct {
	Date         string // YYYY (a record's year) or YYYY-MM-DD (the log)
	At           time.Time
	Kind         ChangeEventKind
	Origin       ChangeOrigin
	Seq          int64 // the change log's seq; 0 otherwise
	ChainMapIDs  []string
	RegionCodes  []string
	EnterpriseID string
	PartnerID    string // the other end of a link (an enterprise)
	SiteID       string
	BottleneckID string
	LinkID       string
	Label        string // what changed, by name
	Note         ChangeNote
	Author       string
	Related      Related
}

// ChangeNoteKind says what more a change event tells, without the words: the key of its sentence, which i18n
// says in each language with the values of the ChangeNote.
type ChangeNoteKind string

const (
	NoteSiteKind   ChangeNoteKind = "SITE_KIND"   // a site added or removed: Value, its kind (a SiteKind)
	NoteFirstSite  ChangeNoteKind = "FIRST_SITE"  // a firm whose every site opened in the window: its first opened
	NoteTakenOnBy  ChangeNoteKind = "TAKEN_ON_BY" // a bottleneck taken on: Who, the tackler
	NoteProduct    ChangeNoteKind = "PRODUCT"     // a supply link: Value, the product, as its source names it
	NoteSupply     ChangeNoteKind = "SUPPLY"      // a supply link that names no product
	NoteLinkKind   ChangeNoteKind = "LINK_KIND"   // a technology transfer: Value, its kind (a TransferKind)
	NoteTransfer   ChangeNoteKind = "TRANSFER"    // a technology transfer of no stated kind
	NoteListedAs   ChangeNoteKind = "LISTED_AS"   // a bottleneck listed: Value, its status (a BottleneckStatus)
	NoteStatusStep ChangeNoteKind = "STATUS_STEP" // a status change: From → To (BottleneckStatus values)
)

// ChangeNoteKinds are every ChangeNoteKind, for the check that each has its sentence in every language.
var ChangeNoteKinds = []ChangeNoteKind{NoteSiteKind, NoteFirstSite, NoteTakenOnBy, NoteProduct, NoteSupply, NoteLinkKind,
	NoteTransfer, NoteListedAs, NoteStatusStep}

// ChangeNote is what more a change event tells (the zero value: nothing), as a kind and the values it takes;
// i18n.ChangeNote says it in a language.
type ChangeNote struct {
	Kind     ChangeNoteKind
	Value    string // a code of the kind's enumeration, or a product's name
	Who      Named
	From, To string
}

// ChangeCounts counts events by kind.
type ChangeCounts struct {
	FirmsAdded, FirmsRemoved                                 int
	SitesAdded, SitesRemoved                                 int
	BottlenecksOpened, BottlenecksMoved, BottlenecksResolved int
	LinksMade, LinksRemoved                                  int
}

// Add adds n events of kind k; it ignores kinds it does not know.
func (c *ChangeCounts) Add(k ChangeEventKind, n int) {
	if p := c.of(k); p != nil {
		*p += n
	}
}

// Of returns the count of kind k.
func (c ChangeCounts) Of(k ChangeEventKind) int {
	if p := c.of(k); p != nil {
		return *p
	}
	return 0
}

// Total is the number of events of every kind.
func (c ChangeCounts) Total() int {
	t := 0
	for _, k := range ChangeEventKinds {
		t += c.Of(k)
	}
	return t
}

func (c *ChangeCounts) of(k ChangeEventKind) *int {
	switch k {
	case FirmAdded:
		return &c.FirmsAdded
	case FirmRemoved:
		return &c.FirmsRemoved
	case SiteAdded:
		return &c.SitesAdded
	case SiteRemoved:
		return &c.SitesRemoved
	case BottleneckOpened:
		return &c.BottlenecksOpened
	case BottleneckMoved:
		return &c.BottlenecksMoved
	case BottleneckResolved:
		return &c.BottlenecksResolved
	case LinkMade:
		return &c.LinksMade
	case LinkRemoved:
		return &c.LinksRemoved
	}
	return nil
}

// ChangeGroup counts the events of one chain map, one region or one year.
type ChangeGroup struct {
	Key     string // chain map id, region code or year
	Name    Named
	Counts  *ChangeCounts
	Related Related
}

// ChangesSummary is what changed in a window: counts by kind, by chain map, by region and by year, and the
// events themselves, newest first.
type ChangesSummary struct {
	ChainMapID  string
	RegionCode  string
	From, To    Date
	Totals      *ChangeCounts
	ByChain     []ChangeGroup
	ByRegion    []ChangeGroup
	ByYear      []ChangeGroup
	Events      []ChangeEvent
	EventsTotal int
	// Partial: the window holds more change-log entries than MaxLogEntries; the oldest were not read.
	Partial bool
	Related Related
}

// Date is a calendar date known to the year, the month or the day (YYYY, YYYY-MM or YYYY-MM-DD), as sources
// and windows are given.
type Date struct {
	Year, Month, Day int // Month and Day 0 when not known
}

var datePattern = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$`)

// ParseDate reads YYYY, YYYY-MM or YYYY-MM-DD, years MinYear to MaxYear (ValidYear), months and days that exist.
func ParseDate(s string) (Date, error) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return Date{}, fmt.Errorf("%q is not YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var d Date
	d.Year, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		d.Month, _ = strconv.Atoi(m[2])
	}
	if m[3] != "" {
		d.Day, _ = strconv.Atoi(m[3])
	}
	if !ValidYear(d.Year) {
		return Date{}, fmt.Errorf("%q: the year must be %d to %d", s, MinYear, MaxYear)
	}
	if m[2] != "" && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("%q: no month %d", s, d.Month)
	}
	if m[3] != "" && d.Day != time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC).Day() {
		return Date{}, fmt.Errorf("%q: no such day", s)
	}
	return d, nil
}

// String spells the date as it was given.
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Start is the first instant of the date (UTC); End the first instant after it.
func (d Date) Start() time.Time {
	return time.Date(d.Year, time.Month(max(d.Month, 1)), max(d.Day, 1), 0, 0, 0, 0, time.UTC)
}

// End is the first instant after the date.
func (d Date) End() time.Time {
	switch {
	case d.Month == 0:
		return d.Start().AddDate(1, 0, 0)
	case d.Day == 0:
		return d.Start().AddDate(0, 1, 0)
	}
	return d.Start().AddDate(0, 0, 1)
}

// DateOf is the day of t (UTC).
func DateOf(t time.Time) Date {
	t = t.UTC()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// MapsPublished is the date a changes summary starts from when none is given and the chain map states no
// publication date of its own: the year the six maps were released (2023).
var MapsPublished = Date{Year: 2023}
