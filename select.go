package chainmap

// Selections: what one request reads. The GraphQL layer turns a root field's selection set into a Selection up
// front — before anything is read — and the store compiles it into one statement that reads exactly those
// fields and related records, nested as asked. The records come back with what was read alongside them in
// Related, keyed by the request's response keys, so that nothing below the root field reads the store again.

// Kind is a kind of record (or of result object) the API returns.
type Kind string

// The kinds. Records are nodes of the graph; the others are relationships (SupplyLink, Tackler), values
// computed from the graph (stats, tiers) or results of the analyses.
const (
	KindChainMap       Kind = "ChainMap"
	KindSegment        Kind = "Segment"
	KindEnterprise     Kind = "Enterprise"
	KindSite           Kind = "Site"
	KindRegion         Kind = "Region"
	KindInstitution    Kind = "Institution"
	KindPark           Kind = "Park"
	KindBottleneck     Kind = "Bottleneck"
	KindSource         Kind = "Source"
	KindIndicator      Kind = "Indicator"
	KindIndicatorValue Kind = "IndicatorValue"
	KindStatusChange   Kind = "StatusChange"
	KindSupplyLink     Kind = "SupplyLink"
	KindTackler        Kind = "Tackler"
	KindTierLink       Kind = "TierLink"
	KindChainMapStats  Kind = "ChainMapStats"
	KindRegionStats    Kind = "RegionStats"
	KindGroup          Kind = "Group"
	KindYearProgress   Kind = "YearProgress"
	KindRDLink         Kind = "RDManufacturingLink"
	KindRDLinkFlow     Kind = "RDLinkFlow"
	KindSearchHit      Kind = "SearchHit"
	KindOfficialList   Kind = "OfficialList"
	KindListItem       Kind = "ListItem"
	KindListCoverage   Kind = "ListCoverage"
)

// Selection is what a request reads of a record, or of each record of a list.
type Selection struct {
	Kind   Kind
	Fields []SelectedField // in request order, one per response key
}

// SelectedField is one selected field: a plain value when Sel and Cases are nil, else related records.
type SelectedField struct {
	Key   string       // the response key: the alias, else the name
	Name  string       // the field's name in the schema
	Args  FieldArgs    // the field's arguments, checked when it was planned; zero when it takes none
	Sel   *Selection   // what to read of the related records
	Cases []*Selection // for a field whose records are of several kinds (a union): one selection per kind
}

// Related holds what a request read alongside a record, by response key: a record, a list of records, or nil.
type Related map[string]any

// FieldArgs are the checked arguments of a field below a root field: one type for every field, each argument
// under its name in the schema, so that which fields take which arguments is said once, by the schema. The
// planner checks each argument by its name and refuses one it does not know; the store's compiler reads those
// its relation uses. Zero values mean "any" or "unbounded"; First and Tiers arrive with the schema's defaults.
type FieldArgs struct {
	First      int       // first: at most this many records
	RegionCode string    // regionCode: only records with a site inside this region
	Role       ChainRole // role: only enterprises of this chain role
	ChainMapID string    // chainMapId: counts within this chain map
	Tiers      int       // tiers: supply tiers to walk, 1 to 6

	// The years an indicator's values are narrowed to, which come from the root field's filter.
	FromYear, ToYear int
}

// RecordsRequest asks for records of one kind by id (by code, for regions), each read with Sel.
type RecordsRequest struct {
	Kind Kind
	IDs  []string
	Sel  *Selection
}

// ListRequest says what a request reads of a paginated list: each item with Node, and the total count only
// when it asks for it.
type ListRequest struct {
	Node  *Selection
	Count bool
}
