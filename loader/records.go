package loader

// The shapes of seed records as they appear in the files (seeds/README.md documents them). They are decoded
// strictly: an unknown key is an error, so a typo never silently drops a fact.

type file struct {
	Sources       []sourceRec       `yaml:"sources"`
	Regions       []regionRec       `yaml:"regions"`
	ChainMaps     []chainMapRec     `yaml:"chainMaps"`
	Segments      []segmentRec      `yaml:"segments"`
	Enterprises   []enterpriseRec   `yaml:"enterprises"`
	Institutions  []institutionRec  `yaml:"institutions"`
	Parks         []parkRec         `yaml:"parks"`
	Bottlenecks   []bottleneckRec   `yaml:"bottlenecks"`
	TechTransfers []techTransferRec `yaml:"techTransfers"`
	Supplies      []supplyRec       `yaml:"supplies"`
	Indicators    []indicatorRec    `yaml:"indicators"`
	OfficialLists []officialListRec `yaml:"officialLists"`
	ListItems     []listItemRec     `yaml:"listItems"`
	Hosts         []hostRec         `yaml:"hosts"`
}

type provenanceRec struct {
	Confidence string   `yaml:"confidence"`
	Sources    []string `yaml:"sources"`
	Evidence   string   `yaml:"evidence"`
	// SourcingNote records what is known about the sources (e.g. "only a copy found; original searched for").
	SourcingNote string `yaml:"sourcingNote"`
}

type sourceRec struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Publisher   string `yaml:"publisher"`
	URL         string `yaml:"url"`
	Date        string `yaml:"date"`
	Reliability string `yaml:"reliability"`
	Language    string `yaml:"language"`
	Note        string `yaml:"note"`
}

// hostRec is a reviewed exception to the audit's host rules (seeds/hosts.yaml): what a host is, as a reviewer
// who opened its pages saw it.
type hostRec struct {
	Host   string `yaml:"host"`   // "example.com", or a host and a path prefix, "163.com/dy/"
	Class  string `yaml:"class"`  // a HostClass
	Outlet string `yaml:"outlet"` // the outlet or firm the host belongs to, for first-party classes
	Note   string `yaml:"note"`   // what the reviewer saw (required for UNRELATED and SPAM)
}

type regionRec struct {
	Code          string `yaml:"code"`
	NameZh        string `yaml:"nameZh"`
	NameEn        string `yaml:"nameEn"`
	Level         string `yaml:"level"`
	Parent        string `yaml:"parent"`
	provenanceRec `yaml:",inline"`
}

type chainMapRec struct {
	ID            string   `yaml:"id"`
	NameZh        string   `yaml:"nameZh"`
	NameEn        string   `yaml:"nameEn"`
	Aliases       []string `yaml:"aliases"`
	LeadRegion    string   `yaml:"leadRegion"`
	MapPublished  string   `yaml:"mapPublished"`
	Description   string   `yaml:"description"`
	provenanceRec `yaml:",inline"`
}

type segmentRec struct {
	ID            string   `yaml:"id"`
	ChainMap      string   `yaml:"chainMap"`
	NameZh        string   `yaml:"nameZh"`
	NameEn        string   `yaml:"nameEn"`
	Stage         string   `yaml:"stage"`
	Order         int      `yaml:"order"`
	Feeds         []string `yaml:"feeds"`
	Description   string   `yaml:"description"`
	provenanceRec `yaml:",inline"`
}

type enterpriseRec struct {
	ID            string    `yaml:"id"`
	NameZh        string    `yaml:"nameZh"`
	NameEn        string    `yaml:"nameEn"`
	ChainRole     string    `yaml:"chainRole"`
	ChainRoleIn   string    `yaml:"chainRoleIn"`
	FormerNames   []string  `yaml:"formerNames"`
	Website       string    `yaml:"website"`
	Segments      []string  `yaml:"segments"`
	BranchOf      string    `yaml:"branchOf"`
	Description   string    `yaml:"description"`
	Sites         []siteRec `yaml:"sites"`
	provenanceRec `yaml:",inline"`
}

