package loader

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/chainmap/chainmap"
)

// The audit reads valid seed files the way a reviewer would: how good the sources are, which reported facts
// rest on copies only, which records break the editorial rules of seeds/README.md, and which look like
// duplicates. Errors are rule breaks the seeds must not ship with; warnings are worth a look but may be
// right (a heuristic, or a gap no better source could fill).

// Level grades an audit finding.
type Level string

const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
)

// Finding is one thing the audit reports about one record, located by file and line.
type Finding struct {
	Level   Level  `json:"level"`
	Class   string `json:"class"` // e.g. "source/bare-ip-host"
	File    string `json:"file"`
	Line    int    `json:"line"`
	ID      string `json:"id,omitempty"`
	Message string `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s [%s] %s: %s", f.File, f.Line, f.Level, f.Class, f.ID, f.Message)
}

// Count is a label and how many records carry it.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// SourceStats sums up the sources.
type SourceStats struct {
	Total         int     `json:"total"`
	ByReliability []Count `json:"byReliability"`
	ByYear        []Count `json:"byYear"` // "undated" for sources without a date
	ByHost        []Count `json:"byHost"` // hosts with two or more sources, most first
	ByLanguage    []Count `json:"byLanguage"`
	CopyShare     float64 `json:"copyShare"` // share of MIRROR and AGGREGATOR sources, 0–1
	// ReportedRecords counts REPORTED records with their own sources; FirstParty those citing at least one
	// OFFICIAL, MEDIA or REFERENCE source.
	ReportedRecords int `json:"reportedRecords"`
	FirstParty      int `json:"firstParty"`
}

// Report is the result of an audit.
type Report struct {
	Sources  SourceStats `json:"sources"`
	Findings []Finding   `json:"findings"`
}

// Errors returns the number of error findings.
func (r *Report) Errors() int { return r.count(LevelError) }

// Warnings returns the number of warning findings.
func (r *Report) Warnings() int { return r.count(LevelWarning) }

func (r *Report) count(l Level) int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == l {
			n++
		}
	}
	return n
}

// Classes counts the findings per level and class, in class order.
func (r *Report) Classes() []Count {
	m := map[string]int{}
	for _, f := range r.Findings {
		m[string(f.Level)+" "+f.Class]++
	}
	return sortedCounts(m, false)
}

// MaxCopyShare is the highest share of MIRROR and AGGREGATOR sources the seeds should have (issue 10).
const MaxCopyShare = 0.40

// Audit parses and validates the files, then audits them. A file that does not validate is an error (an
// *InvalidError), not a finding: the audit reads only seeds that load.
func Audit(files []File) (*Report, error) {
	p, errs := parse(files)
	ds, verrs := validate(p)
	errs = append(errs, verrs...)
	if err := errs.err(); err != nil {
		return nil, err
	}
	a := &auditor{p: p, ds: ds, rep: &Report{}, src: map[string]item[sourceRec]{}}
	a.sources()
	a.records()
	a.bottlenecks()
	a.sites()
	a.transfers()
	a.indicators()
	a.duplicates()
	sort.SliceStable(a.rep.Findings, func(i, j int) bool {
		x, y := a.rep.Findings[i], a.rep.Findings[j]
		if x.Level != y.Level {
			return x.Level == LevelError
		}
		if x.Class != y.Class {
			return x.Class < y.Class
		}
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Line < y.Line
	})
	return a.rep, nil
}

type auditor struct {
	p   *parsed
	ds  *chainmap.Dataset
	rep *Report
	src map[string]item[sourceRec]
}

func (a *auditor) add(l Level, class string, at loc, field, id, format string, args ...any) {
	a.rep.Findings = append(a.rep.Findings, Finding{Level: l, Class: class, File: at.file, Line: at.lineOf(field),
		ID: id, Message: fmt.Sprintf(format, args...)})
}

// cited is one record that cites sources, as the audit sees it.
type cited struct {
	kind, id string
	at       loc
	prov     provenanceRec
}

// citing lists every record with its own sources (sites without sources inherit their enterprise's and are
// left out, so that a fact is counted once).
func (a *auditor) citing() []cited {
	var out []cited
	add := func(kind, id string, at loc, p provenanceRec) {
		if len(p.Sources) > 0 {
			out = append(out, cited{kind, id, at, p})
		}
	}
	for _, it := range a.p.regions {
		add("region", it.v.Code, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.chainMaps {
		add(kChainMap, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.segments {
		add(kSegment, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.enterprises {
		add(kEnterprise, it.v.ID, it.at, it.v.provenanceRec)
	}
	entSources := map[string][]string{}
	for _, it := range a.p.enterprises {
		entSources[it.v.ID] = it.v.Sources
	}
	for _, it := range a.p.sites {
		// A site that states its own confidence but not its sources rests on its enterprise's sources.
		p := it.v.provenanceRec
		if len(p.Sources) == 0 && p.Confidence != "" {
			p.Sources = entSources[it.v.Enterprise]
			add(kSite, it.v.ID, it.at, p)
			continue
		}
		add(kSite, it.v.ID, it.at, p)
	}
	for _, it := range a.p.institutions {
		add(kInstitution, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.parks {
		add(kPark, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.bottlenecks {
		add(kBottleneck, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.techTransfers {
		add(kTransfer, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.supplies {
		add("supply", it.v.From+">"+it.v.To, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.officialLists {
		add(kList, it.v.ID, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.listItems {
		add("list item", it.v.List+"/"+it.v.Label, it.at, it.v.provenanceRec)
	}
	for _, it := range a.p.indicators {
		add(kIndicator, it.v.ID, it.at, it.v.provenanceRec)
		for i, val := range it.v.Values {
			add("indicator value", fmt.Sprintf("%s/%d", it.v.ID, val.Year), it.at.child("values", i), val.provenanceRec)
		}
	}
	return out
}

var (
	placeholderRE = regexp.MustCompile(`(?i)headline not seen|^\[.*\]$|^\(.*\)$|^(aggregator|mirror|unknown|untitled)$|^https?://`)
	// A title that is only an outlet and a date ("People's Daily 2023-07-11") names no article.
	outletDateRE  = regexp.MustCompile(`^[^0-9]{2,60}\s\d{4}(-\d{2}){0,2}$`)
	scriptPathRE  = regexp.MustCompile(`(?i)\.(php|asp|aspx|jsp|cgi)$`)
	hijackedRE    = regexp.MustCompile(`(?i)\b(hijack|spam|lottery|casino|gambling)`)
	undatedNoteRE = regexp.MustCompile(`(?i)\bundated\b`)
	languageRE    = regexp.MustCompile(`^[a-z]{2,3}$`)
)

