package chainmap

// Filters, orderings and pages of the list queries. Optional filter fields are pointers: nil means "any".

// EnterpriseFilter selects enterprises; all set fields must hold (AND).
type EnterpriseFilter struct {
	ChainMapID *string    // active in a segment of this chain map
	SegmentID  *string    // active in this segment
	Stage      *Stage     // active in a segment at this stage
	RegionCode *string    // has a site in this region or anywhere inside it (a province matches its cities)
	SiteKind   *SiteKind  // has a site of this kind (in RegionCode, when both are set)
	ChainRole  *ChainRole // has this tier
	Text       *string    // full-text match on names and description
	Synthetic  *bool      // synthetic (true) or curated (false) only
}

// EnterpriseOrderField is a key enterprises can be sorted by, aggregates included.
type EnterpriseOrderField string

const (
	EnterpriseByName            EnterpriseOrderField = "NAME"
	EnterpriseByID              EnterpriseOrderField = "ID"
	EnterpriseBySegmentCount    EnterpriseOrderField = "SEGMENT_COUNT"
	EnterpriseBySiteCount       EnterpriseOrderField = "SITE_COUNT"
	EnterpriseBySupplierCount   EnterpriseOrderField = "SUPPLIER_COUNT"
	EnterpriseByCustomerCount   EnterpriseOrderField = "CUSTOMER_COUNT"
	EnterpriseByOpenBottlenecks EnterpriseOrderField = "OPEN_BOTTLENECKS"
)

// EnterpriseOrderFields lists the valid orderings.
var EnterpriseOrderFields = []EnterpriseOrderField{EnterpriseByName, EnterpriseByID, EnterpriseBySegmentCount,
	EnterpriseBySiteCount, EnterpriseBySupplierCount, EnterpriseByCustomerCount, EnterpriseByOpenBottlenecks}

// Direction of a sort.
type Direction string

const (
	Asc  Direction = "ASC"
	Desc Direction = "DESC"
)

// Page asks for one page of a keyset-paginated list: First items after the item with sort key AfterKey and
// id AfterID (none: from the start).
type Page struct {
	First    int
	After    bool
	AfterKey any // string or int64, the sort key of the last item of the previous page
	AfterID  string
}

// EnterpriseQuery is a filtered, ordered page of enterprises.
type EnterpriseQuery struct {
	Filter    EnterpriseFilter
	OrderBy   EnterpriseOrderField
	Direction Direction
	Page
}

// Keyed is a list item with the sort key it was ordered by; a cursor is made of Key and the item's id.
type Keyed[T any] struct {
	Item T
	Key  any
	ID   string
}

// PageOf is one page of a list.
type PageOf[T any] struct {
	Items   []Keyed[T]
	HasNext bool
	Total   int // the number of items in all pages, when asked for
}

// BottleneckFilter selects bottlenecks; all set fields must hold (AND).
type BottleneckFilter struct {
	ChainMapID *string // constrains a segment of this chain map
	SegmentID  *string // constrains this segment
	Stage      *Stage  // constrains a segment at this stage
	RegionCode *string // has a tackler in this region (enterprise site or institution), inside it included
	// NoTacklerInRegionCode: no tackler is in this region (the "who should take this on?" question).
	NoTacklerInRegionCode *string
	// AffectsRegionCode: an enterprise with a site in this region is active in a constrained segment.
	AffectsRegionCode *string
	Kind              *BottleneckKind
	Category          *BottleneckCategory
	MinSeverity       *int
	Status            *BottleneckStatus
	HasTackler        *bool
	Text              *string
}

// BottleneckOrderField is a key bottlenecks can be sorted by.
type BottleneckOrderField string

const (
	BottleneckBySeverity            BottleneckOrderField = "SEVERITY"
	BottleneckByName                BottleneckOrderField = "NAME"
	BottleneckByID                  BottleneckOrderField = "ID"
	BottleneckByAffectedEnterprises BottleneckOrderField = "AFFECTED_ENTERPRISES"
	BottleneckByTacklerCount        BottleneckOrderField = "TACKLER_COUNT"
)

// BottleneckOrderFields lists the valid orderings.
var BottleneckOrderFields = []BottleneckOrderField{BottleneckBySeverity, BottleneckByName, BottleneckByID,
	BottleneckByAffectedEnterprises, BottleneckByTacklerCount}

// BottleneckQuery is a filtered, ordered page of bottlenecks.
type BottleneckQuery struct {
	Filter    BottleneckFilter
	OrderBy   BottleneckOrderField
	Direction Direction
	Page
}

// RDLinkFilter selects "R&D in Beijing, manufacturing in Tianjin–Hebei" links.
type RDLinkFilter struct {
	ID             *string // only the link with this id (not in the API's filter: mutations read their link back)
	ChainMapID     *string // the enterprise (or institution) is active in this chain map
	SegmentID      *string
	ToRegionCode   *string        // the manufacturing end lies in this region (inside it included)
	IncludeDerived *bool          // also list firms with R&D in Beijing and manufacturing in Tianjin/Hebei (default true)
	Kinds          []TransferKind // only links of these kinds (derived links are RD_TO_PRODUCTION)
	Synthetic      *bool
}

