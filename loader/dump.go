package loader

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/chainmap/chainmap"
)

// A dump (chainmap dump) is seed files plus what restores the graph exactly: a changeLog entry (which makes
// the files a dump), per record its origin, authors, other properties and relationships, each bottleneck's
// status history, and the nodes and relationships no record kind holds. checkDump checks those parts and puts
// them in the dataset's Dump; in curated seed files it refuses them.

var (
	labelRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	relRE   = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	propRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

func (s storedRec) empty() bool {
	return s.Origin == "" && s.CreatedBy == "" && s.EditedBy == "" && s.EditedAt == "" && len(s.Labels) == 0 &&
		len(s.Props) == 0 && len(s.Unset) == 0 && len(s.Links) == 0
}

// dumpRecord is a record's ref and what the dump says of it.
type dumpRecord struct {
	at  loc
	ref string
	st  storedRec
}

// records lists every record of p with its ref, nested records with their parent's origin when they state
// none (as the validator gives it to them), kind by kind as recordKinds orders them.
func (p *parsed) records() []dumpRecord {
	var out []dumpRecord
	for _, k := range recordKinds {
		k.store(p, func(at loc, ref string, st storedRec) {
			out = append(out, dumpRecord{at: at, ref: ref, st: st})
		})
	}
	return out
}

// checkDump checks a dump's own parts and fills ds.Dump; in files without a changeLog (curated seeds) it
// refuses them.
func (v *validator) checkDump(p *parsed, ds *chainmap.Dataset) {
	recs := p.records()
	if len(p.changeLogs) == 0 {
		only := func(at loc, field string) {
			v.errs.add(at, field, "only a dump (files with a changeLog entry, written by chainmap dump) may hold this")
		}
		for _, r := range recs {
			if !r.st.empty() {
				only(r.at, "origin/createdBy/editedBy/editedAt/labels/props/unset/links")
			}
		}
		for _, it := range p.bottlenecks {
			if len(it.v.StatusHistory) > 0 {
				only(it.at, "statusHistory")
			}
		}
		for _, it := range p.nodes {
			only(it.at, "")
		}
		for _, it := range p.rels {
			only(it.at, "")
		}
		return
	}
	for _, it := range p.changeLogs[1:] {
		first := p.changeLogs[0].at
		v.errs.add(it.at, "", "a dump has one changeLog entry; the first is at %s:%d", first.file, first.line)
	}
	cl := p.changeLogs[0]
	if cl.v.Seq < 0 || cl.v.Settled != 0 && cl.v.Settled < cl.v.Seq {
		v.errs.add(cl.at, "seq", "want seq ≥ 0 and settled, if given, ≥ seq")
	}
	d := &chainmap.DumpState{ChangeLogSeq: cl.v.Seq, SettledSeq: cl.v.Settled, Records: map[string]*chainmap.Stored{},
		StatusHistory: map[string][]chainmap.StatusEntry{}}
	ds.Dump = d

	known := map[string]bool{}
	for id, kind := range v.ids {
		if l := nodeLabel(kind); l != "" {
			known[chainmap.RefOf(l, id)] = true
		}
	}
	for code := range v.regions {
		known[chainmap.RefOf("Region", code)] = true
	}
	for _, r := range recs {
		switch kind, _ := chainmap.SplitRef(r.ref); kind {
		case "IndicatorValue", "ListItem", "StatusChange":
			if known[r.ref] {
				v.errs.add(r.at, "id", "%s is there twice", r.ref)
			}
			known[r.ref] = true
		}
		if r.st.empty() {
			continue
		}
		if st := v.stored(r.at, r.st); st != nil {
			d.Records[r.ref] = st
		}
	}
	for _, it := range p.bottlenecks {
		prev := 0
		for i, c := range it.v.StatusHistory {
			at := it.at.child("statusHistory", i)
			if c.ID == "" {
				v.errs.add(at, "id", "is required")
			}
			if c.Seq <= prev {
				v.errs.add(at, "seq", "want the changes in order, seq %d after %d", c.Seq, prev)
			}
			prev = c.Seq
			enum(v, at, "from", c.From, chainmap.BottleneckStatuses, true)
			enum(v, at, "to", c.To, chainmap.BottleneckStatuses, true)
			d.StatusHistory[it.v.ID] = append(d.StatusHistory[it.v.ID], chainmap.StatusEntry{ID: c.ID, Seq: c.Seq,
				From: c.From, To: c.To, Note: c.Note, Author: c.Author, At: c.At})
		}
	}
	for _, it := range p.nodes {
		for _, l := range it.v.Labels {
			if !labelRE.MatchString(l) {
				v.errs.add(it.at, "labels", "%q is not a label (letters, digits and '_')", l)
			}
		}
		props := v.props(it.at, "props", it.v.Props)
		ref := chainmap.Ref(it.v.Labels, props)
		switch {
		case len(it.v.Labels) == 0:
			v.errs.add(it.at, "labels", "at least one label is required")
		case ref == "":
			v.errs.add(it.at, "props", "a node needs a key property (%v), which relationships refer to", chainmap.KeyProps)
		case known[ref]:
			v.errs.add(it.at, "props", "%s is there twice", ref)
		default:
			known[ref] = true
			d.Nodes = append(d.Nodes, chainmap.StoredNode{Labels: it.v.Labels, Props: props})
		}
	}
	for _, it := range p.rels {
		if !relRE.MatchString(it.v.Rel) {
			v.errs.add(it.at, "rel", "%q is not a relationship type (upper-case letters, digits and '_')", it.v.Rel)
		}
		for field, ref := range map[string]string{"from": it.v.From, "to": it.v.To} {
			if !known[ref] {
				v.errs.add(it.at, field, "no node %q in the dump", ref)
			}
		}
		d.Rels = append(d.Rels, chainmap.StoredRel{Type: it.v.Rel, From: it.v.From, To: it.v.To,
			Props: v.props(it.at, "props", it.v.Props)})
	}
}

// stored checks what a dump records of one record.
func (v *validator) stored(at loc, s storedRec) *chainmap.Stored {
	st := &chainmap.Stored{CreatedBy: s.CreatedBy, EditedBy: s.EditedBy, EditedAt: s.EditedAt, Unset: s.Unset}
	switch s.Origin {
	case "", chainmap.OriginSeed:
	case chainmap.OriginAPI, chainmap.OriginGen:
		st.Origin = s.Origin
	default:
		v.errs.add(at, "origin", "%q is not one of %v", s.Origin, chainmap.Origins)
	}
	for _, l := range s.Labels {
		if !labelRE.MatchString(l) {
			v.errs.add(at, "labels", "%q is not a label (letters, digits and '_')", l)
		}
	}
	if len(s.Labels) > 0 {
		st.Labels = append([]string(nil), s.Labels...)
		sort.Strings(st.Labels)
	}
	if len(s.Props) > 0 {
		st.Props = v.props(at, "props", s.Props)
	}
	for _, k := range s.Unset {
		if !propRE.MatchString(k) {
			v.errs.add(at, "unset", "%q is not a property name", k)
		}
	}
	for i, l := range s.Links {
		lat := at.child("links", i)
		if !relRE.MatchString(l.Rel) {
			v.errs.add(lat, "rel", "%q is not a relationship type (upper-case letters, digits and '_')", l.Rel)
		}
		if l.With == "" {
			v.errs.add(lat, "with", "is required: the key of the node at the other end")
		}
		if l.Absent && len(l.Props) > 0 {
			v.errs.add(lat, "absent", "an absent relationship has no properties")
		}
		link := chainmap.StoredLink{Type: l.Rel, With: l.With, Absent: l.Absent}
		if !l.Absent {
			link.Props = v.props(lat, "props", l.Props)
		}
		st.Links = append(st.Links, link)
	}
	return st
}

// props checks properties as a dump stores them: names of letters, digits and '_'; values that Neo4j stores
// (text, whole numbers, numbers, true/false, and lists of one of those).
func (v *validator) props(at loc, field string, m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, val := range m {
		if !propRE.MatchString(k) {
			v.errs.add(at, field, "%q is not a property name", k)
			continue
		}
		c := chainmap.CanonicalValue(val)
		if !storable(c, true) {
			v.errs.add(at, field+"."+k, "a %T is not a value Neo4j stores as a property", val)
			continue
		}
		out[k] = c
	}
	return out
}

func storable(v any, top bool) bool {
	switch x := v.(type) {
	case string, int64, float64, bool:
		return true
	case []any:
		if !top {
			return false
		}
		for _, e := range x {
			if !storable(e, false) || fmt.Sprintf("%T", e) != fmt.Sprintf("%T", x[0]) {
				return false
			}
		}
		return true
	}
	return false
}