func isCopy(r string) bool { return r == string(chainmap.Mirror) || r == string(chainmap.Aggregator) }

func (a *auditor) sources() {
	st := &a.rep.Sources
	rel, years, hosts, langs := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	seenURL := map[string]item[sourceRec]{}
	copies := 0
	for _, it := range a.p.sources {
		s, at := it.v, it.at
		a.src[s.ID] = it
		st.Total++
		rel[s.Reliability]++
		if isCopy(s.Reliability) {
			copies++
		}
		langs[s.Language]++
		if s.Date == "" {
			years["undated"]++
			if !undatedNoteRE.MatchString(s.Note) {
				a.add(LevelError, "source/undated", at, "id", s.ID, "no date, and no note saying it is undated on purpose (write \"undated: why\" in note)")
			}
		} else {
			years[s.Date[:4]]++
		}
		u, err := url.Parse(s.URL)
		host := ""
		if err == nil {
			host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
			hosts[host]++
			if net.ParseIP(u.Hostname()) != nil {
				a.add(LevelError, "source/bare-ip-host", at, "url", s.ID, "the URL's host is a bare IP address (%s): find the outlet's own page", u.Hostname())
			}
			if scriptPathRE.MatchString(path.Base(u.Path)) && isCopy(s.Reliability) {
				a.add(LevelWarning, "source/script-path", at, "url", s.ID, "a copy served by a script (%s): such pages change or vanish; prefer the original", path.Base(u.Path))
			}
		}
		if prev, dup := seenURL[s.URL]; dup {
			a.add(LevelError, "source/duplicate-url", at, "url", s.ID, "same URL as source %q at %s:%d", prev.v.ID, prev.at.file, prev.at.line)
		} else {
			seenURL[s.URL] = it
		}
		if hijackedRE.MatchString(s.Note) {
			a.add(LevelError, "source/hijacked-host", at, "note", s.ID, "the note says the host is hijacked or spam: cite the original or drop the source")
		}
		title := strings.TrimSpace(s.Title)
		if placeholderRE.MatchString(title) || outletDateRE.MatchString(title) || title == s.URL {
			a.add(LevelWarning, "source/placeholder-title", at, "title", s.ID, "%q is not the page's headline", title)
		}
		if p := strings.ToLower(strings.TrimSpace(s.Publisher)); p == "" || p == "unknown" || p == "aggregator" || strings.HasPrefix(p, "(") {
			a.add(LevelWarning, "source/placeholder-publisher", at, "publisher", s.ID, "publisher %q names no outlet", s.Publisher)
		}
		a.language(it)
	}
	st.ByReliability = sortedCounts(rel, true)
	st.ByYear = sortedCounts(years, false)
	for h, n := range hosts {
		if n < 2 {
			delete(hosts, h)
		}
	}
	st.ByHost = sortedCounts(hosts, true)
	st.ByLanguage = sortedCounts(langs, true)
	if st.Total > 0 {
		st.CopyShare = float64(copies) / float64(st.Total)
	}
	if st.CopyShare > MaxCopyShare {
		a.rep.Findings = append(a.rep.Findings, Finding{Level: LevelWarning, Class: "source/copy-share", File: "(all sources)",
			Message: fmt.Sprintf("%.0f%% of sources are MIRROR or AGGREGATOR (target at most %.0f%%)", 100*st.CopyShare, 100*MaxCopyShare)})
	}

	cites := map[string]int{}
	for _, c := range a.citing() {
		for _, s := range c.prov.Sources {
			cites[s]++
		}
	}
	for _, it := range a.p.sites { // inherited sources are citations too
		for _, s := range it.v.Sources {
			cites[s]++
		}
	}
	for _, it := range a.p.sources {
		if cites[it.v.ID] == 0 {
			a.add(LevelError, "source/uncited", it.at, "id", it.v.ID, "no record cites this source")
		}
	}
}