type siteRec struct {
	ID            string `yaml:"id"`
	Enterprise    string `yaml:"enterprise"` // only in spreadsheets; in YAML the enclosing enterprise
	Kind          string `yaml:"kind"`
	Region        string `yaml:"region"`
	Park          string `yaml:"park"`
	Name          string `yaml:"name"` // the display name, when the source gives no nameZh or nameEn
	NameZh        string `yaml:"nameZh"`
	NameEn        string `yaml:"nameEn"`
	Since         int    `yaml:"since"`
	Capacity      string `yaml:"capacity"`
	provenanceRec `yaml:",inline"`
}

type institutionRec struct {
	ID            string   `yaml:"id"`
	NameZh        string   `yaml:"nameZh"`
	NameEn        string   `yaml:"nameEn"`
	Kind          string   `yaml:"kind"`
	Region        string   `yaml:"region"`
	Segments      []string `yaml:"segments"`
	Description   string   `yaml:"description"`
	provenanceRec `yaml:",inline"`
}

type parkRec struct {
	ID            string `yaml:"id"`
	NameZh        string `yaml:"nameZh"`
	NameEn        string `yaml:"nameEn"`
	Region        string `yaml:"region"`
	RenamedFrom   string `yaml:"renamedFrom"`
	Description   string `yaml:"description"`
	provenanceRec `yaml:",inline"`
}

type bottleneckRec struct {
	ID            string       `yaml:"id"`
	NameZh        string       `yaml:"nameZh"`
	NameEn        string       `yaml:"nameEn"`
	Kind          string       `yaml:"kind"`
	Category      string       `yaml:"category"`
	Severity      int          `yaml:"severity"`
	Status        string       `yaml:"status"`
	Segments      []string     `yaml:"segments"`
	Tacklers      []tacklerRec `yaml:"tacklers"`
	Description   string       `yaml:"description"`
	provenanceRec `yaml:",inline"`
}

type tacklerRec struct {
	ID     string `yaml:"id"`
	Since  int    `yaml:"since"`
	Status string `yaml:"status"`
}

type techTransferRec struct {
	ID            string  `yaml:"id"`
	From          string  `yaml:"from"`
	To            string  `yaml:"to"`
	Kind          string  `yaml:"kind"`
	Year          int     `yaml:"year"`
	Contracts     int     `yaml:"contracts"`
	ValueCny      float64 `yaml:"valueCny"`
	Description   string  `yaml:"description"`
	provenanceRec `yaml:",inline"`
}

type supplyRec struct {
	From          string `yaml:"from"`
	To            string `yaml:"to"`
	Product       string `yaml:"product"`
	Since         int    `yaml:"since"`
	provenanceRec `yaml:",inline"`
}

type indicatorRec struct {
	ID            string              `yaml:"id"`
	NameZh        string              `yaml:"nameZh"`
	NameEn        string              `yaml:"nameEn"`
	Unit          string              `yaml:"unit"`
	Scope         string              `yaml:"scope"`
	Values        []indicatorValueRec `yaml:"values"`
	provenanceRec `yaml:",inline"`
}

type indicatorValueRec struct {
	Year          int     `yaml:"year"`
	Period        string  `yaml:"period"`
	Value         float64 `yaml:"value"`
	Note          string  `yaml:"note"`
	provenanceRec `yaml:",inline"`
}

type officialListRec struct {
	ID            string        `yaml:"id"`
	NameZh        string        `yaml:"nameZh"`
	NameEn        string        `yaml:"nameEn"`
	Kind          string        `yaml:"kind"`
	ChainMap      string        `yaml:"chainMap"`
	Issuer        string        `yaml:"issuer"`
	IssuerID      string        `yaml:"issuerId"`
	Published     string        `yaml:"published"`
	StatedCount   int           `yaml:"statedCount"`
	CountNote     string        `yaml:"countNote"`
	Description   string        `yaml:"description"`
	Items         []listItemRec `yaml:"items"`
	provenanceRec `yaml:",inline"`
}

// listItemRec is one entry of an official list: nested under the list in YAML, or a row of a list-items CSV
// (which names its list).
type listItemRec struct {
	List          string `yaml:"list"` // only in spreadsheets and top-level listItems; nested items belong to their list
	Label         string `yaml:"label"`
	Ref           string `yaml:"ref"`
	Tier          string `yaml:"tier"`
	Rank          int    `yaml:"rank"`
	provenanceRec `yaml:",inline"`
}
