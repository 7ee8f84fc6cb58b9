package loader

import (
	"fmt"
	"reflect"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/chainmap/chainmap"
)

// recordKinds is the table of seed record kinds. Each entry says, for one kind, its key in a YAML file, where
// the parser puts its records, its sheet and columns if spreadsheets hold it, and its hooks in both validation
// passes, the audit's citations and a dump's refs. The parser, the sheet reader, the validator, the audit and
// the dump check walk this table, in its order, so adding a kind is adding an entry. The order is the order of
// the checks: ids are registered in it (the first of two records with one id keeps it), and pass 2 may use
// what an earlier kind recorded (a site its enterprise's provenance, a tech transfer the sites' regions).
var recordKinds = []recordKind{
	&spec[regionRec]{key: "regions", name: "region", label: "Region",
		list: func(p *parsed) *[]item[regionRec] { return &p.regions },
		id:   func(r regionRec) string { return r.Code },
		// Checked before pass 2, once every id is registered: records of any kind name regions.
		checkAll: func(v *validator, items []item[regionRec], ds *chainmap.Dataset) { ds.Regions = v.checkRegions(items) }},

	&spec[sourceRec]{key: "sources", name: kSource, label: "Source", unique: true,
		list: func(p *parsed) *[]item[sourceRec] { return &p.sources },
		id:   func(s sourceRec) string { return s.ID },
		checkOne: func(v *validator, it item[sourceRec], ds *chainmap.Dataset) {
			ds.Sources = append(ds.Sources, v.source(it))
		}},

	&spec[chainMapRec]{key: "chainMaps", name: kChainMap, label: "ChainMap", unique: true,
		list: func(p *parsed) *[]item[chainMapRec] { return &p.chainMaps },
		id:   func(c chainMapRec) string { return c.ID },
		checkOne: func(v *validator, it item[chainMapRec], ds *chainmap.Dataset) {
			ds.ChainMaps = append(ds.ChainMaps, v.chainMap(it))
		}},

	&spec[segmentRec]{key: "segments", name: kSegment, label: "Segment", unique: true,
		list: func(p *parsed) *[]item[segmentRec] { return &p.segments },
		id:   func(s segmentRec) string { return s.ID },
		checkAll: func(v *validator, items []item[segmentRec], ds *chainmap.Dataset) {
			ds.Segments = v.checkSegments(items)
		}},

	&spec[enterpriseRec]{key: "enterprises", name: kEnterprise, label: "Enterprise", unique: true,
		list: func(p *parsed) *[]item[enterpriseRec] { return &p.enterprises },
		id:   func(e enterpriseRec) string { return e.ID },
		nested: func(p *parsed, e item[enterpriseRec]) {
			for i, s := range e.v.Sites {
				s.Enterprise = e.v.ID
				p.sites = append(p.sites, item[siteRec]{v: s, at: e.at.child("sites", i)})
			}
		},
		checkOne: func(v *validator, it item[enterpriseRec], ds *chainmap.Dataset) {
			ds.Enterprises = append(ds.Enterprises, v.enterprise(it))
		},
		sheet: chainmap.SheetEnterprises, required: []string{"id"}, updates: true,
		columns: map[string]string{"id": "id", "nameZh": "nameZh", "nameEn": "nameEn", "chainRole": "chainRole",
			"segments": "segmentIds", "branchOf": "branchOf", "description": "description", "confidence": "confidence",
			"sources": "sourceIds", "evidence": "evidence"},
		row: func(c *rowCells) enterpriseRec {
			return enterpriseRec{ID: c.str("id"), NameZh: c.str("nameZh"), NameEn: c.str("nameEn"), ChainRole: c.str("chainRole"),
				Segments: c.list("segments"), BranchOf: c.str("branchOf"), Description: c.str("description"), provenanceRec: c.prov()}
		},
		upload: map[string]cellKind{"id": cellID, "nameZh": cellText, "nameEn": cellText, "chainRole": cellChainRole,
			"segmentIds": cellIDs, "confidence": cellConfidence, "description": cellText, "sourceIds": cellIDs}},

	// Sites come nested in their enterprise in YAML, or as rows of a sites sheet.
	&spec[siteRec]{name: kSite, label: "Site", unique: true,
		list: func(p *parsed) *[]item[siteRec] { return &p.sites },
		id:   func(s siteRec) string { return s.ID },
		checkOne: func(v *validator, it item[siteRec], ds *chainmap.Dataset) {
			ds.Sites = append(ds.Sites, v.site(it))
		},
		cites: func(p *parsed, items []item[siteRec], add citeFunc) {
			entProv := map[string]provenanceRec{}
			for _, it := range p.enterprises {
				entProv[it.v.ID] = it.v.provenanceRec
			}
			for _, it := range items {
				p := it.v.provenanceRec
				switch {
				case len(p.Sources) == 0 && p.Confidence == "":
					continue
				case len(p.Sources) == 0: // its own confidence on its enterprise's sources
					p.Sources = entProv[it.v.Enterprise].Sources
				case p.Confidence == "":
					p.Confidence = entProv[it.v.Enterprise].Confidence
				}
				add(kSite, it.v.ID, it.at, p)
			}
		},
		stored: func(p *parsed, items []item[siteRec], add storedFunc) {
			origins := map[string]string{}
			for _, it := range p.enterprises {
				origins[it.v.ID] = it.v.Origin
			}
			for _, it := range items {
				add(it.at, chainmap.RefOf("Site", it.v.ID), nestedStored(it.v.storedRec, origins[it.v.Enterprise]))
			}
		},
		sheet: chainmap.SheetSites, required: []string{"id"}, updates: true,
		moves: func(base, row item[siteRec]) string {
			if _, has := row.at.cells["enterprise"]; has && row.v.Enterprise != base.v.Enterprise {
				return fmt.Sprintf("site %q belongs to enterprise %q (%s:%d); a sheet does not move a site", base.v.ID,
					base.v.Enterprise, base.at.file, base.at.line)
			}
			return ""
		},
		columns: map[string]string{"id": "id", "enterprise": "enterprise", "kind": "kind", "region": "region", "park": "park",
			"name": "name", "nameZh": "nameZh", "nameEn": "nameEn", "since": "since", "capacity": "capacity",
			"confidence": "confidence", "sources": "sourceIds", "evidence": "evidence"},
		row: func(c *rowCells) siteRec {
			return siteRec{ID: c.str("id"), Enterprise: c.str("enterprise"), Kind: c.str("kind"), Region: c.str("region"),
				Park: c.str("park"), Name: c.str("name"), NameZh: c.str("nameZh"), NameEn: c.str("nameEn"), Since: c.num("since"),
				Capacity: c.str("capacity"), provenanceRec: c.prov()}
		},
		upload: map[string]cellKind{"id": cellID, "enterprise": cellID, "kind": cellSiteKind, "region": cellRegion, "park": cellID,
			"name": cellText, "since": cellYear, "capacity": cellText}},

	&spec[institutionRec]{key: "institutions", name: kInstitution, label: "Institution", unique: true,
		list: func(p *parsed) *[]item[institutionRec] { return &p.institutions },
		id:   func(i institutionRec) string { return i.ID },
		checkOne: func(v *validator, it item[institutionRec], ds *chainmap.Dataset) {
			ds.Institutions = append(ds.Institutions, v.institution(it))
		}},

	&spec[parkRec]{key: "parks", name: kPark, label: "Park", unique: true,
		list: func(p *parsed) *[]item[parkRec] { return &p.parks },
		id:   func(r parkRec) string { return r.ID },
		checkOne: func(v *validator, it item[parkRec], ds *chainmap.Dataset) {
			ds.Parks = append(ds.Parks, v.park(it))
		}},

	&spec[bottleneckRec]{key: "bottlenecks", name: kBottleneck, label: "Bottleneck", unique: true,
		list: func(p *parsed) *[]item[bottleneckRec] { return &p.bottlenecks },
		id:   func(b bottleneckRec) string { return b.ID },
		checkOne: func(v *validator, it item[bottleneckRec], ds *chainmap.Dataset) {
			ds.Bottlenecks = append(ds.Bottlenecks, v.bottleneck(it))
		},
		stored: func(_ *parsed, items []item[bottleneckRec], add storedFunc) {
			for _, it := range items {
				add(it.at, chainmap.RefOf("Bottleneck", it.v.ID), it.v.storedRec)
				for i, c := range it.v.StatusHistory {
					add(it.at.child("statusHistory", i), chainmap.RefOf("StatusChange", c.ID), c.storedRec)
				}
			}
		},
		sheet: chainmap.SheetBottlenecks, required: []string{"id"}, updates: true,
		columns: map[string]string{"id": "id", "nameZh": "nameZh", "nameEn": "nameEn", "kind": "kind", "category": "category",
			"severity": "severity", "status": "status", "segments": "segmentIds", "tacklers": "tacklerIds",
			"description": "description", "confidence": "confidence", "sources": "sourceIds", "evidence": "evidence"},
		row: func(c *rowCells) bottleneckRec {
			tacklers, err := chainmap.ParseTacklers(c.str("tacklers"))
			if err != nil {
				c.errs.add(c.at, "tacklers", "%v", err)
			}
			var recs []tacklerRec
			for _, tk := range tacklers {
				recs = append(recs, tacklerRec{ID: tk.ID, Since: tk.Since, Status: string(tk.Status)})
			}
			return bottleneckRec{ID: c.str("id"), NameZh: c.str("nameZh"), NameEn: c.str("nameEn"), Kind: c.str("kind"),
				Category: c.str("category"), Severity: c.num("severity"), Status: c.str("status"), Segments: c.list("segments"),
				Tacklers: recs, Description: c.str("description"), provenanceRec: c.prov()}
		},
		upload: map[string]cellKind{"id": cellID, "nameZh": cellText, "nameEn": cellText, "kind": cellBottleneckKind,
			"category": cellCategory, "severity": cellSeverity, "status": cellStatus, "segmentIds": cellIDs,
			"tacklerIds": cellTacklers, "description": cellText, "confidence": cellConfidence, "sourceIds": cellIDs}},

	&spec[techTransferRec]{key: "techTransfers", name: kTransfer, label: "TRANSFERS_TECH_TO", unique: true, rel: true,
		list: func(p *parsed) *[]item[techTransferRec] { return &p.techTransfers },
		id:   func(t techTransferRec) string { return t.ID },
		checkOne: func(v *validator, it item[techTransferRec], ds *chainmap.Dataset) {
			ds.TechTransfers = append(ds.TechTransfers, v.techTransfer(it))
		}},

	&spec[supplyRec]{key: "supplies", name: "supply", label: "SUPPLIES", rel: true,
		list: func(p *parsed) *[]item[supplyRec] { return &p.supplies },
		id:   func(s supplyRec) string { return s.From + ">" + s.To },
		checkAll: func(v *validator, items []item[supplyRec], ds *chainmap.Dataset) {
			ds.Supplies = v.checkSupplies(items)
		},
		stored: func(_ *parsed, items []item[supplyRec], add storedFunc) {
			for _, it := range items {
				add(it.at, chainmap.RefOf("SUPPLIES", chainmap.SupplyID(it.v.From, it.v.To, it.v.Product)), it.v.storedRec)
			}
		},
		sheet: chainmap.SheetSupplies, required: []string{"from", "to"},
		columns: map[string]string{"from": "from", "to": "to", "product": "product", "since": "since", "confidence": "confidence",
			"sources": "sourceIds", "evidence": "evidence"},
		row: func(c *rowCells) supplyRec {
			return supplyRec{From: c.str("from"), To: c.str("to"), Product: c.str("product"), Since: c.num("since"),
				provenanceRec: c.prov()}
		}},

	&spec[indicatorRec]{key: "indicators", name: kIndicator, label: "Indicator", unique: true,
		list: func(p *parsed) *[]item[indicatorRec] { return &p.indicators },
		id:   func(i indicatorRec) string { return i.ID },
		checkOne: func(v *validator, it item[indicatorRec], ds *chainmap.Dataset) {
			ds.Indicators = append(ds.Indicators, v.indicator(it))
		},
		cites: func(_ *parsed, items []item[indicatorRec], add citeFunc) {
			for _, it := range items {
				add(kIndicator, it.v.ID, it.at, it.v.provenanceRec)
				for i, val := range it.v.Values {
					add("indicator value", fmt.Sprintf("%s/%d", it.v.ID, val.Year), it.at.child("values", i), val.provenanceRec)
				}
			}
		},
		stored: func(_ *parsed, items []item[indicatorRec], add storedFunc) {
			for _, it := range items {
				add(it.at, chainmap.RefOf("Indicator", it.v.ID), it.v.storedRec)
				for i, val := range it.v.Values {
					add(it.at.child("values", i), chainmap.RefOf("IndicatorValue", chainmap.IndicatorValueID(it.v.ID, val.Year, val.Period)),
						nestedStored(val.storedRec, it.v.Origin))
				}
			}
		}},

	&spec[officialListRec]{key: "officialLists", name: kList, label: "OfficialList", unique: true,
		list: func(p *parsed) *[]item[officialListRec] { return &p.officialLists },
		id:   func(l officialListRec) string { return l.ID },
		nested: func(p *parsed, l item[officialListRec]) {
			for i, it := range l.v.Items {
				it.List = l.v.ID
				p.listItems = append(p.listItems, item[listItemRec]{v: it, at: l.at.child("items", i)})
			}
		},
		checkOne: func(v *validator, it item[officialListRec], ds *chainmap.Dataset) {
			ds.OfficialLists = append(ds.OfficialLists, v.officialList(it))
		}},

	// List items come nested in their list in YAML, as a top-level listItems list naming theirs, or as rows of
	// a list-items sheet.
	&spec[listItemRec]{key: "listItems", name: "list item", label: "ListItem",
		list: func(p *parsed) *[]item[listItemRec] { return &p.listItems },
		id:   func(li listItemRec) string { return li.List + "/" + li.Label },
		checkAll: func(v *validator, items []item[listItemRec], ds *chainmap.Dataset) {
			ds.ListItems = v.listItems(items)
		},
		stored: func(p *parsed, items []item[listItemRec], add storedFunc) {
			origins := map[string]string{}
			for _, it := range p.officialLists {
				origins[it.v.ID] = it.v.Origin
			}
			n := map[string]int{}
			for _, it := range items { // numbered as the validator numbers them
				n[it.v.List]++
				add(it.at, chainmap.RefOf("ListItem", fmt.Sprintf("%s#%d", it.v.List, n[it.v.List])),
					nestedStored(it.v.storedRec, origins[it.v.List]))
			}
		},
		sheet: chainmap.SheetListItems, required: []string{"list", "label"},
		columns: map[string]string{"list": "list", "rank": "rank", "label": "label", "ref": "ref", "tier": "tier",
			"confidence": "confidence", "sources": "sourceIds", "evidence": "evidence"},
		row: func(c *rowCells) listItemRec {
			return listItemRec{List: c.str("list"), Rank: c.num("rank"), Label: c.str("label"), Ref: c.str("ref"),
				Tier: c.str("tier"), provenanceRec: c.prov()}
		}},

	&spec[hostRec]{key: "hosts",
		list:     func(p *parsed) *[]item[hostRec] { return &p.hosts },
		checkAll: func(v *validator, items []item[hostRec], _ *chainmap.Dataset) { v.checkHosts(items) }},

	// A dump's own kinds (seeds/README.md, "Dumps"): the change log's position (a mapping, once per dump), and
	// the nodes and relationships no record kind holds. checkDump checks them, after every other kind.
	&spec[changeLogRec]{key: "changeLog", one: true, list: func(p *parsed) *[]item[changeLogRec] { return &p.changeLogs }},
	&spec[nodeRec]{key: "nodes", list: func(p *parsed) *[]item[nodeRec] { return &p.nodes }},
	&spec[relRec]{key: "relationships", list: func(p *parsed) *[]item[relRec] { return &p.rels }},
}

