package loader

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/chainmap/chainmap"
)

// Node kinds, as the id registry names them in problems.
const (
	kSource      = "source"
	kChainMap    = "chain map"
	kSegment     = "segment"
	kEnterprise  = "enterprise"
	kSite        = "site"
	kInstitution = "institution"
	kPark        = "park"
	kBottleneck  = "bottleneck"
	kTransfer    = "tech transfer"
	kIndicator   = "indicator"
	kList        = "official list"
)

// validator checks the parsed records and builds the dataset. Ids are unique across all kinds (regions have
// their own code space), so a reference that may name several kinds (a tackler, a tech-transfer end) is
// unambiguous.
type validator struct {
	errs     problems
	ids      map[string]string // id → kind
	idAt     map[string]loc
	regions  map[string]*chainmap.Region
	sites    map[string]*chainmap.Site
	ents     map[string][]string      // enterprise id → its sites' province codes
	insts    map[string]string        // institution id → region code
	entNames map[string]string        // enterprise id → display name
	inherits map[string]bool          // sites (loc.key) that state no provenance of their own
	entProv  map[string]provenanceRec // enterprise id → its provenance, which its sites inherit
	listProv map[string]provenanceRec // official list id → its provenance, which its entries inherit
}

// validate checks every record and every reference across files, and returns the dataset when there is no
// problem.
func validate(p *parsed) (*chainmap.Dataset, problems) {
	v := &validator{ids: map[string]string{}, idAt: map[string]loc{}, regions: map[string]*chainmap.Region{},
		sites: map[string]*chainmap.Site{}, ents: map[string][]string{}, insts: map[string]string{}, entNames: map[string]string{},
		inherits: map[string]bool{}, entProv: map[string]provenanceRec{}, listProv: map[string]provenanceRec{}}
	ds := &chainmap.Dataset{}

	// Pass 1: register every id, so that references may point anywhere, in any file.
	for _, k := range recordKinds {
		k.register(v, p)
	}
	// Pass 2: check each record and convert it, kind after kind (regions first: records of any kind name them).
	for _, k := range recordKinds {
		k.check(v, p, ds)
	}
	v.checkDump(p, ds)
	return ds, v.errs
}

var hostKeyRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(/[^\s]*)?$`)

// checkHosts checks the reviewed host exceptions: a host name (with an optional path prefix), once, with a
// class, and a note saying what the reviewer saw when the host is called unrelated or spam.
func (v *validator) checkHosts(hosts []item[hostRec]) {
	seen := map[string]loc{}
	for _, it := range hosts {
		h, at := it.v, it.at
		switch {
		case !hostKeyRE.MatchString(h.Host):
			v.errs.add(at, "host", "%q is not a lower-case host name (example.com, or example.com/path/)", h.Host)
		case strings.HasPrefix(h.Host, "www."):
			v.errs.add(at, "host", "%q: leave out \"www.\"; a host covers its subdomains", h.Host)
		}
		if prev, dup := seen[h.Host]; dup {
			v.errs.add(at, "host", "%q is reviewed twice (first at %s:%d)", h.Host, prev.file, prev.line)
		}
		seen[h.Host] = at
		class := enum(v, at, "class", h.Class, HostClasses, true)
		if (class == HostUnrelated || class == HostSpam) && strings.TrimSpace(h.Note) == "" {
			v.errs.add(at, "note", "say what the page showed that makes the host %s", class)
		}
	}
}

// check adds the problem a rule of the root package found (chainmap.CheckID and the like), if any, at the
// field the rule was given.
func (v *validator) check(at loc, err error) bool {
	if err == nil {
		return true
	}
	e := err.(*chainmap.Error)
	v.errs.add(at, e.Field, "%s", e.Message)
	return false
}

func (v *validator) register(id, kind string, at loc) {
	if id == "" {
		v.check(at, chainmap.CheckID("id", id))
		return
	}
	// An id that breaks the rule is registered all the same, so that the records naming it report no
	// second problem.
	v.check(at, chainmap.CheckID("id", id))
	if prev, dup := v.ids[id]; dup {
		first := v.idAt[id]
		v.errs.add(at, "id", "duplicate id %q: already used by the %s at %s:%d", id, prev, first.file, first.line)
		return
	}
	v.ids[id] = kind
	v.idAt[id] = at
}

// ref checks that id names a record of one of the kinds.
func (v *validator) ref(at loc, field, id string, kinds ...string) bool {
	if id == "" {
		v.errs.add(at, field, "is required")
		return false
	}
	got, ok := v.ids[id]
	if !ok {
		v.errs.add(at, field, "unknown %s %q", strings.Join(kinds, " or "), id)
		return false
	}
	for _, k := range kinds {
		if got == k {
			return true
		}
	}
	v.errs.add(at, field, "%q is a %s, want a %s", id, got, strings.Join(kinds, " or "))
	return false
}

func (v *validator) refs(at loc, field string, ids []string, kind string) {
	for _, id := range ids {
		v.ref(at, field, id, kind)
	}
}

func (v *validator) region(at loc, field, code string, required bool) {
	if code == "" {
		if required {
			v.errs.add(at, field, "is required")
		}
		return
	}
	if _, ok := v.regions[code]; !ok {
		v.errs.add(at, field, "unknown region %q (regions.yaml lists the GB/T 2260 codes)", code)
	}
}

func (v *validator) provenance(at loc, p provenanceRec) chainmap.Provenance {
	if p.Origin == chainmap.OriginGen && p.Confidence == "" && len(p.Sources) == 0 {
		// Synthetic records in a dump: gen makes them up, and they cite nothing.
		return chainmap.Provenance{Evidence: p.Evidence, SourcingNote: p.SourcingNote}
	}
	if p.Confidence == "" {
		v.errs.add(at, "confidence", "is required (REPORTED or ILLUSTRATIVE)")
	} else if !chainmap.Valid(chainmap.Confidence(p.Confidence), chainmap.Confidences) {
		v.errs.add(at, "confidence", "%q is not one of %s", p.Confidence, join(chainmap.Confidences))
	}
	v.check(at, chainmap.CheckSources("sources", p.Sources))
	v.refs(at, "sources", p.Sources, kSource)
	return chainmap.Provenance{Confidence: chainmap.Confidence(p.Confidence), SourceIDs: p.Sources, Evidence: p.Evidence,
		SourcingNote: p.SourcingNote}
}

func (v *validator) names(at loc, zh, en string) {
	v.check(at, chainmap.CheckNames("", zh, en))
}

func enum[T ~string](v *validator, at loc, field, value string, values []T, required bool) T {
	if value == "" {
		if required {
			v.errs.add(at, field, "is required (one of %s)", join(values))
		}
		return ""
	}
	if !chainmap.Valid(T(value), values) {
		v.errs.add(at, field, "%q is not one of %s", value, join(values))
	}
	return T(value)
}

func join[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, x := range values {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// year checks a year the record states: 0 is a year left out, unless the file gives it (since: 0).
func (v *validator) year(at loc, field string, y int) {
	if y != 0 || at.value(field) != nil {
		v.check(at, chainmap.CheckYear(field, y))
	}
}

func (v *validator) source(it item[sourceRec]) chainmap.Source {
	s := it.v
	src := chainmap.Source{ID: s.ID, Title: s.Title, Publisher: s.Publisher, URL: s.URL, Date: s.Date,
		Reliability: chainmap.Reliability(s.Reliability), Language: s.Language, Note: s.Note}
	for _, p := range src.Problems() {
		v.errs.add(it.at, p.Field, "%s", p.Message)
	}
	return src
}

// checkRegions checks codes, levels and the PART_OF tree, and works out each region's province.
func (v *validator) checkRegions(items []item[regionRec]) []chainmap.Region {
	var out []chainmap.Region
	at := map[string]loc{}
	for _, it := range items {
		r := it.v
		switch {
		case !chainmap.ValidRegionCode(r.Code):
			v.errs.add(it.at, "code", "%q is not a six-digit GB/T 2260 code", r.Code)
			continue
		case v.regions[r.Code] != nil:
			v.errs.add(it.at, "code", "duplicate region %q: already at %s:%d", r.Code, at[r.Code].file, at[r.Code].line)
			continue
		}
		v.names(it.at, r.NameZh, r.NameEn)
		level := enum(v, it.at, "level", r.Level, chainmap.RegionLevels, true)
		if (level == chainmap.Province) != (r.Parent == "") {
			v.errs.add(it.at, "parent", "a province has no parent and every other region has one")
		}
		reg := &chainmap.Region{Code: r.Code, Name: chainmap.Name(r.NameZh, r.NameEn), NameZh: r.NameZh, NameEn: r.NameEn,
			Level: level, ParentCode: r.Parent, Provenance: v.provenance(it.at, r.provenanceRec)}
		v.regions[r.Code] = reg
		at[r.Code] = it.at
	}
	for _, it := range items {
		reg := v.regions[it.v.Code]
		if reg == nil || at[it.v.Code].path != it.at.path || at[it.v.Code].file != it.at.file {
			continue
		}
		// Walk up to the province; a cycle or a missing parent is an error.
		cur, seen := reg, map[string]bool{}
		for cur != nil && cur.ParentCode != "" && !seen[cur.Code] {
			seen[cur.Code] = true
			next := v.regions[cur.ParentCode]
			if next == nil {
				v.errs.add(it.at, "parent", "unknown region %q", cur.ParentCode)
			}
			cur = next
		}
		switch {
		case cur == nil:
		case cur.ParentCode != "":
			v.errs.add(it.at, "parent", "regions %q form a cycle", it.v.Code)
		default:
			reg.ProvinceCode = cur.Code
		}
		out = append(out, *reg)
	}
	return out
}

func (v *validator) chainMap(it item[chainMapRec]) chainmap.ChainMap {
	c, at := it.v, it.at
	v.names(at, c.NameZh, c.NameEn)
	v.region(at, "leadRegion", c.LeadRegion, false)
	if c.MapPublished != "" {
		v.check(at, chainmap.CheckDate("mapPublished", c.MapPublished))
	}
	return chainmap.ChainMap{ID: c.ID, Name: chainmap.Name(c.NameZh, c.NameEn), NameZh: c.NameZh, NameEn: c.NameEn,
		Aliases: c.Aliases, LeadRegionCode: c.LeadRegion, MapPublished: c.MapPublished, Description: c.Description,
		Provenance: v.provenance(at, c.provenanceRec)}
}

func (v *validator) checkSegments(items []item[segmentRec]) []chainmap.Segment {
	var out []chainmap.Segment
	orders := map[string]loc{} // chain map + order → first segment with it
	for _, it := range items {
		s, at := it.v, it.at
		v.names(at, s.NameZh, s.NameEn)
		v.ref(at, "chainMap", s.ChainMap, kChainMap)
		stage := enum(v, at, "stage", s.Stage, chainmap.Stages, true)
		if s.Order < 1 {
			v.errs.add(at, "order", "must be 1 or more")
		} else if k := fmt.Sprintf("%s/%d", s.ChainMap, s.Order); orders[k].file != "" {
			v.errs.add(at, "order", "order %d is already used in chain map %q by %s", s.Order, s.ChainMap, orders[k].path)
		} else {
			orders[k] = at
		}
		for _, f := range s.Feeds {
			if f == s.ID {
				v.errs.add(at, "feeds", "a segment cannot feed itself")
			}
		}
		v.refs(at, "feeds", s.Feeds, kSegment)
		out = append(out, chainmap.Segment{ID: s.ID, ChainMapID: s.ChainMap, Name: chainmap.Name(s.NameZh, s.NameEn),
			NameZh: s.NameZh, NameEn: s.NameEn, Stage: stage, Order: s.Order, Feeds: s.Feeds, Description: s.Description,
			Provenance: v.provenance(at, s.provenanceRec)})
	}
	return out
}

func (v *validator) enterprise(it item[enterpriseRec]) chainmap.Enterprise {
	e, at := it.v, it.at
	v.entProv[e.ID] = e.provenanceRec
	v.entNames[e.ID] = chainmap.Name(e.NameZh, e.NameEn)
	v.names(at, e.NameZh, e.NameEn)
	role := enum(v, at, "chainRole", e.ChainRole, chainmap.ChainRoles, false)
	if e.ChainRoleIn != "" {
		if role == "" {
			v.errs.add(at, "chainRoleIn", "needs a chainRole")
		}
		v.ref(at, "chainRoleIn", e.ChainRoleIn, kChainMap)
	}
	for _, n := range e.FormerNames {
		if strings.TrimSpace(n) == "" {
			v.errs.add(at, "formerNames", "must not hold an empty name")
		}
	}
	if e.Website != "" {
		v.check(at, chainmap.CheckURL("website", e.Website))
	}
	v.refs(at, "segments", e.Segments, kSegment)
	if e.BranchOf != "" {
		if e.BranchOf == e.ID {
			v.errs.add(at, "branchOf", "an enterprise cannot be a branch of itself")
		}
		v.ref(at, "branchOf", e.BranchOf, kEnterprise)
	}
	return chainmap.Enterprise{ID: e.ID, Name: chainmap.Name(e.NameZh, e.NameEn), NameZh: e.NameZh, NameEn: e.NameEn,
		ChainRole: role, ChainRoleIn: e.ChainRoleIn, FormerNames: e.FormerNames, Website: e.Website, SegmentIDs: e.Segments, BranchOf: e.BranchOf, Description: e.Description,
		Provenance: v.provenance(at, e.provenanceRec)}
}

// site checks a site. A site inherits its enterprise's confidence and sources unless it states its own, and
// in a dump its origin.
func (v *validator) site(it item[siteRec]) chainmap.Site {
	ent := v.entProv[it.v.Enterprise]
	if it.v.Origin == "" {
		it.v.Origin = ent.Origin
	}
	if it.v.Confidence == "" && len(it.v.Sources) == 0 {
		// Its enterprise's record reports what its provenance lacks.
		v.inherits[it.at.key()] = true
	}
	if it.v.Confidence == "" {
		it.v.Confidence = ent.Confidence
	}
	if len(it.v.Sources) == 0 {
		it.v.Sources = ent.Sources
		if it.v.SourcingNote == "" {
			it.v.SourcingNote = ent.SourcingNote
		}
	}
	s, at := it.v, it.at
	v.ref(at, "enterprise", s.Enterprise, kEnterprise)
	kind := enum(v, at, "kind", s.Kind, chainmap.SiteKinds, true)
	v.region(at, "region", s.Region, true)
	if s.Park != "" {
		v.ref(at, "park", s.Park, kPark)
	}
	v.year(at, "since", s.Since)
	var prov chainmap.Provenance
	if v.inherits[at.key()] && v.ids[s.Enterprise] == kEnterprise {
		prov = chainmap.Provenance{Confidence: chainmap.Confidence(s.Confidence), SourceIDs: s.Sources, Evidence: s.Evidence,
			SourcingNote: s.SourcingNote}
	} else {
		prov = v.provenance(at, s.provenanceRec)
	}
	site := chainmap.Site{ID: s.ID, EnterpriseID: s.Enterprise, Name: cmp.Or(chainmap.Name(s.NameZh, s.NameEn), s.Name), Kind: kind,
		RegionCode: s.Region, ParkID: s.Park, Since: s.Since, Capacity: s.Capacity, Provenance: prov}
	if site.Name == "" {
		site.Name = v.siteName(s)
	}
	if r := v.regions[s.Region]; r != nil {
		v.ents[s.Enterprise] = append(v.ents[s.Enterprise], r.ProvinceCode)
	}
	v.sites[s.ID] = &site
	return site
}

// siteName names a site the source gives no name: "<enterprise> — <kind>, <region>", which reads well in
// lists and as a caption in Neo4j Browser.
func (v *validator) siteName(s siteRec) string {
	regionName := ""
	if r := v.regions[s.Region]; r != nil {
		regionName = r.Name
	}
	return siteName(v.entNames[s.Enterprise], s.Enterprise, s.Kind, s.Region, regionName)
}

// siteName is the name of a site from its enterprise's name (else id), its kind and its region's name (else
// code): what the loader calls a site no source names, and what the encoder leaves out.
func siteName(entName, entID, kind, regionCode, regionName string) string {
	ent := entName
	if ent == "" {
		ent = entID
	}
	where := regionCode
	if regionName != "" {
		where = regionName
	}
	k := strings.ToLower(strings.ReplaceAll(kind, "_", " "))
	if kind == "HQ" || kind == "RD" {
		k = map[string]string{"HQ": "HQ", "RD": "R&D"}[kind]
	}
	return fmt.Sprintf("%s — %s, %s", ent, k, where)
}

func (v *validator) institution(it item[institutionRec]) chainmap.Institution {
	s, at := it.v, it.at
	v.names(at, s.NameZh, s.NameEn)
	kind := enum(v, at, "kind", s.Kind, chainmap.InstitutionKinds, true)
	v.region(at, "region", s.Region, true)
	v.refs(at, "segments", s.Segments, kSegment)
	v.insts[s.ID] = s.Region
	return chainmap.Institution{ID: s.ID, Name: chainmap.Name(s.NameZh, s.NameEn), NameZh: s.NameZh, NameEn: s.NameEn,
		Kind: kind, RegionCode: s.Region, SegmentIDs: s.Segments, Provenance: v.provenance(at, s.provenanceRec)}
}

func (v *validator) park(it item[parkRec]) chainmap.Park {
	s, at := it.v, it.at
	v.names(at, s.NameZh, s.NameEn)
	v.region(at, "region", s.Region, true)
	return chainmap.Park{ID: s.ID, Name: chainmap.Name(s.NameZh, s.NameEn), NameZh: s.NameZh, NameEn: s.NameEn,
		RegionCode: s.Region, RenamedFrom: s.RenamedFrom, Description: s.Description,
		Provenance: v.provenance(at, s.provenanceRec)}
}

func (v *validator) bottleneck(it item[bottleneckRec]) chainmap.Bottleneck {
	b, at := it.v, it.at
	v.names(at, b.NameZh, b.NameEn)
	kind := enum(v, at, "kind", b.Kind, chainmap.BottleneckKinds, true)
	cat := enum(v, at, "category", b.Category, chainmap.BottleneckCategories, true)
	status := enum(v, at, "status", b.Status, chainmap.BottleneckStatuses, true)
	v.check(at, chainmap.CheckSeverity("severity", b.Severity))
	if len(b.Segments) == 0 {
		v.errs.add(at, "segments", "at least one segment is required")
	}
	v.refs(at, "segments", b.Segments, kSegment)
	var tacklers []chainmap.Tackler
	for i, t := range b.Tacklers {
		tat := at.child("tacklers", i)
		v.ref(tat, "id", t.ID, kEnterprise, kInstitution)
		v.year(tat, "since", t.Since)
		status := enum(v, tat, "status", t.Status, chainmap.BottleneckStatuses, false)
		tacklers = append(tacklers, chainmap.Tackler{ID: t.ID, Since: t.Since, Status: status})
	}
	return chainmap.Bottleneck{ID: b.ID, Name: chainmap.Name(b.NameZh, b.NameEn), NameZh: b.NameZh, NameEn: b.NameEn,
		Kind: kind, Category: cat, Severity: b.Severity, Status: status, SegmentIDs: b.Segments, Tacklers: tacklers,
		Description: b.Description, Provenance: v.provenance(at, b.provenanceRec)}
}

// techTransfer checks an "R&D in Beijing, manufacturing in Tianjin–Hebei" link: it must start in Beijing and
// end in Tianjin or Hebei.
func (v *validator) techTransfer(it item[techTransferRec]) chainmap.TechTransfer {
	t, at := it.v, it.at
	if v.ref(at, "from", t.From, kSite, kInstitution) {
		if p := v.province(t.From); p != "" && p != chainmap.Beijing {
			v.errs.add(at, "from", "%q is not in Beijing", t.From)
		}
	}
	if v.ref(at, "to", t.To, kSite, kEnterprise) {
		if !v.inTianjinHebei(t.To) {
			v.errs.add(at, "to", "%q has no site in Tianjin or Hebei", t.To)
		}
	}
	kind := enum(v, at, "kind", t.Kind, chainmap.TransferKinds, false)
	v.year(at, "year", t.Year)
	if t.Contracts < 0 {
		v.errs.add(at, "contracts", "must not be negative")
	}
	if t.ValueCny < 0 {
		v.errs.add(at, "valueCny", "must not be negative")
	}
	return chainmap.TechTransfer{ID: t.ID, FromID: t.From, ToID: t.To, Kind: kind, Year: t.Year, Contracts: t.Contracts,
		ValueCny: t.ValueCny, Description: t.Description, Provenance: v.provenance(at, t.provenanceRec)}
}

// province returns the province of a site or institution id, or "" when unknown.
func (v *validator) province(id string) string {
	code := ""
	if s := v.sites[id]; s != nil {
		code = s.RegionCode
	} else {
		code = v.insts[id]
	}
	if r := v.regions[code]; r != nil {
		return r.ProvinceCode
	}
	return ""
}

func (v *validator) inTianjinHebei(id string) bool {
	if _, isSite := v.sites[id]; isSite {
		p := v.province(id)
		return p == chainmap.Tianjin || p == chainmap.Hebei || p == ""
	}
	for _, p := range v.ents[id] {
		if p == chainmap.Tianjin || p == chainmap.Hebei {
			return true
		}
	}
	return false
}

func (v *validator) checkSupplies(items []item[supplyRec]) []chainmap.Supply {
	var out []chainmap.Supply
	seen := map[string]loc{}
	for _, it := range items {
		s, at := it.v, it.at
		v.ref(at, "from", s.From, kEnterprise)
		v.ref(at, "to", s.To, kEnterprise)
		if s.From == s.To && s.From != "" {
			v.errs.add(at, "to", "an enterprise cannot supply itself")
		}
		key := s.From + ">" + s.To + ":" + s.Product
		if prev, dup := seen[key]; dup {
			v.errs.add(at, "", "duplicate supply link %s → %s (%q), first at %s:%d", s.From, s.To, s.Product, prev.file, prev.line)
		}
		seen[key] = at
		v.check(at, chainmap.CheckProduct("product", s.Product))
		v.year(at, "since", s.Since)
		out = append(out, chainmap.Supply{FromID: s.From, ToID: s.To, Product: s.Product, Since: s.Since,
			Provenance: v.provenance(at, s.provenanceRec)})
	}
	return out
}

func (v *validator) indicator(it item[indicatorRec]) chainmap.Indicator {
	in, at := it.v, it.at
	v.names(at, in.NameZh, in.NameEn)
	if in.Unit == "" {
		v.errs.add(at, "unit", "is required")
	}
	if len(in.Values) == 0 {
		v.errs.add(at, "values", "at least one value is required")
	}
	ind := chainmap.Indicator{ID: in.ID, Name: chainmap.Name(in.NameZh, in.NameEn), NameZh: in.NameZh, NameEn: in.NameEn,
		Unit: in.Unit, Scope: in.Scope, Provenance: v.provenance(at, in.provenanceRec)}
	years := map[string]bool{}
	for i, val := range in.Values {
		vat := at.child("values", i)
		if val.Year == 0 {
			v.errs.add(vat, "year", "is required")
		}
		v.year(vat, "year", val.Year)
		key := fmt.Sprintf("%d/%s", val.Year, val.Period)
		if years[key] {
			v.errs.add(vat, "year", "duplicate value for %d %s", val.Year, val.Period)
		}
		years[key] = true
		prov := inherit(val.provenanceRec, in.provenanceRec)
		ind.Values = append(ind.Values, chainmap.IndicatorValue{Year: val.Year, Period: val.Period, Value: val.Value,
			Note: val.Note, Provenance: v.provenance(vat, prov)})
	}
	return ind
}

func (v *validator) officialList(it item[officialListRec]) chainmap.OfficialList {
	l, at := it.v, it.at
	v.listProv[l.ID] = l.provenanceRec
	v.names(at, l.NameZh, l.NameEn)
	kind := enum(v, at, "kind", l.Kind, chainmap.ListKinds, true)
	if l.ChainMap != "" {
		v.ref(at, "chainMap", l.ChainMap, kChainMap)
	}
	if l.Issuer == "" {
		v.errs.add(at, "issuer", "is required (the issuing body, as the source names it)")
	}
	if l.IssuerID != "" {
		v.ref(at, "issuerId", l.IssuerID, kInstitution)
	}
	if l.Published != "" {
		v.check(at, chainmap.CheckDate("published", l.Published))
	}
	if l.StatedCount < 0 {
		v.errs.add(at, "statedCount", "must not be negative")
	}
	return chainmap.OfficialList{ID: l.ID, Name: chainmap.Name(l.NameZh, l.NameEn), NameZh: l.NameZh, NameEn: l.NameEn,
		Kind: kind, ChainMapID: l.ChainMap, Issuer: l.Issuer, IssuerID: l.IssuerID, Published: l.Published,
		StatedCount: l.StatedCount, CountNote: l.CountNote, Description: l.Description,
		Provenance: v.provenance(at, l.provenanceRec)}
}

// inherit returns the provenance of a record nested in another (an indicator's value, a list's entry): its
// own when it states a confidence or sources, else its parent's. In a dump, it keeps what it records of
// itself, and takes its parent's origin unless it states one.
func inherit(own, parent provenanceRec) provenanceRec {
	prov := own
	if own.Confidence == "" && len(own.Sources) == 0 {
		prov = parent
		prov.storedRec = own.storedRec
	}
	if prov.Origin == "" {
		prov.Origin = parent.Origin
	}
	return prov
}

// listItems checks the entries of official lists. An entry inherits its list's provenance unless it states
// its own; its id is the list id and its position ("list#3"), so that re-importing a list updates it in place.
func (v *validator) listItems(items []item[listItemRec]) []chainmap.ListItem {
	var out []chainmap.ListItem
	n := map[string]int{}
	refs := map[string]loc{}
	for _, it := range items {
		li, at := it.v, it.at
		if !v.ref(at, "list", li.List, kList) {
			continue
		}
		if li.Label == "" {
			v.errs.add(at, "label", "is required (the entry as the list words it)")
		}
		if li.Ref != "" {
			v.ref(at, "ref", li.Ref, kBottleneck, kEnterprise, kSegment)
			if prev, dup := refs[li.List+">"+li.Ref]; dup {
				v.errs.add(at, "ref", "%q is already an entry of list %q at %s:%d", li.Ref, li.List, prev.file, prev.line)
			}
			refs[li.List+">"+li.Ref] = at
		}
		tier := enum(v, at, "tier", li.Tier, chainmap.ChainRoles, false)
		if li.Rank < 0 {
			v.errs.add(at, "rank", "must not be negative")
		}
		prov := inherit(li.provenanceRec, v.listProv[li.List])
		n[li.List]++
		out = append(out, chainmap.ListItem{ID: fmt.Sprintf("%s#%d", li.List, n[li.List]), ListID: li.List, Label: li.Label,
			RefID: li.Ref, Tier: tier, Rank: li.Rank, Provenance: v.provenance(at, prov)})
	}
	return out
}
