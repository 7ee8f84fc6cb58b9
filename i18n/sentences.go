package i18n

import (
	"cmp"
	"strings"

	"github.com/chainmap/chainmap"
)

// sentences is what the API says in words, in Chinese and English: why a part of a gap candidate's score gives
// its points (chainmap.Why: Why) and what more a change event tells (chainmap.ChangeNote: ChangeNote). One table
// for every place that says them — the API's ScorePart.note and ChangeEvent.note, the printable pages and the
// downloads. Keys: "why.REASON" for each chainmap.WhyReason, with a ".one" form where English says a count of
// one otherwise, and "why.more" and "why.branches" for the clauses some reasons add; "note.KIND" for each
// chainmap.ChangeNoteKind; "transfer.KIND", "site.KIND" and "status.VALUE" for the enumerations they name;
// "move.*" for the moves a source states; "sep.*" for the separators of lists. TestSentences fails when a
// reason, a kind, a value or a key lacks a language.
var sentences = Table{
	"why.NO_SITE": {Zh: "无已知地点", En: "no known site"},
	"why.OTHER_PROVINCE": {Zh: "最近的地点在%[1]s，属另一个省：距%[3]s %[2]d 级",
		En: "nearest site in %s, another province: %d steps from %s"},
	"why.OTHER_PROVINCE.one": {Zh: "最近的地点在%[1]s，属另一个省：距%[3]s %[2]d 级",
		En: "nearest site in %s, another province: %d step from %s"},
	"why.WITHIN": {Zh: "最近的地点在%[1]s，同在%[2]s内：从%[4]s上溯 %[3]d 级",
		En: "nearest site in %s, within %s: %d steps up from %s"},
	"why.WITHIN.one": {Zh: "最近的地点在%[1]s，同在%[2]s内：从%[4]s上溯 %[3]d 级",
		En: "nearest site in %s, within %s: %d step up from %s"},
	"why.NO_LINK":    {Zh: "与%s的企业无供应关系或技术转移", En: "no supply link or technology transfer with the firms of %s"},
	"why.LINKED":     {Zh: "与%[2]s的 %[1]d 家企业有关联：%[3]s", En: "linked to %d firms of %s: %s"},
	"why.LINKED.one": {Zh: "与%[2]s的 %[1]d 家企业有关联：%[3]s", En: "linked to %d firm of %s: %s"},
	"why.more":       {Zh: "等（另有 %d 家）", En: " and %d more"},

	"why.IN_SEGMENT":              {Zh: "活跃于%s", En: "active in %s"},
	"why.NEXT_TO_SEGMENT":         {Zh: "活跃于%s的相邻环节", En: "active in a segment next to %s"},
	"why.IN_SEGMENT_RD_FIRM":      {Zh: "活跃于%s，在北京有研发或总部", En: "active in %s, with R&D or headquarters in Beijing"},
	"why.NEXT_TO_SEGMENT_RD_FIRM": {Zh: "活跃于%s的相邻环节，在北京有研发或总部", En: "active in a segment next to %s, with R&D or headquarters in Beijing"},
	"why.IN_SEGMENT_INSTITUTION":  {Zh: "位于北京，活跃于%s", En: "active in %s, in Beijing"},
	"why.NEXT_TO_SEGMENT_INSTITUTION": {Zh: "位于北京，活跃于%s的相邻环节",
		En: "active in a segment next to %s, in Beijing"},

	"why.NO_MOVE":      {Zh: "无迁移、扩建或研发交接记录", En: "no move or hand-over recorded"},
	"why.MOVES_STATED": {Zh: "来源载明：%s", En: "a source states: %s"},
	"why.PRODUCES_IN_TIANJIN_HEBEI": {Zh: "已在天津或河北生产（推断的研发 → 生产关联）",
		En: "already produces in Tianjin or Hebei (a derived R&D→production link)"},
	"why.OTHER_TRANSFERS":     {Zh: "有来源载明的其他类型技术转移 %d 项", En: "has %d stated technology transfers of other kinds"},
	"why.OTHER_TRANSFERS.one": {Zh: "有来源载明的其他类型技术转移 %d 项", En: "has %d stated technology transfer of another kind"},
	"why.PROVINCES":           {Zh: "在京津冀 %d 个省市经营", En: "operates in %d provinces of Jing-Jin-Ji"},
	"why.PROVINCES.one":       {Zh: "在京津冀 %d 个省市经营", En: "operates in %d province of Jing-Jin-Ji"},
	"why.branches":            {Zh: "，有 %d 家分支企业", En: ", has %d branch firms"},
	"why.branches.one":        {Zh: "，有 %d 家分支企业", En: ", has %d branch firm"},
	"why.PARK_NEIGHBOURS":     {Zh: "园区内有%[2]s相邻环节的企业 %[1]d 家", En: "hosts %d firms of the segments next to %s"},
	"why.PARK_NEIGHBOURS.one": {Zh: "园区内有%[2]s相邻环节的企业 %[1]d 家", En: "hosts %d firm of the segments next to %s"},
	"why.PARK_OWN_FIRMS":      {Zh: "园区内有%[2]s本环节的企业 %[1]d 家", En: "hosts %d firms of %s itself"},
	"why.PARK_OWN_FIRMS.one":  {Zh: "园区内有%[2]s本环节的企业 %[1]d 家", En: "hosts %d firm of %s itself"},

	// A move: its kind, then its year and where it went when the source says.
	"move.year":   {Zh: "%[2]d 年%[1]s", En: "%s %d"},
	"move.to":     {Zh: "%s至%s", En: "%s to %s"},
	"move.yearTo": {Zh: "%[2]d 年%[1]s至%[3]s", En: "%s %d to %s"},

	"sep.names": {Zh: "、", En: ", "},
	"sep.moves": {Zh: "；", En: "; "},

	// What more a change event tells.
	"note.SITE_KIND":   {Zh: "%s", En: "%s"},
	"note.FIRST_SITE":  {Zh: "首个地点开设", En: "its first site opened"},
	"note.TAKEN_ON_BY": {Zh: "由%s攻关", En: "taken on by %s"},
	"note.PRODUCT":     {Zh: "%s", En: "%s"},
	"note.SUPPLY":      {Zh: "供货", En: "supply"},
	"note.LINK_KIND":   {Zh: "%s", En: "%s"},
	"note.TRANSFER":    {Zh: "技术转移", En: "technology transfer"},
	"note.LISTED_AS":   {Zh: "列为%s", En: "listed as %s"},
	"note.STATUS_STEP": {Zh: "%s → %s", En: "%s → %s"},

	// The enumerations the sentences name.
	"transfer.RD_TO_PRODUCTION": {Zh: "研发 → 生产", En: "R&D → production"},
	"transfer.RELOCATION":       {Zh: "迁移", En: "relocation"},
	"transfer.EXPANSION":        {Zh: "扩建", En: "expansion"},
	"transfer.COLLABORATION":    {Zh: "合作", En: "collaboration"},
	"transfer.RD_TO_RD":         {Zh: "研发 → 研发", En: "R&D → R&D"},
	"transfer.LICENSING":        {Zh: "技术许可", En: "licensing"},
	"site.HQ":                   {Zh: "总部", En: "headquarters"},
	"site.RD":                   {Zh: "研发", En: "R&D"},
	"site.MANUFACTURING":        {Zh: "制造", En: "manufacturing"},
	"site.ASSEMBLY":             {Zh: "组装", En: "assembly"},
	"site.TESTING":              {Zh: "检测", En: "testing"},
	"site.PILOT":                {Zh: "中试", En: "pilot"},
	"status.OPEN":               {Zh: "未解决", En: "open"},
	"status.IN_PROGRESS":        {Zh: "攻关中", En: "in progress"},
	"status.RESOLVED":           {Zh: "已解决", En: "resolved"},
}

