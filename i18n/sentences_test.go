package i18n

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
)

// Every sentence the API says has Chinese and English that take the same values; every reason of a score part,
// every kind of change note and every value of the enumerations they name has its entry; every ".one" form its
// plain one; and every key of the table is one that Why or ChangeNote says.
func TestSentences(t *testing.T) {
	for _, err := range sentences.Check() {
		t.Error(err)
	}
	want := map[string]bool{"why.more": true, "why.branches": true, "move.year": true, "move.to": true, "move.yearTo": true,
		"sep.names": true, "sep.moves": true}
	for _, r := range chainmap.WhyReasons {
		want["why."+string(r)] = true
	}
	for _, k := range chainmap.ChangeNoteKinds {
		want["note."+string(k)] = true
	}
	for _, k := range chainmap.TransferKinds {
		want["transfer."+string(k)] = true
	}
	for _, k := range chainmap.SiteKinds {
		want["site."+string(k)] = true
	}
	for _, s := range chainmap.BottleneckStatuses {
		want["status."+string(s)] = true
	}
	for key := range want {
		if _, ok := sentences[key]; !ok {
			t.Errorf("sentences lacks %q", key)
		}
	}
	for key := range sentences {
		base, one := strings.CutSuffix(key, ".one")
		if _, ok := sentences[base]; one && !ok {
			t.Errorf("%s has no plain form %s", key, base)
		}
		if !want[base] {
			t.Errorf("sentences has %q, which nothing says", key)
		}
	}
}

// Each reason said in each language: no fmt complaint, no code left unsaid, records named in the language, and
// the English free of Chinese (the Chinese names below are the records' own, not asked for in English).
func TestWhy(t *testing.T) {
	cangzhou := chainmap.Named{ID: "130900", Name: "Cangzhou", NameZh: "沧州市"}
	hebei := chainmap.Named{ID: "130000", Name: "Hebei", NameZh: "河北省"}
	seg := chainmap.Named{ID: "h-cells", Name: "Fuel cells", NameZh: "燃料电池"}
	firm := chainmap.Named{ID: "sinohytec", Name: "SinoHytec", NameZh: "亿华通"}
	noZh := chainmap.Named{ID: "x-firm", Name: "Xfirm"}
	facts := map[chainmap.WhyReason]chainmap.Why{
		chainmap.WhyNoSite:        {Reason: chainmap.WhyNoSite},
		chainmap.WhyOtherProvince: {Reason: chainmap.WhyOtherProvince, Count: 2, Place: cangzhou, Region: hebei},
		chainmap.WhyWithin:        {Reason: chainmap.WhyWithin, Count: 1, Place: cangzhou, Shared: hebei, Region: cangzhou},
		chainmap.WhyNoLink:        {Reason: chainmap.WhyNoLink, Region: cangzhou},
		chainmap.WhyLinked:        {Reason: chainmap.WhyLinked, Count: 5, More: 3, Region: cangzhou, Firms: []chainmap.Named{firm, noZh}},
		chainmap.WhyMovesStated: {Reason: chainmap.WhyMovesStated, Count: 4, Moves: []chainmap.PastMove{
			{Kind: chainmap.Relocation, Year: 2019, ToRegion: cangzhou}, {Kind: chainmap.Expansion, Year: 2021},
			{Kind: chainmap.RDToProduction, ToRegion: hebei}, {Kind: chainmap.Licensing}}},
		chainmap.WhyOtherTransfers: {Reason: chainmap.WhyOtherTransfers, Count: 1},
		chainmap.WhyProvinces:      {Reason: chainmap.WhyProvinces, Count: 2, More: 1},
	}
	han := regexp.MustCompile(`\p{Han}`)
	for _, r := range chainmap.WhyReasons {
		w, ok := facts[r]
		if !ok {
			w = chainmap.Why{Reason: r, Count: 3, Segment: seg}
		}
		for _, l := range Langs {
			got := Why(l, w)
			switch {
			case got == "" || got == string(r):
				t.Errorf("%s in %s: said as %q", r, l, got)
			case strings.Contains(got, "%!"):
				t.Errorf("%s in %s: %q", r, l, got)
			case l == En && han.MatchString(got):
				t.Errorf("%s in English: %q", r, got)
			case l == Zh && !han.MatchString(got):
				t.Errorf("%s in Chinese: %q", r, got)
			}
		}
	}
	for _, tc := range []struct {
		l    Lang
		w    chainmap.Why
		want string
	}{
		{En, facts[chainmap.WhyWithin], "nearest site in Cangzhou, within Hebei: 1 step up from Cangzhou"},
		{Zh, facts[chainmap.WhyWithin], "最近的地点在沧州市，同在河北省内：从沧州市上溯 1 级"},
		{En, facts[chainmap.WhyLinked], "linked to 5 firms of Cangzhou: SinoHytec, Xfirm and 3 more"},
		{Zh, facts[chainmap.WhyLinked], "与沧州市的 5 家企业有关联：亿华通、Xfirm等（另有 3 家）"},
		{En, facts[chainmap.WhyMovesStated], "a source states: relocation 2019 to Cangzhou; expansion 2021; R&D → production to Hebei; licensing"},
		{Zh, facts[chainmap.WhyMovesStated], "来源载明：2019 年迁移至沧州市；2021 年扩建；研发 → 生产至河北省；技术许可"},
		{En, facts[chainmap.WhyProvinces], "operates in 2 provinces of Jing-Jin-Ji, has 1 branch firm"},
		{Zh, facts[chainmap.WhyProvinces], "在京津冀 2 个省市经营，有 1 家分支企业"},
		{En, chainmap.Why{Reason: "NEW_REASON"}, "NEW_REASON"},
	} {
		if got := Why(tc.l, tc.w); got != tc.want {
			t.Errorf("Why(%s, %s) = %q, want %q", tc.l, tc.w.Reason, got, tc.want)
		}
	}
}