// recordKind is an entry of recordKinds: a spec of some record type, seen by the code that walks the table.
type recordKind interface {
	yamlKey() string     // "" for kinds nested in another in YAML (sites)
	shape() reflect.Type // the record's YAML shape
	single() bool        // a file may give it as one mapping rather than a list
	decode(p *parsed, node *yaml.Node, at loc) problems
	register(v *validator, p *parsed) // pass 1
	check(v *validator, p *parsed, ds *chainmap.Dataset)
	cite(p *parsed, add citeFunc)
	store(p *parsed, add storedFunc)
	nodeLabel() (name, label string) // label: "" for kinds whose records are relationships
	sheetName() string
	sheetColumns() map[string]string
	requiredColumns() []string
	uploadColumns() map[string]cellKind
	readRow(p *parsed, at loc, c *rowCells)
	overlay(p *parsed, errs *problems)
}

// citeFunc receives a record that cites sources, for the audit.
type citeFunc func(kind, id string, at loc, p provenanceRec)

// storedFunc receives a record's ref and what a dump records of it.
type storedFunc func(at loc, ref string, st storedRec)

// spec describes one record kind whose records have the shape T. Hooks left nil do the common thing, stated
// at each.
type spec[T any] struct {
	key    string                   // the key of its list in a YAML file; "" when YAML nests it in another kind
	name   string                   // what problems and the audit call a record of it ("enterprise")
	label  string                   // its node label or relationship type, which names its records in a dump's refs
	unique bool                     // its ids are registered in the id space every such kind shares (pass 1)
	rel    bool                     // its records are relationships, not nodes: label is their type
	one    bool                     // a file may give it as one mapping, not a list (a dump's changeLog)
	list   func(*parsed) *[]item[T] // where the parser puts its records
	id     func(T) string           // its key: what references name; with label, its ref in a dump
	// nested flattens the records nested in a record just decoded from YAML (an enterprise's sites).
	nested func(p *parsed, it item[T])
	// Pass 2: check and convert one record at a time, or all of them at once (rules across records).
	checkOne func(v *validator, it item[T], ds *chainmap.Dataset)
	checkAll func(v *validator, items []item[T], ds *chainmap.Dataset)
	// cites lists the records that cite sources, for the audit; nil: each record with its own provenance.
	cites func(p *parsed, items []item[T], add citeFunc)
	// stored lists what a dump records of each record; nil: each record under its label and id.
	stored func(p *parsed, items []item[T], add storedFunc)

	// Spreadsheets: the sheet whose rows are records of this kind; its columns by YAML key; the columns a
	// row cannot do without; how a row becomes a record.
	sheet    string
	columns  map[string]string
	required []string
	row      func(c *rowCells) T
	// updates: a row whose id a YAML record has updates that record (each column the sheet has replaces the
	// field); moves may refuse such an update, saying why.
	updates bool
	moves   func(base, row item[T]) string
	// upload: the editable columns an editor's upload of this sheet may set, and how a cell is read.
	upload map[string]cellKind
}

