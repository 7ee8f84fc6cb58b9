package loader

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/seeds"
)

// sorted returns a copy of ds with every list in key order, so that datasets read from differently laid out
// files compare equal when they hold the same records.
func sorted(ds *chainmap.Dataset) *chainmap.Dataset {
	c := *ds
	c.Sources = append([]chainmap.Source(nil), ds.Sources...)
	sort.Slice(c.Sources, func(i, j int) bool { return c.Sources[i].ID < c.Sources[j].ID })
	c.Regions = append([]chainmap.Region(nil), ds.Regions...)
	sort.Slice(c.Regions, func(i, j int) bool { return c.Regions[i].Code < c.Regions[j].Code })
	c.ChainMaps = append([]chainmap.ChainMap(nil), ds.ChainMaps...)
	sort.Slice(c.ChainMaps, func(i, j int) bool { return c.ChainMaps[i].ID < c.ChainMaps[j].ID })
	c.Segments = append([]chainmap.Segment(nil), ds.Segments...)
	sort.Slice(c.Segments, func(i, j int) bool { return c.Segments[i].ID < c.Segments[j].ID })
	for i := range c.Segments {
		c.Segments[i].Feeds = sortedStrings(c.Segments[i].Feeds)
	}
	c.Enterprises = append([]chainmap.Enterprise(nil), ds.Enterprises...)
	sort.Slice(c.Enterprises, func(i, j int) bool { return c.Enterprises[i].ID < c.Enterprises[j].ID })
	for i := range c.Enterprises {
		c.Enterprises[i].SegmentIDs = sortedStrings(c.Enterprises[i].SegmentIDs)
	}
	c.Sites = append([]chainmap.Site(nil), ds.Sites...)
	sort.Slice(c.Sites, func(i, j int) bool { return c.Sites[i].ID < c.Sites[j].ID })
	c.Institutions = append([]chainmap.Institution(nil), ds.Institutions...)
	sort.Slice(c.Institutions, func(i, j int) bool { return c.Institutions[i].ID < c.Institutions[j].ID })
	for i := range c.Institutions {
		c.Institutions[i].SegmentIDs = sortedStrings(c.Institutions[i].SegmentIDs)
	}
	c.Parks = append([]chainmap.Park(nil), ds.Parks...)
	sort.Slice(c.Parks, func(i, j int) bool { return c.Parks[i].ID < c.Parks[j].ID })
	c.Bottlenecks = append([]chainmap.Bottleneck(nil), ds.Bottlenecks...)
	sort.Slice(c.Bottlenecks, func(i, j int) bool { return c.Bottlenecks[i].ID < c.Bottlenecks[j].ID })
	for i := range c.Bottlenecks {
		b := &c.Bottlenecks[i]
		b.SegmentIDs = sortedStrings(b.SegmentIDs)
		b.Tacklers = append([]chainmap.Tackler(nil), b.Tacklers...)
		sort.Slice(b.Tacklers, func(i, j int) bool { return b.Tacklers[i].ID < b.Tacklers[j].ID })
	}
	c.TechTransfers = append([]chainmap.TechTransfer(nil), ds.TechTransfers...)
	sort.Slice(c.TechTransfers, func(i, j int) bool { return c.TechTransfers[i].ID < c.TechTransfers[j].ID })
	c.Supplies = append([]chainmap.Supply(nil), ds.Supplies...)
	sort.Slice(c.Supplies, func(i, j int) bool {
		return chainmap.SupplyID(c.Supplies[i].FromID, c.Supplies[i].ToID, c.Supplies[i].Product) <
			chainmap.SupplyID(c.Supplies[j].FromID, c.Supplies[j].ToID, c.Supplies[j].Product)
	})
	c.Indicators = append([]chainmap.Indicator(nil), ds.Indicators...)
	sort.Slice(c.Indicators, func(i, j int) bool { return c.Indicators[i].ID < c.Indicators[j].ID })
	c.OfficialLists = append([]chainmap.OfficialList(nil), ds.OfficialLists...)
	sort.Slice(c.OfficialLists, func(i, j int) bool { return c.OfficialLists[i].ID < c.OfficialLists[j].ID })
	c.ListItems = append([]chainmap.ListItem(nil), ds.ListItems...)
	sort.Slice(c.ListItems, func(i, j int) bool { return c.ListItems[i].ID < c.ListItems[j].ID })
	return &c
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// diffDatasets names the first records that differ, kind by kind.
func diffDatasets(a, b *chainmap.Dataset) []string {
	va, vb := reflect.ValueOf(*sorted(a)), reflect.ValueOf(*sorted(b))
	var out []string
	for i := 0; i < va.NumField(); i++ {
		name := va.Type().Field(i).Name
		fa, fb := va.Field(i), vb.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		if fa.Kind() != reflect.Slice {
			out = append(out, fmt.Sprintf("%s: %v != %v", name, fa.Interface(), fb.Interface()))
			continue
		}
		if fa.Len() != fb.Len() {
			out = append(out, fmt.Sprintf("%s: %d records, then %d", name, fa.Len(), fb.Len()))
			continue
		}
		for j := 0; j < fa.Len(); j++ {
			if x, y := fa.Index(j).Interface(), fb.Index(j).Interface(); !reflect.DeepEqual(x, y) {
				out = append(out, fmt.Sprintf("%s[%d]:\n  %+v\n  %+v", name, j, x, y))
				break
			}
		}
	}
	return out
}

// The curated seeds, encoded, read back as the same records; encoding those again gives the same bytes.
func TestEncodeSeedsRoundTrip(t *testing.T) {
	ds, err := ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(files)
	if err != nil {
		t.Fatalf("the encoded seeds do not parse: %v", err)
	}
	if d := diffDatasets(ds, back); len(d) > 0 {
		t.Errorf("the encoded seeds read back differently:\n%s", strings.Join(d, "\n"))
	}
	again, err := Encode(back)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFiles(files, again) {
		t.Error("encoding the seeds read back gives other bytes")
	}
	if back.Dump != nil {
		t.Error("seed files without a changeLog read as a dump")
	}
}

func sameFiles(a, b []File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

// A dump's own parts — origins, authors, other properties and relationships, status histories, generic nodes
// and relationships, the change log's position — read back as they were written, values with their types.
func TestEncodeDumpParts(t *testing.T) {
	ds, err := ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	ent, site, bn := ds.Enterprises[0].ID, ds.Sites[0].ID, ds.Bottlenecks[0].ID
	ds.Enterprises = append(ds.Enterprises, chainmap.Enterprise{ID: "syn-e-1", Name: "合成企业1", NameZh: "合成企业1",
		SegmentIDs: []string{ds.Segments[0].ID}})
	ds.Sites = append(ds.Sites, chainmap.Site{ID: "syn-s-1", Name: "合成企业1 — HQ, Beijing", EnterpriseID: "syn-e-1",
		Kind: "HQ", RegionCode: "110000"})
	ds.Dump = &chainmap.DumpState{ChangeLogSeq: 42, SettledSeq: 44,
		Records: map[string]*chainmap.Stored{
			"Enterprise/" + ent: {Origin: chainmap.OriginAPI, CreatedBy: "alice", EditedBy: "bob", EditedAt: "2025-06-03T10:22:11.123Z",
				Props: map[string]any{"editedFields": []any{"nameEn", "description"}, "edits": `{"nameEn":{"by":"bob"}}`,
					"weight": 1.0, "rank": int64(3), "flag": true, "code": "110000", "yes": "yes"},
				Unset: []string{"evidence"},
				Links: []chainmap.StoredLink{{Type: "ACTIVE_IN", With: "x-seg", Props: map[string]any{}},
					{Type: "CITED_IN", With: "s-1", Absent: true}}},
			"Site/" + site:               {Props: map[string]any{"name": "site-name"}},
			"Enterprise/syn-e-1":         {Origin: chainmap.OriginGen, Props: map[string]any{"name": "Synthetic Enterprise 1"}},
			"Site/syn-s-1":               {Origin: chainmap.OriginGen, Unset: []string{"name"}},
			"StatusChange/c-1":           {Props: map[string]any{"extra": 2.5}},
			"Bottleneck/" + bn:           {EditedBy: "carol", EditedAt: "2025-06-04T00:00:00Z"},
			"Region/110000":              {Labels: []string{"Place", "Region"}},
			"Source/" + ds.Sources[0].ID: {Props: map[string]any{"checked": "2025"}},
		},
		StatusHistory: map[string][]chainmap.StatusEntry{bn: {
			{ID: "c-1", Seq: 1, From: "OPEN", To: "IN_PROGRESS", Note: "work: started", Author: "carol", At: "2025-06-04T00:00:00Z"},
			{ID: "c-2", Seq: 2, From: "IN_PROGRESS", To: "OPEN", Author: "carol", At: "2025-06-05T00:00:00Z"}}},
		Nodes: []chainmap.StoredNode{{Labels: []string{"Deleted"}, Props: map[string]any{"id": "gone-1", "kind": "Enterprise",
			"seed": `{"nameZh":"旧"}`, "at": "2025-06-01T00:00:00Z"}}},
		Rels: []chainmap.StoredRel{{Type: "WAS", From: "Deleted/gone-1", To: "Region/110000", Props: map[string]any{"n": int64(1)}}},
	}
	files, err := Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(files)
	if err != nil {
		t.Fatalf("the encoded dump does not parse: %v", err)
	}
	if d := diffDatasets(ds, back); len(d) > 0 {
		t.Errorf("the encoded dump reads back differently:\n%s", strings.Join(d, "\n"))
	}
	for ref, want := range ds.Dump.Records {
		if got := back.Dump.Records[ref]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s reads back as %#v, want %#v", ref, got, want)
		}
	}
	names := map[string]bool{}
	for _, f := range files {
		names[f.Name] = true
	}
	for _, want := range []string{"dump.yaml", "enterprises.yaml", "synthetic/enterprises.yaml", "nodes.yaml", "relationships.yaml"} {
		if !names[want] {
			t.Errorf("no %s among %v", want, names)
		}
	}
	again, err := Encode(back)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFiles(files, again) {
		t.Error("encoding the dump read back gives other bytes")
	}
}

// Curated seed files may not carry what only a dump holds.
func TestDumpPartsOnlyInDumps(t *testing.T) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, extra, want string }{
		{"origin", "origin: api", "only a dump"},
		{"props", "props: {x: 1}", "only a dump"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(string(base), "\nenterprises:\n  - id: ", "\nenterprises:\n  - "+tc.extra+"\n    id: ", 1)
			if text == string(base) {
				t.Fatal("testdata/base.yaml has no enterprise to change")
			}
			_, err := Parse([]File{{Name: "x.yaml", Data: []byte(text)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// Every field a dump adds to the seed format is documented in seeds/README.md.
func TestDumpFieldsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../seeds/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{storedRec{}, linkRec{}, changeLogRec{}, statusChangeRec{}, nodeRec{}, relRec{}} {
		for key := range fieldsByTag(reflect.TypeOf(v)) {
			if !bytes.Contains(readme, []byte("`"+key+"`")) && !bytes.Contains(readme, []byte(key+":")) {
				t.Errorf("seeds/README.md does not document %q (%T)", key, v)
			}
		}
	}
	for _, kind := range []string{"changeLog", "nodes", "relationships", "statusHistory"} {
		if !bytes.Contains(readme, []byte(kind+":")) && !bytes.Contains(readme, []byte("`"+kind+"`")) {
			t.Errorf("seeds/README.md does not show %s", kind)
		}
	}
}
