package chainmap

// Report is everything the printable report of one chain map shows. Sources are cited by id; Sources holds
// each source cited anywhere in the report.
type Report struct {
	ChainMap    ReportItem
	Segments    []ReportSegment // upstream to downstream
	Firms       int             // enterprises active in the chain
	Provinces   []ReportProvince
	Bottlenecks []ReportBottleneck // not resolved, most severe first
	Links       []ReportLink       // R&D→manufacturing links, at most the report's limit
	LinksTotal  int
	Gaps        []CoverageGap
	Indicators  []ReportIndicator
	Progress    []YearProgress
	Sources     []Source
}

// ReportItem is a named, cited record of a report.
type ReportItem struct {
	ID, Name, NameZh, NameEn, Description string
	SourceIDs                             []string
}

// ReportSegment is a segment with its counts and the segments it feeds.
type ReportSegment struct {
	ReportItem
	Stage           Stage
	Order           int
	Firms           int
	OpenBottlenecks int
	Feeds           []Named // the segments downstream
}

// ReportProvince counts a chain's firms with a site in one province; Names are the first curated ones.
type ReportProvince struct {
	Code, Name, NameZh string
	Firms, Synthetic   int
	Names              []Named
}

// ReportBottleneck is an unresolved bottleneck with who tackles it.
type ReportBottleneck struct {
	ReportItem
	Kind     BottleneckKind
	Category BottleneckCategory
	Severity int
	Status   BottleneckStatus
	Segments []Named
	Tacklers []ReportTackler
}

// ReportTackler is an enterprise or institution tackling a bottleneck, since a year (0: not stated).
type ReportTackler struct {
	Named
	Since  int
	Status string
}

// ReportLink is one R&D→manufacturing link.
type ReportLink struct {
	ID, Kind, Description                      string
	From, To, Enterprise, FromRegion, ToRegion Named // Enterprise: none (zero) when the link names none
	Year                                       int
	Derived                                    bool
	SourceIDs                                  []string
}

// ReportIndicator is a regional indicator with its yearly values.
type ReportIndicator struct {
	ReportItem
	Unit, Scope string
	Values      []ReportValue
}

// ReportValue is one value of an indicator.
type ReportValue struct {
	Year         int
	Period, Note string
	Value        float64
	SourceIDs    []string
}

// YearProgress counts a chain's bottlenecks in one year: how many began to be tackled (Started) and were
// resolved (ResolvedInYear) within it, and how many were open, in progress and resolved at its end.
type YearProgress struct {
	Year                            int
	Started, ResolvedInYear         int
	Open, InProgress, ResolvedSoFar int
}