func (k *spec[T]) yamlKey() string                    { return k.key }
func (k *spec[T]) shape() reflect.Type                { return reflect.TypeFor[T]() }
func (k *spec[T]) single() bool                       { return k.one }
func (k *spec[T]) sheetName() string                  { return k.sheet }
func (k *spec[T]) sheetColumns() map[string]string    { return k.columns }
func (k *spec[T]) requiredColumns() []string          { return k.required }
func (k *spec[T]) uploadColumns() map[string]cellKind { return k.upload }

func (k *spec[T]) nodeLabel() (string, string) {
	if k.rel {
		return k.name, ""
	}
	return k.name, k.label
}

func (k *spec[T]) decode(p *parsed, node *yaml.Node, at loc) problems {
	list := k.list(p)
	errs := decodeInto(list, node, at)
	if len(errs) == 0 && k.nested != nil {
		k.nested(p, (*list)[len(*list)-1])
	}
	return errs
}

func (k *spec[T]) register(v *validator, p *parsed) {
	if !k.unique {
		return
	}
	for _, it := range *k.list(p) {
		v.register(k.id(it.v), k.name, it.at)
	}
}

func (k *spec[T]) check(v *validator, p *parsed, ds *chainmap.Dataset) {
	items := *k.list(p)
	if k.checkAll != nil {
		k.checkAll(v, items, ds)
	}
	if k.checkOne != nil {
		for _, it := range items {
			k.checkOne(v, it, ds)
		}
	}
}

