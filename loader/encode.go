package loader

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chainmap/chainmap"
)

// Encode writes a dataset as seed files that Parse reads back into the same dataset: the encoder beside the
// decoder. It is deterministic — records sorted by key, fields in the order of the record shapes, one line per
// small nested record — so that two encodings of one dataset are byte for byte the same and a changed record
// changes only its own lines. A dataset with a Dump (chainmap dump) gets a dump.yaml with its changeLog entry,
// and each record what the dump says of it; records of origin gen go under synthetic/. A file that would pass
// MaxFileBytes continues in a numbered one (enterprises-2.yaml). Encode fails on a dataset the seed kinds
// cannot hold (a site whose enterprise is not in it); the caller then falls back to nodes and relationships.
func Encode(ds *chainmap.Dataset) ([]File, error) {
	var out []File
	if err := EncodeTo(ds, func(f File) error { out = append(out, f); return nil }); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// EncodeTo encodes ds as Encode does, handing each file to emit as soon as it is complete rather than
// holding them all: it holds at most one unfinished file of each kind (chunkBytes). The files are those
// Encode returns, byte for byte, in another order. An error from emit stops it.
func EncodeTo(ds *chainmap.Dataset, emit func(File) error) error {
	e := &encoder{ds: ds, files: map[string]*fileBuilder{}, emit: emit}
	if err := e.encode(); err != nil {
		return err
	}
	names := make([]string, 0, len(e.files))
	for name := range e.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := e.files[name].finish(); err != nil {
			return err
		}
	}
	return nil
}

// chunkBytes is where a file continues in the next one: below MaxFileBytes, so that a dump always loads.
const chunkBytes = 4 << 20

type encoder struct {
	ds    *chainmap.Dataset
	files map[string]*fileBuilder // by base name, e.g. "enterprises" or "synthetic/supplies"
	emit  func(File) error
}

// fileBuilder collects the records of one kind into files of at most chunkBytes, handing each on once the
// next one starts.
type fileBuilder struct {
	base, kind string
	part       []byte
	parts      int // files begun
	emit       func(File) error
}

func (f *fileBuilder) add(item []byte) error {
	if f.parts == 0 || len(f.part)+len(item) > chunkBytes {
		if err := f.flush(); err != nil {
			return err
		}
		f.part = append(make([]byte, 0, min(chunkBytes, 64<<10)), f.kind+":\n"...)
		f.parts++
	}
	f.part = append(f.part, item...)
	return nil
}

// flush hands on the file begun last, if any.
func (f *fileBuilder) flush() error {
	if f.parts == 0 || f.part == nil {
		return nil
	}
	name := f.base + ".yaml"
	if f.parts > 1 {
		name = fmt.Sprintf("%s-%d.yaml", f.base, f.parts)
	}
	data := f.part
	f.part = nil
	return f.emit(File{Name: name, Data: data})
}

func (f *fileBuilder) finish() error { return f.flush() }

func (e *encoder) stored(ref string) *chainmap.Stored {
	if e.ds.Dump == nil {
		return nil
	}
	return e.ds.Dump.Records[ref]
}

func (e *encoder) originOf(ref string) string {
	if st := e.stored(ref); st != nil && st.Origin != "" {
		return st.Origin
	}
	return chainmap.OriginSeed
}

// put adds one record of a kind to the file for its base name (under synthetic/ when it is generated).
// Nested records in flow style make one line each; a record that is itself small (supplies, relationships)
// too.
func (e *encoder) put(base, kind, ref string, rec any, flow bool) error {
	if e.originOf(ref) == chainmap.OriginGen {
		base = path.Join("synthetic", base)
	}
	var n yaml.Node
	if err := n.Encode(rec); err != nil {
		return fmt.Errorf("encode %s: %w", ref, err)
	}
	restyle(&n, flow)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{&n}}); err != nil {
		return fmt.Errorf("encode %s: %w", ref, err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	var item bytes.Buffer
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			item.WriteString("  " + line)
		}
	}
	f := e.files[base]
	if f == nil {
		f = &fileBuilder{base: base, kind: kind, emit: e.emit}
		e.files[base] = f
	}
	return f.add(item.Bytes())
}

