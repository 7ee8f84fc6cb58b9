package loader

// The shapes of seed records as they appear in the files (seeds/README.md documents them); recordKinds says
// under which key of a file each one comes. They are decoded strictly: an unknown key is an error, so a typo
// never silently drops a fact.

// storedRec is what a dump records about a record besides its seed fields; curated seed files leave it out.
type storedRec struct {
	Origin    string         `yaml:"origin,omitempty"`    // seed (the default), api or gen
	CreatedBy string         `yaml:"createdBy,omitempty"` // the editor who created it through the API
	EditedBy  string         `yaml:"editedBy,omitempty"`  // the editor who changed it last
	EditedAt  string         `yaml:"editedAt,omitempty"`  // when (RFC 3339)
	Labels    []string       `yaml:"labels,omitempty"`    // all its labels, when they differ from its kind's
	Props     map[string]any `yaml:"props,omitempty"`     // properties its fields do not give, as stored
	Unset     []string       `yaml:"unset,omitempty"`     // properties its fields give that it lacks
	Links     []linkRec      `yaml:"links,omitempty"`     // relationships whose properties are not the default
}

// linkRec is one relationship of a record: its type, the key of the node at its other end, and its
// properties, or absent: true when the relationship its fields give does not exist.
type linkRec struct {
	Rel    string         `yaml:"rel,omitempty"`
	With   string         `yaml:"with,omitempty"`
	Props  map[string]any `yaml:"props,omitempty"`
	Absent bool           `yaml:"absent,omitempty"`
}

// changeLogRec is the change log's position when the dump was taken: the seq of the last change it holds,
// and, when changes committed while it was read, the seq up to which replaying the archive makes it exact.
type changeLogRec struct {
	Seq     int64 `yaml:"seq,omitempty"`
	Settled int64 `yaml:"settled,omitempty"`
}

// statusChangeRec is one entry of a bottleneck's status history.
type statusChangeRec struct {
	ID        string `yaml:"id,omitempty"`
	Seq       int    `yaml:"seq,omitempty"`
	From      string `yaml:"from,omitempty"`
	To        string `yaml:"to,omitempty"`
	Note      string `yaml:"note,omitempty"`
	Author    string `yaml:"author,omitempty"`
	At        string `yaml:"at,omitempty"`
	storedRec `yaml:",inline"`
}

// nodeRec is a node no record kind holds (a dump's nodes:), with all its labels and properties; its key is
// its id (or code) property.
type nodeRec struct {
	Labels []string       `yaml:"labels,omitempty"`
	Props  map[string]any `yaml:"props,omitempty"`
}

// relRec is a relationship no record holds (a dump's relationships:), between two nodes named by their refs
// ("Enterprise/sinohytec", "Region/110000").
type relRec struct {
	Rel   string         `yaml:"rel,omitempty"`
	From  string         `yaml:"from,omitempty"`
	To    string         `yaml:"to,omitempty"`
	Props map[string]any `yaml:"props,omitempty"`
}

type provenanceRec struct {
	Confidence string   `yaml:"confidence,omitempty"`
	Sources    []string `yaml:"sources,omitempty"`
	Evidence   string   `yaml:"evidence,omitempty"`
	// SourcingNote records what is known about the sources (e.g. "only a copy found; original searched for").
	SourcingNote string `yaml:"sourcingNote,omitempty"`
	// A dump records where the record came from and what else it carries.
	storedRec `yaml:",inline"`
}

type sourceRec struct {
	ID          string `yaml:"id,omitempty"`
	Title       string `yaml:"title,omitempty"`
	Publisher   string `yaml:"publisher,omitempty"`
	URL         string `yaml:"url,omitempty"`
	Date        string `yaml:"date,omitempty"`
	Reliability string `yaml:"reliability,omitempty"`
	Language    string `yaml:"language,omitempty"`
	Note        string `yaml:"note,omitempty"`
	storedRec   `yaml:",inline"`
}