// provenanced is a record shape with a provenance of its own (those that embed provenanceRec).
type provenanced interface{ provenance() provenanceRec }

func (p provenanceRec) provenance() provenanceRec { return p }

// storing is a record shape that a dump may say more of (those that embed storedRec).
type storing interface{ stored() storedRec }

func (s storedRec) stored() storedRec { return s }

func (k *spec[T]) cite(p *parsed, add citeFunc) {
	items := *k.list(p)
	if k.cites != nil {
		k.cites(p, items, add)
		return
	}
	for _, it := range items {
		if r, ok := any(it.v).(provenanced); ok && k.id != nil {
			add(k.name, k.id(it.v), it.at, r.provenance())
		}
	}
}

func (k *spec[T]) store(p *parsed, add storedFunc) {
	items := *k.list(p)
	if k.stored != nil {
		k.stored(p, items, add)
		return
	}
	for _, it := range items {
		if r, ok := any(it.v).(storing); ok && k.label != "" {
			add(it.at, chainmap.RefOf(k.label, k.id(it.v)), r.stored())
		}
	}
}

// nestedStored is what a dump records of a nested record (a site, a value, a list entry): its parent's origin
// when it states none, as the validator gives it.
func nestedStored(st storedRec, parentOrigin string) storedRec {
	if st.Origin == "" {
		st.Origin = parentOrigin
	}
	return st
}