// language flags a language tag the title contradicts: kana in a page tagged other than ja, Cyrillic in one
// tagged zh or en, a title without any Han character tagged zh.
func (a *auditor) language(it item[sourceRec]) {
	s := it.v
	if !languageRE.MatchString(s.Language) {
		a.add(LevelError, "source/language", it.at, "language", s.ID, "%q is not a lower-case ISO 639 code (zh, en, ja, …)", s.Language)
		return
	}
	var han, kana, cyr, latin int
	for _, r := range s.Title {
		switch {
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.IsLetter(r) && r < 0x250:
			latin++
		}
	}
	title := strings.TrimSpace(s.Title)
	if placeholderRE.MatchString(title) || outletDateRE.MatchString(title) {
		return // the title is ours, not the page's
	}
	switch {
	case kana > 0 && s.Language != "ja":
		a.add(LevelWarning, "source/language", it.at, "language", s.ID, "the title has kana but the tag is %q", s.Language)
	case cyr > 0 && (s.Language == "zh" || s.Language == "en"):
		a.add(LevelWarning, "source/language", it.at, "language", s.ID, "the title is Cyrillic but the tag is %q", s.Language)
	case s.Language == "zh" && han == 0 && latin > 0:
		a.add(LevelWarning, "source/language", it.at, "language", s.ID, "the title has no Chinese but the tag is zh")
	case s.Language == "en" && han > 0 && latin == 0:
		a.add(LevelWarning, "source/language", it.at, "language", s.ID, "the title is Chinese but the tag is en")
	}
}

// records flags REPORTED records that rest only on copies (MIRROR or AGGREGATOR sources).
func (a *auditor) records() {
	st := &a.rep.Sources
	for _, c := range a.citing() {
		if c.prov.Confidence != string(chainmap.Reported) {
			continue
		}
		st.ReportedRecords++
		first := false
		for _, s := range c.prov.Sources {
			if !isCopy(a.src[s].v.Reliability) {
				first = true
			}
		}
		if first {
			st.FirstParty++
			continue
		}
		a.add(LevelError, "record/copy-only", c.at, "sources", c.id,
			"%s is REPORTED but every source is a MIRROR or AGGREGATOR: cite the original, or mark it ILLUSTRATIVE with a note", c.kind)
	}
}

var (
	importRE = regexp.MustCompile(`(?i)import-dependen|depend\w* on imports|reli\w* on imports|rely on imports|imported|依赖进口|进口依赖|依赖国外|卡脖子`)
	// "filled a domestic gap" is a first-of-its-kind claim, not a statement that the region no longer depends on
	// imports; RESOLVED needs the latter.
	firstOfKindRE  = regexp.MustCompile(`填补国内空白|填补.*空白|domestic gap|first domestic|first in China`)
	selfRelianceRE = regexp.MustCompile(`自主可控|国产替代|进口替代|self-relian|import substitution|replac\w* imports`)
)