// flowLists are the lists whose entries are written one to a line.
var flowLists = map[string]bool{"sites": true, "tacklers": true, "values": true, "items": true, "statusHistory": true,
	"links": true}

var intRE = regexp.MustCompile(`^[-+]?[0-9]+$`)

// yamlFloat writes a float so that it reads back as a float: 1.0, not 1 (which reads back as a whole number).
type yamlFloat float64

func (f yamlFloat) MarshalYAML() (any, error) {
	v := float64(f)
	var text string
	switch {
	case math.IsNaN(v):
		text = ".nan"
	case math.IsInf(v, 1):
		text = ".inf"
	case math.IsInf(v, -1):
		text = "-.inf"
	default:
		text = strconv.FormatFloat(v, 'g', -1, 64)
		if intRE.MatchString(text) {
			text += ".0"
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: text}, nil
}

// yamlProps returns properties ready to encode: floats as yamlFloat, so that their type survives.
func yamlProps(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = yamlValue(v)
	}
	return out
}

func yamlValue(v any) any {
	switch x := v.(type) {
	case float64:
		return yamlFloat(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = yamlValue(e)
		}
		return out
	}
	return v
}

// restyle writes lists of scalars and the entries of flowLists in flow style (the whole node when flow is
// set).
func restyle(n *yaml.Node, flow bool) {
	if flow {
		n.Style = yaml.FlowStyle
	}
	switch n.Kind {
	case yaml.SequenceNode:
		scalars := true
		for _, c := range n.Content {
			scalars = scalars && c.Kind == yaml.ScalarNode
			restyle(c, flow)
		}
		if scalars {
			n.Style = yaml.FlowStyle
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			restyle(v, flow)
			if flowLists[k.Value] && v.Kind == yaml.SequenceNode {
				for _, c := range v.Content {
					restyle(c, true)
				}
			}
		}
	}
}

func (e *encoder) storedRec(ref, parentOrigin string) storedRec {
	st := e.stored(ref)
	if st == nil {
		st = &chainmap.Stored{}
	}
	out := storedRec{CreatedBy: st.CreatedBy, EditedBy: st.EditedBy, EditedAt: st.EditedAt, Labels: st.Labels,
		Props: yamlProps(st.Props), Unset: st.Unset}
	if o := e.originOf(ref); o != parentOrigin {
		out.Origin = o
	}
	for _, l := range st.Links {
		out.Links = append(out.Links, linkRec{Rel: l.Type, With: l.With, Props: yamlProps(l.Props), Absent: l.Absent})
	}
	return out
}

func (e *encoder) prov(p chainmap.Provenance, ref, parentOrigin string) provenanceRec {
	return provenanceRec{Confidence: string(p.Confidence), Sources: p.SourceIDs, Evidence: p.Evidence,
		SourcingNote: p.SourcingNote, storedRec: e.storedRec(ref, parentOrigin)}
}

// nestedProv is the provenance of a record nested in another (a value, a list entry): left out when it is
// its parent's, which it then inherits.
func (e *encoder) nestedProv(p, parent chainmap.Provenance, ref, parentOrigin string) provenanceRec {
	out := e.prov(p, ref, parentOrigin)
	if samePlainProv(p, parent) {
		out.Confidence, out.Sources, out.Evidence, out.SourcingNote = "", nil, "", ""
	}
	return out
}

func samePlainProv(a, b chainmap.Provenance) bool {
	return a.Confidence == b.Confidence && a.Evidence == b.Evidence && a.SourcingNote == b.SourcingNote &&
		strings.Join(a.SourceIDs, "\x00") == strings.Join(b.SourceIDs, "\x00") && len(a.SourceIDs) == len(b.SourceIDs)
}

