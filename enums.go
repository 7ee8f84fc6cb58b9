package chainmap

// The enums of the graph model. Each has the values the GraphQL schema and the seed files use.

// Reliability grades a source.
type Reliability string

// Stage places a segment along its chain.
type Stage string

// ChainRole is an enterprise's tier in a chain map: 链主, 头雁 / 龙头, 配套.
type ChainRole string

// SiteKind says what an enterprise does at a site.
type SiteKind string

// RegionLevel is the administrative level of a region.
type RegionLevel string

// InstitutionKind classifies universities, labs and the like.
type InstitutionKind string

// BottleneckKind tells a chokepoint (卡点: a technology to master) from a gap (堵点: a link missing in the region).
type BottleneckKind string

// BottleneckCategory says what kind of thing is missing.
type BottleneckCategory string

// BottleneckStatus is how far tackling a bottleneck has come.
type BottleneckStatus string

// ListKind says what an official list of a chain map holds.
type ListKind string

// TransferKind says what a TRANSFERS_TECH_TO link is: the "R&D in Beijing, production in Tianjin–Hebei"
// pattern itself, or a related move (a relocation, an expansion, a collaboration, …) that sources also report.
type TransferKind string

const (
	Official   Reliability = "OFFICIAL"
	Media      Reliability = "MEDIA"
	Mirror     Reliability = "MIRROR"
	Aggregator Reliability = "AGGREGATOR"
	Reference  Reliability = "REFERENCE"

	Upstream   Stage = "UPSTREAM"
	Midstream  Stage = "MIDSTREAM"
	Downstream Stage = "DOWNSTREAM"

	ChainMaster ChainRole = "CHAIN_MASTER"
	Lead        ChainRole = "LEAD"
	Supporting  ChainRole = "SUPPORTING"

	HQ            SiteKind = "HQ"
	RD            SiteKind = "RD"
	Manufacturing SiteKind = "MANUFACTURING"
	Assembly      SiteKind = "ASSEMBLY"
	Testing       SiteKind = "TESTING"
	Pilot         SiteKind = "PILOT"

	Province RegionLevel = "PROVINCE"
	City     RegionLevel = "CITY"
	District RegionLevel = "DISTRICT"
	NewArea  RegionLevel = "NEW_AREA"

	University InstitutionKind = "UNIVERSITY"
	Lab        InstitutionKind = "LAB"
	Institute  InstitutionKind = "INSTITUTE"
	Government InstitutionKind = "GOVERNMENT"
	Alliance   InstitutionKind = "ALLIANCE"

	Chokepoint BottleneckKind = "CHOKEPOINT"
	Gap        BottleneckKind = "GAP"

	KeyComponent BottleneckCategory = "KEY_COMPONENT"
	Material     BottleneckCategory = "MATERIAL"
	Equipment    BottleneckCategory = "EQUIPMENT"
	Software     BottleneckCategory = "SOFTWARE"
	Process      BottleneckCategory = "PROCESS"
	Standard     BottleneckCategory = "STANDARD"
	TestingCat   BottleneckCategory = "TESTING"

	Open       BottleneckStatus = "OPEN"
	InProgress BottleneckStatus = "IN_PROGRESS"
	Resolved   BottleneckStatus = "RESOLVED"

	ChokepointList ListKind = "CHOKEPOINT_LIST" // 卡点(攻关)清单: technologies to master
	GapList        ListKind = "GAP_LIST"        // 堵点(招商)清单: links to fill by investment
	KeyFirmList    ListKind = "KEY_FIRM_LIST"   // 重点企业清单
	FirmTierList   ListKind = "FIRM_TIER_LIST"  // a map's firms of one tier: 链主, 头雁, 配套
	TaskList       ListKind = "TASK_LIST"       // 任务清单: tasks (technology projects, chain-building actions)
	TargetList     ListKind = "TARGET_LIST"     // firms targeted for investment attraction (招商目标企业)

	// RDToProduction: R&D (a site or an institution) in Beijing, production of its results in Tianjin or Hebei.
	RDToProduction TransferKind = "RD_TO_PRODUCTION"
	// Relocation: a firm or plant moved out of Beijing as a whole (R&D not stated to stay behind).
	Relocation TransferKind = "RELOCATION"
	// Expansion: a Beijing firm adds capacity in Tianjin or Hebei; no R&D→production hand-over is stated.
	Expansion TransferKind = "EXPANSION"
	// Collaboration: joint research or a co-operation agreement between separate parties.
	Collaboration TransferKind = "COLLABORATION"
	// RDToRD: R&D in Beijing to R&D (a lab, an institute, an R&D centre) in Tianjin or Hebei.
	RDToRD TransferKind = "RD_TO_RD"
	// Licensing: a patent or technology licensed or sold to a separate firm that produces with it.
	Licensing TransferKind = "LICENSING"
)

// Enum values, in the order the API documents them. The loader and the API validate against these.
var (
	Confidences          = []Confidence{Reported, Illustrative}
	Reliabilities        = []Reliability{Official, Media, Mirror, Aggregator, Reference}
	Stages               = []Stage{Upstream, Midstream, Downstream}
	ChainRoles           = []ChainRole{ChainMaster, Lead, Supporting}
	SiteKinds            = []SiteKind{HQ, RD, Manufacturing, Assembly, Testing, Pilot}
	RegionLevels         = []RegionLevel{Province, City, District, NewArea}
	InstitutionKinds     = []InstitutionKind{University, Lab, Institute, Government, Alliance}
	BottleneckKinds      = []BottleneckKind{Chokepoint, Gap}
	BottleneckCategories = []BottleneckCategory{KeyComponent, Material, Equipment, Software, Process, Standard, TestingCat}
	BottleneckStatuses   = []BottleneckStatus{Open, InProgress, Resolved}
	ListKinds            = []ListKind{ChokepointList, GapList, KeyFirmList, FirmTierList, TaskList, TargetList}
	TransferKinds        = []TransferKind{RDToProduction, Relocation, Expansion, Collaboration, RDToRD, Licensing}
)

// Valid reports whether v is one of values.
func Valid[T ~string](v T, values []T) bool {
	for _, x := range values {
		if v == x {
			return true
		}
	}
	return false
}