// hostRec is a reviewed exception to the audit's host rules (seeds/hosts.yaml): what a host is, as a reviewer
// who opened its pages saw it.
type hostRec struct {
	Host   string `yaml:"host,omitempty"`   // "example.com", or a host and a path prefix, "163.com/dy/"
	Class  string `yaml:"class,omitempty"`  // a HostClass
	Outlet string `yaml:"outlet,omitempty"` // the outlet or firm the host belongs to, for first-party classes
	Note   string `yaml:"note,omitempty"`   // what the reviewer saw (required for UNRELATED and SPAM)
}

type regionRec struct {
	Code          string `yaml:"code,omitempty"`
	NameZh        string `yaml:"nameZh,omitempty"`
	NameEn        string `yaml:"nameEn,omitempty"`
	Level         string `yaml:"level,omitempty"`
	Parent        string `yaml:"parent,omitempty"`
	provenanceRec `yaml:",inline"`
}

type chainMapRec struct {
	ID            string   `yaml:"id,omitempty"`
	NameZh        string   `yaml:"nameZh,omitempty"`
	NameEn        string   `yaml:"nameEn,omitempty"`
	Aliases       []string `yaml:"aliases,omitempty"`
	LeadRegion    string   `yaml:"leadRegion,omitempty"`
	MapPublished  string   `yaml:"mapPublished,omitempty"`
	Description   string   `yaml:"description,omitempty"`
	provenanceRec `yaml:",inline"`
}

type segmentRec struct {
	ID            string   `yaml:"id,omitempty"`
	ChainMap      string   `yaml:"chainMap,omitempty"`
	NameZh        string   `yaml:"nameZh,omitempty"`
	NameEn        string   `yaml:"nameEn,omitempty"`
	Stage         string   `yaml:"stage,omitempty"`
	Order         int      `yaml:"order,omitempty"`
	Feeds         []string `yaml:"feeds,omitempty"`
	Description   string   `yaml:"description,omitempty"`
	provenanceRec `yaml:",inline"`
}

type enterpriseRec struct {
	ID            string    `yaml:"id,omitempty"`
	NameZh        string    `yaml:"nameZh,omitempty"`
	NameEn        string    `yaml:"nameEn,omitempty"`
	ChainRole     string    `yaml:"chainRole,omitempty"`
	ChainRoleIn   string    `yaml:"chainRoleIn,omitempty"`
	FormerNames   []string  `yaml:"formerNames,omitempty"`
	Website       string    `yaml:"website,omitempty"`
	Segments      []string  `yaml:"segments,omitempty"`
	BranchOf      string    `yaml:"branchOf,omitempty"`
	Description   string    `yaml:"description,omitempty"`
	Sites         []siteRec `yaml:"sites,omitempty"`
	provenanceRec `yaml:",inline"`
}

type siteRec struct {
	ID            string `yaml:"id,omitempty"`
	Enterprise    string `yaml:"enterprise,omitempty"` // only in spreadsheets; in YAML the enclosing enterprise
	Kind          string `yaml:"kind,omitempty"`
	Region        string `yaml:"region,omitempty"`
	Park          string `yaml:"park,omitempty"`
	Name          string `yaml:"name,omitempty"` // the display name, when the source gives no nameZh or nameEn
	NameZh        string `yaml:"nameZh,omitempty"`
	NameEn        string `yaml:"nameEn,omitempty"`
	Since         int    `yaml:"since,omitempty"`
	Capacity      string `yaml:"capacity,omitempty"`
	provenanceRec `yaml:",inline"`
}

type institutionRec struct {
	ID            string   `yaml:"id,omitempty"`
	NameZh        string   `yaml:"nameZh,omitempty"`
	NameEn        string   `yaml:"nameEn,omitempty"`
	Kind          string   `yaml:"kind,omitempty"`
	Region        string   `yaml:"region,omitempty"`
	Segments      []string `yaml:"segments,omitempty"`
	Description   string   `yaml:"description,omitempty"`
	provenanceRec `yaml:",inline"`
}

type parkRec struct {
	ID            string `yaml:"id,omitempty"`
	NameZh        string `yaml:"nameZh,omitempty"`
	NameEn        string `yaml:"nameEn,omitempty"`
	Region        string `yaml:"region,omitempty"`
	RenamedFrom   string `yaml:"renamedFrom,omitempty"`
	Description   string `yaml:"description,omitempty"`
	provenanceRec `yaml:",inline"`
}