// Each kind of change note said in each language, with the enumerations' values by their names.
func TestChangeNote(t *testing.T) {
	tackler := chainmap.Named{ID: "sinohytec", Name: "SinoHytec", NameZh: "亿华通"}
	for _, tc := range []struct {
		n      chainmap.ChangeNote
		zh, en string
	}{
		{chainmap.ChangeNote{}, "", ""},
		{chainmap.ChangeNote{Kind: chainmap.NoteSiteKind, Value: "MANUFACTURING"}, "制造", "manufacturing"},
		{chainmap.ChangeNote{Kind: chainmap.NoteFirstSite}, "首个地点开设", "its first site opened"},
		{chainmap.ChangeNote{Kind: chainmap.NoteTakenOnBy, Who: tackler}, "由亿华通攻关", "taken on by SinoHytec"},
		{chainmap.ChangeNote{Kind: chainmap.NoteProduct, Value: "电堆 (stacks)"}, "电堆 (stacks)", "电堆 (stacks)"},
		{chainmap.ChangeNote{Kind: chainmap.NoteSupply}, "供货", "supply"},
		{chainmap.ChangeNote{Kind: chainmap.NoteLinkKind, Value: "RD_TO_PRODUCTION"}, "研发 → 生产", "R&D → production"},
		{chainmap.ChangeNote{Kind: chainmap.NoteTransfer}, "技术转移", "technology transfer"},
		{chainmap.ChangeNote{Kind: chainmap.NoteListedAs, Value: "OPEN"}, "列为未解决", "listed as open"},
		{chainmap.ChangeNote{Kind: chainmap.NoteStatusStep, From: "OPEN", To: "IN_PROGRESS"}, "未解决 → 攻关中", "open → in progress"},
		{chainmap.ChangeNote{Kind: chainmap.NoteSiteKind, Value: "NEW_KIND"}, "NEW_KIND", "NEW_KIND"}, // a value added later: as the data has it
		{chainmap.ChangeNote{Kind: "NEW_NOTE"}, "NEW_NOTE", "NEW_NOTE"},
	} {
		if zh, en := ChangeNote(Zh, tc.n), ChangeNote(En, tc.n); zh != tc.zh || en != tc.en {
			t.Errorf("ChangeNote(%+v) = %q, %q; want %q, %q", tc.n, zh, en, tc.zh, tc.en)
		}
	}
	for _, k := range chainmap.ChangeNoteKinds {
		for _, l := range Langs {
			if got := ChangeNote(l, chainmap.ChangeNote{Kind: k, Value: "OPEN", Who: tackler, From: "OPEN", To: "RESOLVED"}); got == "" ||
				got == string(k) || strings.Contains(got, "%!") {
				t.Errorf("%s in %s: %q", k, l, got)
			}
		}
	}
}