// bottlenecks checks the severity rubric and the status rules of seeds/README.md.
func (a *auditor) bottlenecks() {
	for _, it := range a.p.bottlenecks {
		b, at := it.v, it.at
		text := b.Description + " " + b.Evidence + " " + b.NameEn + " " + b.NameZh
		if b.Severity == 5 && b.Kind == string(chainmap.Gap) {
			a.add(LevelError, "rule/severity", at, "severity", b.ID, "severity 5 is for a chokepoint (卡点) with import reliance; this is a GAP")
		}
		if b.Status == string(chainmap.Resolved) {
			if b.Severity != 1 {
				a.add(LevelError, "rule/resolved-severity", at, "severity", b.ID, "RESOLVED is rated 1 (\"largely solved\"), got %d", b.Severity)
			}
			for i, t := range b.Tacklers {
				if t.Status != "" && t.Status != string(chainmap.Resolved) {
					a.add(LevelError, "rule/resolved-unfinished", at.child("tacklers", i), "status", b.ID,
						"RESOLVED, but tackler %q is %s", t.ID, t.Status)
				}
			}
			if firstOfKindRE.MatchString(text) && !selfRelianceRE.MatchString(text) {
				a.add(LevelWarning, "rule/resolved-wording", at, "status", b.ID,
					"RESOLVED on a first-of-its-kind claim (填补国内空白) without a self-reliance statement")
			}
			continue
		}
		if importRE.MatchString(text) && b.Severity < 4 {
			a.add(LevelWarning, "rule/severity", at, "severity", b.ID,
				"the text speaks of import dependence but the severity is %d (rubric: 5 for an import-reliant chokepoint, 4 for a named key weakness)", b.Severity)
		}
		for i, t := range b.Tacklers {
			if t.Status == string(chainmap.Resolved) {
				a.add(LevelWarning, "rule/tackler-ahead", at.child("tacklers", i), "status", b.ID,
					"tackler %q is RESOLVED but the bottleneck is %s", t.ID, b.Status)
			}
		}
	}
}

// sites flags a site whose id names another enterprise: the same plant recorded under two firms.
func (a *auditor) sites() {
	var ids []string
	for _, it := range a.p.enterprises {
		ids = append(ids, it.v.ID)
	}
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) > len(ids[j]) })
	for _, it := range a.p.sites {
		for _, e := range ids {
			if strings.HasPrefix(it.v.ID, e+"-") {
				if e != it.v.Enterprise && !strings.HasPrefix(e, it.v.Enterprise+"-") {
					a.add(LevelError, "rule/site-two-firms", it.at, "id", it.v.ID,
						"site of %q but its id names enterprise %q: one plant in two firms?", it.v.Enterprise, e)
				}
				break
			}
		}
	}
}

// transfers checks that each R&D→manufacturing link says what kind of link it is, and that the ends fit it.
func (a *auditor) transfers() {
	kindOfSite := map[string]string{}
	for _, s := range a.ds.Sites {
		kindOfSite[s.ID] = string(s.Kind)
	}
	for _, it := range a.p.techTransfers {
		t, at := it.v, it.at
		switch t.Kind {
		case "":
			a.add(LevelError, "rule/transfer-kind", at, "id", t.ID, "no kind (one of %s)", join(chainmap.TransferKinds))
		case string(chainmap.RDToProduction):
			if k := kindOfSite[t.From]; k != "" && k != string(chainmap.RD) && k != string(chainmap.HQ) {
				a.add(LevelWarning, "rule/transfer-kind", at, "from", t.ID, "RD_TO_PRODUCTION from a %s site", k)
			}
			if k := kindOfSite[t.To]; k == string(chainmap.RD) || k == string(chainmap.HQ) {
				a.add(LevelWarning, "rule/transfer-kind", at, "to", t.ID, "RD_TO_PRODUCTION to a %s site", k)
			}
		}
	}
}

// indicators flags multi-year totals inside an annual series.
func (a *auditor) indicators() {
	for _, it := range a.p.indicators {
		annual, multi := 0, []int{}
		for i, v := range it.v.Values {
			if v.Period == "" {
				annual++
			} else {
				multi = append(multi, i)
			}
		}
		if annual > 0 {
			for _, i := range multi {
				a.add(LevelError, "rule/indicator-period", it.at.child("values", i), "period", it.v.ID,
					"a %s total inside an annual series: move it to its own indicator", it.v.Values[i].Period)
			}
		}
	}
}