type bottleneckRec struct {
	ID       string       `yaml:"id,omitempty"`
	NameZh   string       `yaml:"nameZh,omitempty"`
	NameEn   string       `yaml:"nameEn,omitempty"`
	Kind     string       `yaml:"kind,omitempty"`
	Category string       `yaml:"category,omitempty"`
	Severity int          `yaml:"severity,omitempty"`
	Status   string       `yaml:"status,omitempty"`
	Segments []string     `yaml:"segments,omitempty"`
	Tacklers []tacklerRec `yaml:"tacklers,omitempty"`
	// StatusHistory (dumps only): the changes of its status, in order.
	StatusHistory []statusChangeRec `yaml:"statusHistory,omitempty"`
	Description   string            `yaml:"description,omitempty"`
	provenanceRec `yaml:",inline"`
}

type tacklerRec struct {
	ID     string `yaml:"id,omitempty"`
	Since  int    `yaml:"since,omitempty"`
	Status string `yaml:"status,omitempty"`
}

type techTransferRec struct {
	ID            string  `yaml:"id,omitempty"`
	From          string  `yaml:"from,omitempty"`
	To            string  `yaml:"to,omitempty"`
	Kind          string  `yaml:"kind,omitempty"`
	Year          int     `yaml:"year,omitempty"`
	Contracts     int     `yaml:"contracts,omitempty"`
	ValueCny      float64 `yaml:"valueCny,omitempty"`
	Description   string  `yaml:"description,omitempty"`
	provenanceRec `yaml:",inline"`
}

type supplyRec struct {
	From          string `yaml:"from,omitempty"`
	To            string `yaml:"to,omitempty"`
	Product       string `yaml:"product,omitempty"`
	Since         int    `yaml:"since,omitempty"`
	provenanceRec `yaml:",inline"`
}

type indicatorRec struct {
	ID            string              `yaml:"id,omitempty"`
	NameZh        string              `yaml:"nameZh,omitempty"`
	NameEn        string              `yaml:"nameEn,omitempty"`
	Unit          string              `yaml:"unit,omitempty"`
	Scope         string              `yaml:"scope,omitempty"`
	Values        []indicatorValueRec `yaml:"values,omitempty"`
	provenanceRec `yaml:",inline"`
}

type indicatorValueRec struct {
	Year          int     `yaml:"year,omitempty"`
	Period        string  `yaml:"period,omitempty"`
	Value         float64 `yaml:"value,omitempty"`
	Note          string  `yaml:"note,omitempty"`
	provenanceRec `yaml:",inline"`
}

type officialListRec struct {
	ID            string        `yaml:"id,omitempty"`
	NameZh        string        `yaml:"nameZh,omitempty"`
	NameEn        string        `yaml:"nameEn,omitempty"`
	Kind          string        `yaml:"kind,omitempty"`
	ChainMap      string        `yaml:"chainMap,omitempty"`
	Issuer        string        `yaml:"issuer,omitempty"`
	IssuerID      string        `yaml:"issuerId,omitempty"`
	Published     string        `yaml:"published,omitempty"`
	StatedCount   int           `yaml:"statedCount,omitempty"`
	CountNote     string        `yaml:"countNote,omitempty"`
	Description   string        `yaml:"description,omitempty"`
	Items         []listItemRec `yaml:"items,omitempty"`
	provenanceRec `yaml:",inline"`
}

// listItemRec is one entry of an official list: nested under the list in YAML, or a row of a list-items CSV
// (which names its list).
type listItemRec struct {
	List          string `yaml:"list,omitempty"` // only in spreadsheets and top-level listItems; nested items belong to their list
	Label         string `yaml:"label,omitempty"`
	Ref           string `yaml:"ref,omitempty"`
	Tier          string `yaml:"tier,omitempty"`
	Rank          int    `yaml:"rank,omitempty"`
	provenanceRec `yaml:",inline"`
}