func (e *encoder) encode() error {
	ds := e.ds
	const seed = chainmap.OriginSeed
	if d := ds.Dump; d != nil {
		text := "# A chainmap dump: the whole graph as seed files (seeds/README.md, \"Dumps\"). Load it into an empty\n" +
			"# Neo4j with `chainmap load DIR`, or restore it and the changes archived after it with\n" +
			"# `chainmap restore DIR ARCHIVE`.\n" +
			"changeLog:\n  seq: " + strconv.FormatInt(d.ChangeLogSeq, 10) + "\n"
		if d.SettledSeq != 0 {
			text += "  settled: " + strconv.FormatInt(d.SettledSeq, 10) + "\n"
		}
		e.files["dump"] = &fileBuilder{base: "dump", part: []byte(text), parts: 1, emit: e.emit}
	}

	sources := append([]chainmap.Source(nil), ds.Sources...)
	sort.Slice(sources, func(i, j int) bool { return sources[i].ID < sources[j].ID })
	for _, s := range sources {
		ref := chainmap.RefOf("Source", s.ID)
		rec := sourceRec{ID: s.ID, Title: s.Title, Publisher: s.Publisher, URL: s.URL, Date: s.Date,
			Reliability: string(s.Reliability), Language: s.Language, Note: s.Note, storedRec: e.storedRec(ref, seed)}
		if err := e.put("sources", "sources", ref, rec, false); err != nil {
			return err
		}
	}
	regions := append([]chainmap.Region(nil), ds.Regions...)
	sort.Slice(regions, func(i, j int) bool { return regions[i].Code < regions[j].Code })
	for _, r := range regions {
		ref := chainmap.RefOf("Region", r.Code)
		rec := regionRec{Code: r.Code, NameZh: r.NameZh, NameEn: r.NameEn, Level: string(r.Level), Parent: r.ParentCode,
			provenanceRec: e.prov(r.Provenance, ref, seed)}
		if err := e.put("regions", "regions", ref, rec, false); err != nil {
			return err
		}
	}
	maps := append([]chainmap.ChainMap(nil), ds.ChainMaps...)
	sort.Slice(maps, func(i, j int) bool { return maps[i].ID < maps[j].ID })
	for _, c := range maps {
		ref := chainmap.RefOf("ChainMap", c.ID)
		rec := chainMapRec{ID: c.ID, NameZh: c.NameZh, NameEn: c.NameEn, Aliases: c.Aliases, LeadRegion: c.LeadRegionCode,
			MapPublished: c.MapPublished, Description: c.Description, provenanceRec: e.prov(c.Provenance, ref, seed)}
		if err := e.put("chainmaps", "chainMaps", ref, rec, false); err != nil {
			return err
		}
	}
	segments := append([]chainmap.Segment(nil), ds.Segments...)
	sort.Slice(segments, func(i, j int) bool {
		a, b := segments[i], segments[j]
		return a.ChainMapID < b.ChainMapID || a.ChainMapID == b.ChainMapID && (a.Order < b.Order || a.Order == b.Order && a.ID < b.ID)
	})
	for _, s := range segments {
		ref := chainmap.RefOf("Segment", s.ID)
		feeds := append([]string(nil), s.Feeds...)
		sort.Strings(feeds)
		rec := segmentRec{ID: s.ID, ChainMap: s.ChainMapID, NameZh: s.NameZh, NameEn: s.NameEn, Stage: string(s.Stage),
			Order: s.Order, Feeds: feeds, Description: s.Description, provenanceRec: e.prov(s.Provenance, ref, seed)}
		if err := e.put("segments", "segments", ref, rec, false); err != nil {
			return err
		}
	}

	sitesOf := map[string][]chainmap.Site{}
	for _, s := range ds.Sites {
		sitesOf[s.EnterpriseID] = append(sitesOf[s.EnterpriseID], s)
	}
	ents := append([]chainmap.Enterprise(nil), ds.Enterprises...)
	sort.Slice(ents, func(i, j int) bool { return ents[i].ID < ents[j].ID })
	names := map[string]string{}
	for _, en := range ents {
		names[en.ID] = chainmap.Name(en.NameZh, en.NameEn)
	}
	regionNames := map[string]string{}
	for _, r := range ds.Regions {
		regionNames[r.Code] = chainmap.Name(r.NameZh, r.NameEn)
	}
	placed := 0
	for _, en := range ents {
		ref := chainmap.RefOf("Enterprise", en.ID)
		origin := e.originOf(ref)
		segs := append([]string(nil), en.SegmentIDs...)
		sort.Strings(segs)
		rec := enterpriseRec{ID: en.ID, NameZh: en.NameZh, NameEn: en.NameEn, ChainRole: string(en.ChainRole),
			ChainRoleIn: en.ChainRoleIn, FormerNames: en.FormerNames, Website: en.Website, Segments: segs,
			BranchOf: en.BranchOf, Description: en.Description, provenanceRec: e.prov(en.Provenance, ref, seed)}
		sites := sitesOf[en.ID]
		sort.Slice(sites, func(i, j int) bool { return sites[i].ID < sites[j].ID })
		for _, s := range sites {
			sref := chainmap.RefOf("Site", s.ID)
			sr := siteRec{ID: s.ID, Kind: string(s.Kind), Region: s.RegionCode, Park: s.ParkID, Since: s.Since,
				Capacity: s.Capacity, provenanceRec: e.siteProv(s.Provenance, en.Provenance, sref, origin)}
			derived := siteName(names[en.ID], en.ID, string(s.Kind), s.RegionCode, regionNames[s.RegionCode])
			if s.Name != "" && s.Name != derived {
				if hanRE.MatchString(s.Name) {
					sr.NameZh = s.Name
				} else {
					sr.NameEn = s.Name
				}
			}
			rec.Sites = append(rec.Sites, sr)
			placed++
		}
		if err := e.put("enterprises", "enterprises", ref, rec, false); err != nil {
			return err
		}
	}
	if placed != len(ds.Sites) {
		for _, s := range ds.Sites {
			if names[s.EnterpriseID] == "" && !hasEnterprise(ents, s.EnterpriseID) {
				return fmt.Errorf("site %q: its enterprise %q is not a record, so the seed files cannot hold it", s.ID, s.EnterpriseID)
			}
		}
	}

	insts := append([]chainmap.Institution(nil), ds.Institutions...)
	sort.Slice(insts, func(i, j int) bool { return insts[i].ID < insts[j].ID })
	for _, in := range insts {
		ref := chainmap.RefOf("Institution", in.ID)
		segs := append([]string(nil), in.SegmentIDs...)
		sort.Strings(segs)
		rec := institutionRec{ID: in.ID, NameZh: in.NameZh, NameEn: in.NameEn, Kind: string(in.Kind), Region: in.RegionCode,
			Segments: segs, provenanceRec: e.prov(in.Provenance, ref, seed)}
		if err := e.put("institutions", "institutions", ref, rec, false); err != nil {
			return err
		}
	}
	parks := append([]chainmap.Park(nil), ds.Parks...)
	sort.Slice(parks, func(i, j int) bool { return parks[i].ID < parks[j].ID })
	for _, p := range parks {
		ref := chainmap.RefOf("Park", p.ID)
		rec := parkRec{ID: p.ID, NameZh: p.NameZh, NameEn: p.NameEn, Region: p.RegionCode, RenamedFrom: p.RenamedFrom,
			Description: p.Description, provenanceRec: e.prov(p.Provenance, ref, seed)}
		if err := e.put("parks", "parks", ref, rec, false); err != nil {
			return err
		}
	}
	bns := append([]chainmap.Bottleneck(nil), ds.Bottlenecks...)
	sort.Slice(bns, func(i, j int) bool { return bns[i].ID < bns[j].ID })
	for _, b := range bns {
		ref := chainmap.RefOf("Bottleneck", b.ID)
		segs := append([]string(nil), b.SegmentIDs...)
		sort.Strings(segs)
		rec := bottleneckRec{ID: b.ID, NameZh: b.NameZh, NameEn: b.NameEn, Kind: string(b.Kind), Category: string(b.Category),
			Severity: b.Severity, Status: string(b.Status), Segments: segs, Description: b.Description,
			provenanceRec: e.prov(b.Provenance, ref, seed)}
		tacklers := append([]chainmap.Tackler(nil), b.Tacklers...)
		sort.Slice(tacklers, func(i, j int) bool { return tacklers[i].ID < tacklers[j].ID })
		for _, t := range tacklers {
			rec.Tacklers = append(rec.Tacklers, tacklerRec{ID: t.ID, Since: t.Since, Status: string(t.Status)})
		}
		if ds.Dump != nil {
			for _, c := range ds.Dump.StatusHistory[b.ID] {
				cref := chainmap.RefOf("StatusChange", c.ID)
				st := e.storedRec(cref, e.originOf(cref))
				rec.StatusHistory = append(rec.StatusHistory, statusChangeRec{ID: c.ID, Seq: c.Seq, From: c.From, To: c.To,
					Note: c.Note, Author: c.Author, At: c.At, storedRec: st})
			}
		}
		if err := e.put("bottlenecks", "bottlenecks", ref, rec, false); err != nil {
			return err
		}
	}
	transfers := append([]chainmap.TechTransfer(nil), ds.TechTransfers...)
	sort.Slice(transfers, func(i, j int) bool { return transfers[i].ID < transfers[j].ID })
	for _, t := range transfers {
		ref := chainmap.RefOf("TRANSFERS_TECH_TO", t.ID)
		rec := techTransferRec{ID: t.ID, From: t.FromID, To: t.ToID, Kind: string(t.Kind), Year: t.Year,
			Contracts: t.Contracts, ValueCny: t.ValueCny, Description: t.Description, provenanceRec: e.prov(t.Provenance, ref, seed)}
		if err := e.put("techTransfers", "techTransfers", ref, rec, false); err != nil {
			return err
		}
	}
	supplies := append([]chainmap.Supply(nil), ds.Supplies...)
	sort.Slice(supplies, func(i, j int) bool {
		a, b := supplies[i], supplies[j]
		return a.FromID < b.FromID || a.FromID == b.FromID && (a.ToID < b.ToID || a.ToID == b.ToID && a.Product < b.Product)
	})
	for _, s := range supplies {
		ref := chainmap.RefOf("SUPPLIES", chainmap.SupplyID(s.FromID, s.ToID, s.Product))
		rec := supplyRec{From: s.FromID, To: s.ToID, Product: s.Product, Since: s.Since, provenanceRec: e.prov(s.Provenance, ref, seed)}
		if err := e.put("supplies", "supplies", ref, rec, true); err != nil {
			return err
		}
	}
	inds := append([]chainmap.Indicator(nil), ds.Indicators...)
	sort.Slice(inds, func(i, j int) bool { return inds[i].ID < inds[j].ID })
	for _, in := range inds {
		ref := chainmap.RefOf("Indicator", in.ID)
		origin := e.originOf(ref)
		rec := indicatorRec{ID: in.ID, NameZh: in.NameZh, NameEn: in.NameEn, Unit: in.Unit, Scope: in.Scope,
			provenanceRec: e.prov(in.Provenance, ref, seed)}
		for _, v := range in.Values {
			vref := chainmap.RefOf("IndicatorValue", chainmap.IndicatorValueID(in.ID, v.Year, v.Period))
			rec.Values = append(rec.Values, indicatorValueRec{Year: v.Year, Period: v.Period, Value: v.Value, Note: v.Note,
				provenanceRec: e.nestedProv(v.Provenance, in.Provenance, vref, origin)})
		}
		if err := e.put("indicators", "indicators", ref, rec, false); err != nil {
			return err
		}
	}
	itemsOf := map[string][]chainmap.ListItem{}
	for _, it := range ds.ListItems {
		itemsOf[it.ListID] = append(itemsOf[it.ListID], it)
	}
	lists := append([]chainmap.OfficialList(nil), ds.OfficialLists...)
	sort.Slice(lists, func(i, j int) bool { return lists[i].ID < lists[j].ID })
	for _, l := range lists {
		ref := chainmap.RefOf("OfficialList", l.ID)
		origin := e.originOf(ref)
		rec := officialListRec{ID: l.ID, NameZh: l.NameZh, NameEn: l.NameEn, Kind: string(l.Kind), ChainMap: l.ChainMapID,
			Issuer: l.Issuer, IssuerID: l.IssuerID, Published: l.Published, StatedCount: l.StatedCount, CountNote: l.CountNote,
			Description: l.Description, provenanceRec: e.prov(l.Provenance, ref, seed)}
		items := itemsOf[l.ID]
		for i, it := range items {
			if want := fmt.Sprintf("%s#%d", l.ID, i+1); it.ID != want {
				return fmt.Errorf("list item %q: entries are numbered in order, want %q", it.ID, want)
			}
			rec.Items = append(rec.Items, listItemRec{Label: it.Label, Ref: it.RefID, Tier: string(it.Tier), Rank: it.Rank,
				provenanceRec: e.nestedProv(it.Provenance, l.Provenance, chainmap.RefOf("ListItem", it.ID), origin)})
		}
		if err := e.put("lists", "officialLists", ref, rec, false); err != nil {
			return err
		}
	}
	if len(ds.ListItems) != countItems(itemsOf, lists) {
		return fmt.Errorf("a list item belongs to no list in the data set")
	}

	if d := ds.Dump; d != nil {
		nodes := append([]chainmap.StoredNode(nil), d.Nodes...)
		sort.Slice(nodes, func(i, j int) bool {
			return chainmap.Ref(nodes[i].Labels, nodes[i].Props) < chainmap.Ref(nodes[j].Labels, nodes[j].Props)
		})
		for _, n := range nodes {
			ref := chainmap.Ref(n.Labels, n.Props)
			if err := e.put("nodes", "nodes", ref, nodeRec{Labels: n.Labels, Props: yamlProps(n.Props)}, false); err != nil {
				return err
			}
		}
		rels := append([]chainmap.StoredRel(nil), d.Rels...)
		keys := make([]string, len(rels))
		for i, r := range rels {
			keys[i] = r.From + " " + r.Type + " " + r.To + " " + fmt.Sprint(r.Props)
		}
		sort.Sort(byKey{rels, keys})
		for _, r := range rels {
			if err := e.put("relationships", "relationships", r.From, relRec{Rel: r.Type, From: r.From, To: r.To, Props: yamlProps(r.Props)}, true); err != nil {
				return err
			}
		}
	}
	return nil
}