var (
	zhSuffixRE = regexp.MustCompile(`(股份有限公司|有限责任公司|有限公司|集团|公司|股份)$`)
	zhParenRE  = regexp.MustCompile(`[（(][^）)]*[）)]`)
	enStopRE   = regexp.MustCompile(`\b(co|company|corp|corporation|ltd|limited|inc|group|holdings?|plc|the)\b`)
	nonWordRE  = regexp.MustCompile(`[^\p{L}\p{N}]+`)
	placeRE    = regexp.MustCompile(`^(北京市?|天津市?|河北省?|中国)`)
)

// normZh reduces a Chinese firm name to its distinctive part: no legal form, no bracketed place.
func normZh(s string) string {
	s = zhParenRE.ReplaceAllString(strings.TrimSpace(s), "")
	for i := 0; i < 3; i++ {
		s = zhSuffixRE.ReplaceAllString(s, "")
	}
	return nonWordRE.ReplaceAllString(s, "")
}

func normEn(s string) string {
	s = strings.ToLower(s)
	s = zhParenRE.ReplaceAllString(s, "")
	s = nonWordRE.ReplaceAllString(s, " ")
	s = enStopRE.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// duplicates flags enterprises (and institutions, parks) whose normalised names, or former names, match.
func (a *auditor) duplicates() {
	type named struct {
		kind, id string
		at       loc
		branchOf string
	}
	seen := map[string]named{}
	check := func(n named, key, field, what string) {
		if len([]rune(key)) < 5 { // "zh:" or "en:" and at least two characters
			return
		}
		prev, ok := seen[key]
		switch {
		case !ok:
			seen[key] = n
		case prev.id == n.id:
		case prev.branchOf == n.id || n.branchOf == prev.id:
		default:
			a.add(LevelError, "duplicate/name", n.at, field, n.id, "%s matches %s %q at %s:%d: one firm recorded twice?",
				what, prev.kind, prev.id, prev.at.file, prev.at.line)
		}
	}
	for _, it := range a.p.enterprises {
		e := it.v
		n := named{kEnterprise, e.ID, it.at, e.BranchOf}
		check(n, "zh:"+normZh(e.NameZh), "nameZh", "the Chinese name")
		check(n, "en:"+normEn(e.NameEn), "nameEn", "the English name")
	}
	for _, it := range a.p.institutions {
		n := named{kInstitution, it.v.ID, it.at, ""}
		check(n, "zh:"+normZh(it.v.NameZh), "nameZh", "the Chinese name")
		check(n, "en:"+normEn(it.v.NameEn), "nameEn", "the English name")
	}
	// Names that share their first three characters once the place and legal form are gone ("亿华通科技" /
	// "亿华通氢能科技") are
	// worth a look, not an error: a branch or a subsidiary reads the same way.
	type core struct {
		id, name, branchOf string
		at                 loc
	}
	var cores []core
	for _, it := range a.p.enterprises {
		if c := placeRE.ReplaceAllString(normZh(it.v.NameZh), ""); len([]rune(c)) >= 3 {
			cores = append(cores, core{it.v.ID, c, it.v.BranchOf, it.at})
		}
	}
	for i, x := range cores {
		for _, y := range cores[i+1:] {
			if x.branchOf == y.id || y.branchOf == x.id || x.branchOf != "" && x.branchOf == y.branchOf {
				continue
			}
			if commonPrefix(x.name, y.name) >= 3 {
				a.add(LevelWarning, "duplicate/similar-name", y.at, "nameZh", y.id, "Chinese name close to enterprise %q (%s:%d): same firm, or say how they differ (branchOf)",
					x.id, x.at.file, x.at.line)
			}
		}
	}
	for _, it := range a.p.enterprises {
		for _, f := range it.v.FormerNames {
			for _, key := range []string{"zh:" + normZh(f), "en:" + normEn(f)} {
				if prev, ok := seen[key]; ok && prev.id != it.v.ID {
					a.add(LevelError, "duplicate/former-name", it.at, "formerNames", it.v.ID,
						"former name %q is the name of %s %q at %s:%d: merge the two", f, prev.kind, prev.id, prev.at.file, prev.at.line)
				}
			}
		}
	}
}

func commonPrefix(a, b string) int {
	x, y := []rune(a), []rune(b)
	n := 0
	for n < len(x) && n < len(y) && x[n] == y[n] {
		n++
	}
	return n
}

func sortedCounts(m map[string]int, byCount bool) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if byCount && out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}