// Why says w in l: its reason's sentence with its values, each record by its name in l (the Chinese name first
// in Chinese, the English one in English). A reason the table lacks is said as its code.
func Why(l Lang, w chainmap.Why) string {
	say := func(key string, count int, args ...any) string {
		return sayKey(l, key, count, string(w.Reason), args...)
	}
	name := func(n chainmap.Named) string { return nameIn(l, n) }
	key := "why." + string(w.Reason)
	switch w.Reason {
	case chainmap.WhyOtherProvince:
		return say(key, w.Count, name(w.Place), w.Count, name(w.Region))
	case chainmap.WhyWithin:
		return say(key, w.Count, name(w.Place), name(w.Shared), w.Count, name(w.Region))
	case chainmap.WhyNoLink:
		return say(key, 0, name(w.Region))
	case chainmap.WhyLinked:
		names := make([]string, len(w.Firms))
		for i, f := range w.Firms {
			names[i] = name(f)
		}
		s := say(key, w.Count, w.Count, name(w.Region), strings.Join(names, say("sep.names", 0)))
		if w.More > 0 {
			s += say("why.more", w.More, w.More)
		}
		return s
	case chainmap.WhyInSegment, chainmap.WhyNextToSegment, chainmap.WhyInSegmentRDFirm, chainmap.WhyNextToSegmentRDFirm,
		chainmap.WhyInSegmentInstitution, chainmap.WhyNextToSegmentInstitution:
		return say(key, 0, name(w.Segment))
	case chainmap.WhyMovesStated:
		moves := make([]string, len(w.Moves))
		for i, m := range w.Moves {
			kind := sentences.Enum(l, "transfer", m.Kind)
			switch {
			case m.Year > 0 && m.ToRegion.ID != "":
				moves[i] = say("move.yearTo", 0, kind, m.Year, name(m.ToRegion))
			case m.Year > 0:
				moves[i] = say("move.year", 0, kind, m.Year)
			case m.ToRegion.ID != "":
				moves[i] = say("move.to", 0, kind, name(m.ToRegion))
			default:
				moves[i] = kind
			}
		}
		return say(key, 0, strings.Join(moves, say("sep.moves", 0)))
	case chainmap.WhyOtherTransfers:
		return say(key, w.Count, w.Count)
	case chainmap.WhyProvinces:
		s := say(key, w.Count, w.Count)
		if w.More > 0 {
			s += say("why.branches", w.More, w.More)
		}
		return s
	case chainmap.WhyParkNeighbours, chainmap.WhyParkOwnFirms:
		return say(key, w.Count, w.Count, name(w.Segment))
	}
	return say(key, 0) // NO_SITE, NO_MOVE, PRODUCES_IN_TIANJIN_HEBEI
}