type byKey struct {
	rels []chainmap.StoredRel
	keys []string
}

func (b byKey) Len() int           { return len(b.rels) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.rels[i], b.rels[j] = b.rels[j], b.rels[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}

func countItems(itemsOf map[string][]chainmap.ListItem, lists []chainmap.OfficialList) int {
	n := 0
	for _, l := range lists {
		n += len(itemsOf[l.ID])
	}
	return n
}

func hasEnterprise(ents []chainmap.Enterprise, id string) bool {
	for _, e := range ents {
		if e.ID == id {
			return true
		}
	}
	return false
}

var hanRE = regexp.MustCompile(`\p{Han}`)

// siteProv is a site's provenance: left out where it is its enterprise's, which it then inherits (confidence
// and sources each; the sources' note with the sources).
func (e *encoder) siteProv(p, ent chainmap.Provenance, ref, parentOrigin string) provenanceRec {
	out := e.prov(p, ref, parentOrigin)
	if p.Confidence == ent.Confidence {
		out.Confidence = ""
	}
	sameSources := strings.Join(p.SourceIDs, "\x00") == strings.Join(ent.SourceIDs, "\x00") && len(p.SourceIDs) == len(ent.SourceIDs)
	if sameSources && len(p.SourceIDs) > 0 && (p.SourcingNote != "" || ent.SourcingNote == "") {
		out.Sources = nil
		if p.SourcingNote == ent.SourcingNote {
			out.SourcingNote = ""
		}
	}
	return out
}
