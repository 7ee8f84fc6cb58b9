package loader

import (
	"strings"
	"testing"
)

const listsYAML = `officialLists:
  - id: tools-gaps
    nameZh: 堵点清单
    kind: GAP_LIST
    chainMap: tools
    issuer: 三地工信部门
    issuerId: uni
    published: 2024-04
    statedCount: 3
    confidence: REPORTED
    sources: [src-a]
    items:
      - {rank: 1, label: 高端数控系统, ref: cnc-gap}
      - {rank: 2, label: 整机, ref: machines}
      - {rank: 3, label: 一家未收录的企业}
`

func TestParseOfficialLists(t *testing.T) {
	ds, err := Parse([]File{baseFile(t), {Name: "lists.yaml", Data: []byte(listsYAML)},
		{Name: "csv/list-items-2025.csv", Data: []byte("list,rank,label,ref,tier\ntools-gaps,4,北京精雕,maker,LEAD\n")}})
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	if len(ds.OfficialLists) != 1 || len(ds.ListItems) != 4 {
		t.Fatalf("got %d lists, %d items; want 1, 4", len(ds.OfficialLists), len(ds.ListItems))
	}
	l := ds.OfficialLists[0]
	if l.Kind != "GAP_LIST" || l.ChainMapID != "tools" || l.StatedCount != 3 || l.IssuerID != "uni" {
		t.Errorf("list = %+v", l)
	}
	got := ds.ListItems[2]
	if got.ID != "tools-gaps#3" || got.RefID != "" || got.Confidence != "REPORTED" || len(got.SourceIDs) != 1 {
		t.Errorf("unmatched item = %+v, want id tools-gaps#3, no ref, the list's provenance", got)
	}
	if csvItem := ds.ListItems[3]; csvItem.RefID != "maker" || csvItem.Tier != "LEAD" || csvItem.Rank != 4 {
		t.Errorf("CSV item = %+v", csvItem)
	}
}

func TestParseOfficialListProblems(t *testing.T) {
	for _, tc := range []struct{ name, replace, with, want string }{
		{"bad kind", "kind: GAP_LIST", "kind: BLACKLIST", "is not one of"},
		{"ref to a site", "ref: machines", "ref: maker-bj-rd", "is a site"},
		{"no issuer", "    issuer: 三地工信部门\n", "", "issuer: is required"},
		{"no label", "label: 整机, ", "", "label: is required"},
		{"same ref twice", "ref: machines", "ref: cnc-gap", "already an entry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(listsYAML, tc.replace, tc.with, 1)
			_, err := Parse([]File{baseFile(t), {Name: "lists.yaml", Data: []byte(data)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want a problem containing %q", err, tc.want)
			}
		})
	}
}