// ChangeNote says n in l: the product as its source names it, a code of an enumeration by its name in l, the
// tackler by its name in l. The zero note says nothing; a kind the table lacks is said as its code.
func ChangeNote(l Lang, n chainmap.ChangeNote) string {
	if n.Kind == "" {
		return ""
	}
	key := "note." + string(n.Kind)
	switch n.Kind {
	case chainmap.NoteSiteKind:
		return sayKey(l, key, 0, string(n.Kind), sentences.Enum(l, "site", n.Value))
	case chainmap.NoteTakenOnBy:
		return sayKey(l, key, 0, string(n.Kind), nameIn(l, n.Who))
	case chainmap.NoteProduct:
		return sayKey(l, key, 0, string(n.Kind), n.Value)
	case chainmap.NoteLinkKind:
		return sayKey(l, key, 0, string(n.Kind), sentences.Enum(l, "transfer", n.Value))
	case chainmap.NoteListedAs:
		return sayKey(l, key, 0, string(n.Kind), sentences.Enum(l, "status", n.Value))
	case chainmap.NoteStatusStep:
		return sayKey(l, key, 0, string(n.Kind), sentences.Enum(l, "status", n.From), sentences.Enum(l, "status", n.To))
	}
	return sayKey(l, key, 0, string(n.Kind)) // FIRST_SITE, SUPPLY, TRANSFER
}

// sayKey is the key's text in l with args, its ".one" form when count is one and the table has one; code when the
// table lacks the key (a reason or kind added without its sentence: TestSentences fails).
func sayKey(l Lang, key string, count int, code string, args ...any) string {
	if _, ok := sentences[key+".one"]; ok && count == 1 {
		key += ".one"
	}
	s, err := sentences.Say(l, key, args...)
	if err != nil {
		return code
	}
	return s
}

// nameIn is a record's name in l: the Chinese name first in Chinese, the English one in English, else its id.
func nameIn(l Lang, n chainmap.Named) string {
	if l == En {
		return cmp.Or(n.Name, n.NameZh, n.ID)
	}
	return cmp.Or(n.NameZh, n.Name, n.ID)
}
