package chainmap

// Results of the supply-chain analyses.

// Distanced is a record at a distance, in hops, from where an analysis started.
type Distanced struct {
	ID       string
	Distance int
	Related  Related // what the request read alongside, by response key
}

// RegionImpact is a province and how many of the enterprises a bottleneck holds back have a site in it.
type RegionImpact struct {
	Code        string
	Enterprises int
	Distance    int
	Related     Related // what the request read alongside, by response key
}

// Impact is what a bottleneck holds back.
type Impact struct {
	BottleneckID string
	MaxDepth     int
	Segments     []Distanced
	Enterprises  []Distanced
	Regions      []RegionImpact
	Truncated    bool
	Related      Related // what the request read alongside, by response key
}

// CoverageGap is a segment with a hole in the R&D-in-Beijing, manufacturing-in-Tianjin–Hebei model.
type CoverageGap struct {
	SegmentID                        string
	Kind                             CoverageGapKind
	RDFirmsInBeijing                 int
	ManufacturingFirmsInTianjinHebei int
	OpenBottlenecks                  int
	Related                          Related // what the request read alongside, by response key
}

// CoverageGapKind says why a segment is a coverage gap: RD_WITHOUT_MANUFACTURING or NO_FIRM_IN_REGION.
type CoverageGapKind string

// SingleSourceKind says why a segment hangs on one source: SINGLE_SUPPLIER or SINGLE_REGION.
type SingleSourceKind string

// SingleSourceRisk is a segment that hangs on one enterprise or one province.
type SingleSourceRisk struct {
	SegmentID     string
	Kind          SingleSourceKind
	EnterpriseIDs []string
	RegionCode    string
	FeedIDs       []string
	Related       Related // what the request read alongside, by response key
}

// Alternative is another enterprise that could supply a segment, with how near it is.
type Alternative struct {
	EnterpriseID     string
	SegmentID        string
	RegionDistance   int // 0 same district or city, 1 same province, 2 elsewhere in Jing-Jin-Ji, 3 no site
	SharedRegionCode string
	Related          Related // what the request read alongside, by response key
}

// Critical is an enterprise ranked by its place in a chain's supply network.
type Critical struct {
	EnterpriseID    string
	Rank            int
	Score           float64
	Degree          int
	Betweenness     float64
	OpenBottlenecks int
	Related         Related // what the request read alongside, by response key
}

// SupplyNetwork is the SUPPLIES graph among a chain's enterprises, for centrality.
type SupplyNetwork struct {
	IDs             []string
	Edges           [][2]int // supplier index, customer index
	OpenBottlenecks []int    // per enterprise
}

// TierKey asks for the suppliers (Upstream) or customers of an enterprise up to Tiers hops.
type TierKey struct {
	EnterpriseID string
	Tiers        int
	Upstream     bool
}

// TierLink is an enterprise at a tier of another's supply network.
type TierLink struct {
	EnterpriseID string
	Tier         int
	Related      Related // what the request read alongside, by response key
}

// GraphNode is a node of a graph view, with layout hints.
type GraphNode struct {
	ID         string   `json:"id"`
	Type       string   `json:"type"`
	Name       string   `json:"name"`
	NameZh     string   `json:"nameZh,omitempty"`
	Stage      string   `json:"stage,omitempty"`
	Order      int      `json:"order,omitempty"`
	ChainMapID string   `json:"chainMapId,omitempty"`
	Province   string   `json:"province,omitempty"`
	Provinces  []string `json:"provinces,omitempty"`
	ChainRole  string   `json:"chainRole,omitempty"`
	Kind       string   `json:"kind,omitempty"`
	Severity   int      `json:"severity,omitempty"`
	Status     string   `json:"status,omitempty"`
	Synthetic  bool     `json:"synthetic,omitempty"`
}

// GraphEdge is an edge of a graph view.
type GraphEdge struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Source string `json:"source"`
	Target string `json:"target"`
}

// GraphView is a graph to draw: flat, deduplicated nodes, and edges between them by id.
type GraphView struct {
	Nodes     []GraphNode `json:"nodes"`
	Edges     []GraphEdge `json:"edges"`
	Truncated bool        `json:"truncated"`
}

// Path is a sequence of records joined by SUPPLIES or FEEDS.
type Path struct {
	Nodes []GraphNode
}

// Length is the number of hops of the path.
func (p Path) Length() int { return max(len(p.Nodes)-1, 0) }