// RDLinkFlow counts the links that run between two regions and are of one kind.
type RDLinkFlow struct {
	Kind           TransferKind
	Links, Derived int
	Related        Related // what the request read alongside (the regions), by response key
}

// RDLinkQuery is a filtered page of R&D→manufacturing links, ordered by id.
type RDLinkQuery struct {
	Filter RDLinkFilter
	Page
}

// RDLink is an "R&D in Beijing, manufacturing in Tianjin–Hebei" link: either stated by a source (a
// TRANSFERS_TECH_TO relationship) or derived from one enterprise having an R&D (or HQ) site in Beijing and a
// manufacturing (or assembly, pilot) site in Tianjin or Hebei.
type RDLink struct {
	ID             string
	Derived        bool
	FromID         string // site or institution
	ToID           string // site or enterprise
	EnterpriseID   string // the enterprise at the manufacturing end, if known
	Kind           TransferKind
	FromRegionCode string
	ToRegionCode   string
	Year           int
	Contracts      int
	ValueCny       float64
	Description    string
	Provenance
	Related Related // what the request read alongside, by response key
}

// IndicatorFilter selects indicators and their values.
type IndicatorFilter struct {
	IDs      []string
	FromYear *int
	ToYear   *int
	Text     *string
}

// StatusChange is one entry of a bottleneck's status history.
type StatusChange struct {
	ID     string
	From   BottleneckStatus
	To     BottleneckStatus
	Note   string
	Author string
	At     string // RFC 3339
}

// Group is one bucket of a grouped count.
type Group struct {
	Key   string // the grouping value: a code, an id or an enum value
	Name  string // a display name for Key, when it has one
	Count int
}

// ChainMapStats are a chain map's counts for planners.
type ChainMapStats struct {
	Enterprises           int
	Segments              int
	SegmentsByStage       []Group
	EnterprisesByProvince []Group
	SitesByKind           []Group
	OpenBottlenecks       int
	BottlenecksByStatus   []Group
	BottlenecksByKind     []Group
	RDManufacturingLinks  int
}

// RegionStats are a region's counts, everything inside the region included.
type RegionStats struct {
	Enterprises           int
	Sites                 int
	SitesByKind           []Group
	EnterprisesByChainMap []Group
	OpenBottlenecks       int // open bottlenecks on segments where the region's enterprises are active
	RDLinksIn             int // R&D→manufacturing links whose manufacturing end is in the region
	RDLinksOut            int // links whose R&D end is in the region
}

// SearchHit is one full-text search result.
type SearchHit struct {
	Type    SearchType
	ID      string // id, or code for a region
	Name    string
	Score   float64
	Related Related // what the request read alongside, by response key
}

// EnterpriseGroupBy says what to group enterprises by.
type EnterpriseGroupBy string

const (
	GroupEnterprisesByProvince  EnterpriseGroupBy = "PROVINCE"
	GroupEnterprisesByCity      EnterpriseGroupBy = "CITY"
	GroupEnterprisesByChainMap  EnterpriseGroupBy = "CHAIN_MAP"
	GroupEnterprisesBySegment   EnterpriseGroupBy = "SEGMENT"
	GroupEnterprisesByStage     EnterpriseGroupBy = "STAGE"
	GroupEnterprisesByChainRole EnterpriseGroupBy = "CHAIN_ROLE"
)

// BottleneckGroupBy says what to group bottlenecks by.
type BottleneckGroupBy string

const (
	GroupBottlenecksByStatus   BottleneckGroupBy = "STATUS"
	GroupBottlenecksByKind     BottleneckGroupBy = "KIND"
	GroupBottlenecksByCategory BottleneckGroupBy = "CATEGORY"
	GroupBottlenecksBySeverity BottleneckGroupBy = "SEVERITY"
	GroupBottlenecksByChainMap BottleneckGroupBy = "CHAIN_MAP"
	GroupBottlenecksBySegment  BottleneckGroupBy = "SEGMENT"
	GroupBottlenecksByStage    BottleneckGroupBy = "STAGE"
)

// SearchType is a kind of record that search can return.
type SearchType string

// SearchTypes maps each searchable kind to its node label.
var SearchTypes = map[SearchType]string{
	"CHAIN_MAP": "ChainMap", "SEGMENT": "Segment", "ENTERPRISE": "Enterprise", "INSTITUTION": "Institution",
	"PARK": "Park", "BOTTLENECK": "Bottleneck", "REGION": "Region", "INDICATOR": "Indicator",
}

// SegmentEnterprisesKey asks for the enterprises of a segment, narrowed to a region and a tier ("" for any).
type SegmentEnterprisesKey struct {
	SegmentID  string
	RegionCode string
	Role       ChainRole
	First      int
}

// RegionEnterprisesKey asks for the first enterprises (by name) with a site in a region.
type RegionEnterprisesKey struct {
	RegionCode string
	First      int
}

// SupplyKey asks for the first supply links (by the other firm's name) of an enterprise.
type SupplyKey struct {
	EnterpriseID string
	First        int
}
