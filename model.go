package chainmap

import "strconv"

// Region is an administrative area with its GB/T 2260 code: a province-level unit (Beijing, Tianjin, Hebei),
// a prefecture-level city, a district or county, or Xiong'an New Area.
type Region struct {
	Code         string
	Name         string
	NameZh       string
	NameEn       string
	Level        RegionLevel
	ParentCode   string   // "" for a province
	ChildCodes   []string // filled by reads
	ProvinceCode string   // code of the province-level unit it lies in (itself for a province)
	Provenance
	Related Related // what the request read alongside, by response key
}

// Segment is one link of a chain map, placed upstream, midstream or downstream.
type Segment struct {
	ID         string
	ChainMapID string
	Name       string
	NameZh     string
	NameEn     string
	Stage      Stage
	Order      int      // position along the chain, 1 = furthest upstream
	Feeds      []string // ids of the segments this one feeds, in any chain
	FedBy      []string // ids of the segments that feed this one (filled by reads)
	// BottleneckIDs are the bottlenecks constraining the segment, most severe first (filled by reads).
	BottleneckIDs []string
	Description   string
	Provenance
	Related Related // what the request read alongside, by response key
}

// Enterprise is a firm active in one or more segments.
type Enterprise struct {
	ID        string
	Name      string
	NameZh    string
	NameEn    string
	ChainRole ChainRole // "" when no source gives the firm a tier
	// ChainRoleIn names the chain map whose source gives the firm its ChainRole ("" when the role is unset or
	// the source does not tie it to one map).
	ChainRoleIn string
	FormerNames []string // names the firm was registered or known under before, as sources give them
	Website     string   // the firm's own site (an http(s) URL), "" when unknown
	SegmentIDs  []string
	BranchOf    string   // id of the parent enterprise, if a branch
	SiteIDs     []string // filled by reads
	TackledIDs  []string // bottlenecks the enterprise works on (filled by reads)
	Description string
	Synthetic   bool // made by the generator, not curated
	Provenance
	Related Related // what the request read alongside, by response key
}

// Site is a place where an enterprise does something: its headquarters, R&D, manufacturing, and so on.
type Site struct {
	ID           string
	EnterpriseID string
	Name         string
	Kind         SiteKind
	RegionCode   string
	ParkID       string
	Since        int // year, 0 if unknown
	Capacity     string
	Synthetic    bool
	Provenance
	Related Related // what the request read alongside, by response key
}

// Institution is a university, laboratory, institute, government body or alliance.
type Institution struct {
	ID         string
	Name       string
	NameZh     string
	NameEn     string
	Kind       InstitutionKind
	RegionCode string
	SegmentIDs []string
	Provenance
	Related Related // what the request read alongside, by response key
}

// Park is an industrial park, often co-built by two of the regions.
type Park struct {
	ID          string
	Name        string
	NameZh      string
	NameEn      string
	RegionCode  string
	RenamedFrom string
	Description string
	Provenance
	Related Related // what the request read alongside, by response key
}

// Bottleneck is a chokepoint (卡点) or gap (堵点) that constrains segments of a chain.
type Bottleneck struct {
	ID          string
	Name        string
	NameZh      string
	NameEn      string
	Kind        BottleneckKind
	Category    BottleneckCategory
	Severity    int // 1 (minor) to 5 (import-dependent chokepoint); see seeds/README.md
	Status      BottleneckStatus
	SegmentIDs  []string
	Tacklers    []Tackler
	Description string
	Provenance
	Related Related // what the request read alongside, by response key
}

// Tackler is an enterprise or institution working on a bottleneck.
type Tackler struct {
	ID      string // enterprise or institution id
	Since   int
	Status  BottleneckStatus // "" if not stated
	Related Related          // what the request read alongside, by response key
}

// TechTransfer is an "R&D in Beijing, manufacturing in Tianjin–Hebei" link: technology moving from a Beijing
// R&D site or institution to a manufacturing site or enterprise in Tianjin or Hebei.
type TechTransfer struct {
	ID          string
	FromID      string       // site or institution
	ToID        string       // site or enterprise
	Kind        TransferKind // "" when not classified
	Year        int
	Contracts   int
	ValueCny    float64
	Description string
	Provenance
}

// OfficialList is a list that an official body issues for a chain map (a 卡点 or 堵点 list, a key-firm list, a
// tier of the map's firms, a task list), as a source reports it. Its items may or may not be in the graph.
type OfficialList struct {
	ID          string
	Name        string
	NameZh      string
	NameEn      string
	Kind        ListKind
	ChainMapID  string // "" when the list spans all six chain maps
	Issuer      string // the issuing body, as the source names it
	IssuerID    string // the institution record of the issuer, if there is one
	Published   string // YYYY, YYYY-MM or YYYY-MM-DD; "" if not stated
	StatedCount int    // the number of items the source says the list has; 0 if not stated
	CountNote   string // e.g. "more than 200"
	Description string
	Provenance
	Related Related // what the request read alongside, by response key
}

// ListItem is one entry of an official list: what the list calls it (Label) and, when the graph holds it, the
// bottleneck, enterprise or segment it is (RefID).
type ListItem struct {
	ID     string
	ListID string
	Label  string
	RefID  string    // "" when the graph does not hold the item
	Tier   ChainRole // for firm lists that give tiers
	Rank   int       // position in the list when the source numbers it; 0 otherwise
	Provenance
	Related Related // what the request read alongside, by response key
}

// ListCoverage is what the graph holds of an official list.
type ListCoverage struct {
	Items       int      // entries the sources name
	Held        int      // of those, entries the graph holds as records
	StatedCount int      // the list's size as its source states it; 0 if not stated
	Missing     []string // labels of the named entries the graph lacks
}

// Supply is a supplier relationship between two enterprises.
type Supply struct {
	FromID    string // supplier
	ToID      string // customer
	Product   string
	Since     int
	Synthetic bool
	Provenance
	Related Related // what the request read alongside, by response key
}

// SupplyID is the id of the supply link from one enterprise to another for a product.
func SupplyID(from, to, product string) string { return from + ">" + to + ":" + product }

// Indicator is a regional statistic with values by year.
type Indicator struct {
	ID     string
	Name   string
	NameZh string
	NameEn string
	Unit   string
	Scope  string
	Values []IndicatorValue
	Provenance
	Related Related // what the request read alongside, by response key
}

// IndicatorValue is one yearly value of an indicator.
type IndicatorValue struct {
	Year   int
	Period string // the span the value covers when it is not a single year, e.g. "2014-2023"
	Value  float64
	Note   string
	Provenance
	Related Related // what the request read alongside, by response key
}

// IndicatorValueID is the id of an indicator's value for a year (and a period, for a value that covers
// several years).
func IndicatorValueID(indicatorID string, year int, period string) string {
	id := indicatorID + "-" + strconv.Itoa(year)
	if period != "" {
		id += "-" + period
	}
	return id
}

// Dataset is a complete, validated set of curated records, as the loader writes it.
type Dataset struct {
	Sources       []Source
	Regions       []Region
	ChainMaps     []ChainMap
	Segments      []Segment
	Enterprises   []Enterprise
	Sites         []Site
	Institutions  []Institution
	Parks         []Park
	Bottlenecks   []Bottleneck
	TechTransfers []TechTransfer
	Supplies      []Supply
	Indicators    []Indicator
	OfficialLists []OfficialList
	ListItems     []ListItem
	// Dump is set when the dataset was read from a dump (chainmap dump, see dump.go): what restores the graph
	// exactly. Curated seed files leave it nil.
	Dump *DumpState
}