func (k *spec[T]) readRow(p *parsed, at loc, c *rowCells) {
	v := k.row(c)
	*k.list(p) = append(*k.list(p), item[T]{at: at, v: v})
}

func (k *spec[T]) overlay(p *parsed, errs *problems) {
	if !k.updates {
		return
	}
	*k.list(p) = overlay(*k.list(p), k.id, k.moves, errs)
}

// yamlKinds maps the YAML keys of the record kinds to their entries.
var yamlKinds = func() map[string]recordKind {
	out := map[string]recordKind{}
	for _, k := range recordKinds {
		if k.yamlKey() != "" {
			out[k.yamlKey()] = k
		}
	}
	return out
}()

// sheetRecordKind returns the kind whose records a sheet holds.
func sheetRecordKind(sheet string) (recordKind, bool) {
	for _, k := range recordKinds {
		if k.sheetName() == sheet && sheet != "" {
			return k, true
		}
	}
	return nil, false
}

// nodeLabel returns the node label of a kind, by the name the validator's id registry gives it; "" for a kind
// whose records are relationships.
func nodeLabel(name string) string {
	for _, k := range recordKinds {
		if n, l := k.nodeLabel(); n == name {
			return l
		}
	}
	return ""
}

// rowCells reads the cells of one spreadsheet row by the YAML keys of its record's fields, collecting
// problems.
type rowCells struct {
	r    sheetRow
	keys map[string]string // YAML key → column
	at   loc
	errs problems
}

func (c *rowCells) str(key string) string    { return c.r.cells[c.keys[key]] }
func (c *rowCells) list(key string) []string { return list(c.str(key)) }

func (c *rowCells) num(key string) int {
	s := c.str(key)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		c.errs.add(c.at, key, "want a whole number, got %q", s)
	}
	return v
}

func (c *rowCells) prov() provenanceRec {
	return provenanceRec{Confidence: c.str("confidence"), Sources: c.list("sources"), Evidence: c.str("evidence")}
}
