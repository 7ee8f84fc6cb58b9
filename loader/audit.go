package loader

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
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
	// ByHostClass counts the sources by what the host rules make of their hosts ("UNKNOWN" when none).
	ByHostClass []Count `json:"byHostClass"`
	// ReportedRecords counts REPORTED records with their own sources (sites with their enterprise's);
	// FirstParty those citing at least one source on a first-party host (HostClass.FirstParty).
	ReportedRecords int `json:"reportedRecords"`
	FirstParty      int `json:"firstParty"`
	// Stale counts records whose newest dated source is older than StaleAfterYears.
	Stale int `json:"stale"`
}

// ChainCoverage sums up how much of one chain map the seeds hold as REPORTED facts.
type ChainCoverage struct {
	ChainMap            string `json:"chainMap"`
	Segments            int    `json:"segments"`
	ReportedSegments    int    `json:"reportedSegments"`
	Firms               int    `json:"firms"` // enterprises active in a segment of the map
	ReportedFirms       int    `json:"reportedFirms"`
	SegmentsWith3       int    `json:"segmentsWith3"` // segments with at least MinSegmentFirms REPORTED firms
	Bottlenecks         int    `json:"bottlenecks"`
	ReportedBottlenecks int    `json:"reportedBottlenecks"`
	// ByProvince counts the REPORTED firms with a site in each province (110000, 120000, 130000).
	ByProvince []Count `json:"byProvince"`
}

// MinSegmentFirms is how many REPORTED firms a segment should hold, or say in sourcingNote why it cannot.
const MinSegmentFirms = 3

// Report is the result of an audit.
type Report struct {
	Sources  SourceStats     `json:"sources"`
	Coverage []ChainCoverage `json:"coverage"`
	Findings []Finding       `json:"findings"`
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

// StaleAfterYears is the age past which a record's newest source no longer dates the fact (issue 16).
const StaleAfterYears = 5

// Audit parses and validates the files, then audits them as of now (which decides what is stale). A file that
// does not validate is an error (an *InvalidError), not a finding: the audit reads only seeds that load.
func Audit(files []File, now time.Time) (*Report, error) {
	p, errs := parse(files)
	ds, verrs := validate(p)
	errs = append(errs, verrs...)
	if err := errs.err(); err != nil {
		return nil, err
	}
	reviewed := map[string]HostClass{}
	for _, h := range p.hosts {
		reviewed[h.v.Host] = HostClass(h.v.Class)
	}
	var firmSites []string
	for _, e := range p.enterprises {
		firmSites = append(firmSites, e.v.Website)
	}
	a := &auditor{p: p, ds: ds, rep: &Report{}, src: map[string]item[sourceRec]{}, rules: newHostRules(reviewed, firmSites),
		class: map[string]HostClass{}, staleBefore: now.AddDate(-StaleAfterYears, 0, 0)}
	a.sources()
	a.records()
	a.bottlenecks()
	a.sites()
	a.transfers()
	a.indicators()
	a.duplicates()
	a.coverage()
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
	p     *parsed
	ds    *chainmap.Dataset
	rep   *Report
	src   map[string]item[sourceRec]
	rules *hostRules
	class map[string]HostClass // source id → the class of its host
	// staleBefore: a record whose newest source ends before this date is stale.
	staleBefore time.Time
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

// citing lists every record with its own sources, with the confidence it carries in the graph. A site that
// states no sources rests on its enterprise's and is left out (its fact is the enterprise's, counted once); a
// site that states its own sources but no confidence takes its enterprise's, so a REPORTED firm's site resting
// on copies is caught like any other record.
func (a *auditor) citing() []cited {
	var out []cited
	add := func(kind, id string, at loc, p provenanceRec) {
		if len(p.Sources) > 0 {
			out = append(out, cited{kind, id, at, p})
		}
	}
	for _, k := range recordKinds {
		k.cite(a.p, add)
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
)

func isCopy(r string) bool { return r == string(chainmap.Mirror) || r == string(chainmap.Aggregator) }

func (a *auditor) sources() {
	st := &a.rep.Sources
	rel, years, hosts, langs, classes := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	seenURL := map[string]item[sourceRec]{}
	hostTag := map[string]item[sourceRec]{} // host → the first source on it, whose tag the others must share
	reportedCites := map[string]bool{}
	for _, c := range a.citing() {
		if c.prov.Confidence == string(chainmap.Reported) {
			for _, id := range c.prov.Sources {
				reportedCites[id] = true
			}
		}
	}
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
		if host != "" {
			if first, ok := hostTag[host]; !ok {
				hostTag[host] = it
			} else if first.v.Reliability != s.Reliability {
				a.add(LevelError, "source/host-two-tags", at, "reliability", s.ID, "%s is tagged %s here but %s at %s:%d (%s): one host, one tag",
					host, s.Reliability, first.v.Reliability, first.at.file, first.at.line, first.v.ID)
			}
		}
		a.host(it, reportedCites[s.ID])
		if c := a.class[s.ID]; c == HostUnknown {
			classes["UNKNOWN"]++
		} else {
			classes[string(c)]++
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
	st.ByHostClass = sortedCounts(classes, true)
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
		a.rep.Findings = append(a.rep.Findings, Finding{Level: LevelError, Class: "source/copy-share", File: "(all sources)",
			Message: fmt.Sprintf("%.0f%% of sources are MIRROR or AGGREGATOR (at most %.0f%%)", 100*st.CopyShare, 100*MaxCopyShare)})
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

// host classifies the source's host by the rules and holds the source's tag against it: a spam host is never
// cited, an unrelated business's host never backs a REPORTED fact, a first-party tag on a re-post host is
// wrong, and a first-party tag on a host nobody reviewed does not count until the host is listed in
// seeds/hosts.yaml.
func (a *auditor) host(it item[sourceRec], citedByReported bool) {
	s, at := it.v, it.at
	class, rule := a.rules.class(s.URL)
	a.class[s.ID] = class
	host, _ := hostAndPath(s.URL)
	switch {
	case class == HostSpam:
		a.add(LevelError, "source/host-spam", at, "url", s.ID, "%s is reviewed as spam (%s): cite the original or drop the source", host, rule)
	case class == HostUnrelated && citedByReported:
		a.add(LevelError, "source/host-unrelated", at, "url", s.ID, "%s is an unrelated business's host, and a REPORTED record cites it: cite the original", host)
	case class == HostUnrelated:
		a.add(LevelWarning, "source/host-unrelated", at, "url", s.ID, "%s is an unrelated business's host: find the original", host)
	case !isCopy(s.Reliability) && class == HostRepost:
		a.add(LevelError, "source/tag-host", at, "reliability", s.ID, "tagged %s, but %s is a re-post host (%s): tag it AGGREGATOR and find the original", s.Reliability, host, rule)
	case !isCopy(s.Reliability) && class == HostUnknown:
		a.add(LevelWarning, "source/unreviewed-host", at, "url", s.ID, "tagged %s, but no rule knows %s: it counts as first-party only once reviewed in seeds/hosts.yaml", s.Reliability, host)
	case isCopy(s.Reliability) && class == HostUnknown:
		a.add(LevelWarning, "source/copy-unknown-host", at, "url", s.ID, "a %s on %s, a host no rule knows: find the original", strings.ToLower(s.Reliability), host)
	case isCopy(s.Reliability) && class.FirstParty():
		a.add(LevelWarning, "source/tag-host", at, "reliability", s.ID, "tagged %s, but %s is a %s host (%s): the original, or a copy it carries?", s.Reliability, host, class, rule)
	}
}

// language flags a language tag the title contradicts: kana in a page tagged other than ja, Cyrillic in one
// tagged zh or en, a title without any Han character tagged zh.
func (a *auditor) language(it item[sourceRec]) {
	s := it.v
	if !chainmap.ValidLanguage(s.Language) {
		a.add(LevelError, "source/language", it.at, "language", s.ID, "%q is not a lower-case language code (zh, en, ja, zh-hans, …)", s.Language)
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

// records flags REPORTED records that rest only on copies — sources whose hosts are not first-party by the
// host rules, whatever their tags say — and lists records whose newest source is stale.
func (a *auditor) records() {
	st := &a.rep.Sources
	for _, c := range a.citing() {
		if newest, ok := a.newest(c.prov.Sources); ok && newest.Before(a.staleBefore) {
			st.Stale++
			a.add(LevelWarning, "record/stale", c.at, "sources", c.id, "%s's newest source ends %s, more than %d years ago: look for a newer one",
				c.kind, newest.Format("2006-01-02"), StaleAfterYears)
		}
		if c.prov.Confidence != string(chainmap.Reported) {
			continue
		}
		st.ReportedRecords++
		first := false
		for _, s := range c.prov.Sources {
			if a.class[s].FirstParty() {
				first = true
			}
		}
		if first {
			st.FirstParty++
			continue
		}
		a.add(LevelError, "record/copy-only", c.at, "sources", c.id,
			"%s is REPORTED but no source is on a first-party host (government, filings, a known outlet, the firm's own site, or one reviewed in seeds/hosts.yaml): cite the original, or mark it ILLUSTRATIVE with a note", c.kind)
	}
	for _, it := range a.p.enterprises {
		if it.v.Confidence == string(chainmap.Reported) && len(it.v.Sites) == 0 && it.v.BranchOf == "" {
			a.add(LevelError, "record/no-site", it.at, "id", it.v.ID,
				"REPORTED enterprise with no site: give it the place its source states (the province's code if that is all it says)")
		}
	}
}

// newest returns the end of the period of the newest dated source among ids ("2021" ends on 31 Dec 2021);
// false when none is dated.
func (a *auditor) newest(ids []string) (time.Time, bool) {
	var out time.Time
	for _, id := range ids {
		if end, ok := periodEnd(a.src[id].v.Date); ok && end.After(out) {
			out = end
		}
	}
	return out, !out.IsZero()
}

// periodEnd returns the last instant of a YYYY, YYYY-MM or YYYY-MM-DD date (chainmap.ParseDate), false when
// there is no date.
func periodEnd(date string) (time.Time, bool) {
	d, err := chainmap.ParseDate(date)
	if err != nil {
		return time.Time{}, false
	}
	return d.End().Add(-time.Nanosecond), true
}

var (
	importRE = regexp.MustCompile(`(?i)import-dependen|depend\w* on imports|reli\w* on imports|rely on imports|imported|依赖进口|进口依赖|依赖国外|卡脖子`)
	// "filled a domestic gap" is a first-of-its-kind claim, not a statement that the region no longer depends on
	// imports; RESOLVED needs the latter.
	firstOfKindRE  = regexp.MustCompile(`填补国内空白|填补.*空白|domestic gap|first domestic|first in China`)
	selfRelianceRE = regexp.MustCompile(`自主可控|国产替代|进口替代|self-relian|import substitution|replac\w* imports`)
)

// ratedOnRE is how a bottleneck says that its rating rests on old data: "rated on data from 2016".
var ratedOnRE = regexp.MustCompile(`(?i)rated on (data|sources?) (from|of) (19|20)\d\d`)

// bottlenecks checks the severity rubric and the status rules of seeds/README.md.
func (a *auditor) bottlenecks() {
	inRegion := a.tacklersInRegion()
	for _, it := range a.p.bottlenecks {
		b, at := it.v, it.at
		text := b.Description + " " + b.Evidence + " " + b.NameEn + " " + b.NameZh
		if b.Severity == 5 && b.Kind == string(chainmap.Gap) {
			a.add(LevelError, "rule/severity", at, "severity", b.ID, "severity 5 is for a chokepoint (卡点) with import reliance; this is a GAP")
		}
		if newest, ok := a.newest(b.Sources); ok && newest.Before(a.staleBefore) && b.Severity >= 4 &&
			b.Status != string(chainmap.Resolved) && !ratedOnRE.MatchString(b.SourcingNote) {
			a.add(LevelError, "rule/stale-rating", at, "severity", b.ID,
				"rated %d and %s on sources that end %s: re-rate it on a newer source, or say \"rated on data from YYYY\" in sourcingNote",
				b.Severity, b.Status, newest.Format("2006"))
		}
		if b.Status == string(chainmap.Open) {
			for i, t := range b.Tacklers {
				if t.Status == string(chainmap.InProgress) {
					a.add(LevelError, "rule/open-in-progress", at.child("tacklers", i), "status", b.ID,
						"OPEN, but tackler %q is IN_PROGRESS: the bottleneck is being worked on", t.ID)
				}
			}
		}
		if b.Status == string(chainmap.Resolved) {
			local := false
			for _, t := range b.Tacklers {
				local = local || inRegion[t.ID]
			}
			if !local {
				a.add(LevelError, "rule/resolved-outside", at, "status", b.ID,
					"RESOLVED, but no tackler is in Jing-Jin-Ji: a firm elsewhere does not resolve a regional chokepoint")
			}
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

// coverage counts each chain map's REPORTED segments, firms and bottlenecks, and flags a segment with fewer
// than MinSegmentFirms REPORTED firms whose sourcingNote does not say what was searched.
// thinSegmentMark opens the part of a segment's sourcingNote that says what was searched for its firms. A note on
// the segment's structure alone does not excuse a thin segment.
const thinSegmentMark = "Firms:"

func (a *auditor) coverage() {
	provinces := map[string]map[string]bool{} // enterprise → provinces of its sites
	for _, s := range a.ds.Sites {
		if len(s.RegionCode) == 6 {
			if provinces[s.EnterpriseID] == nil {
				provinces[s.EnterpriseID] = map[string]bool{}
			}
			provinces[s.EnterpriseID][s.RegionCode[:2]+"0000"] = true
		}
	}
	chainOf := map[string]string{}
	for _, s := range a.ds.Segments {
		chainOf[s.ID] = s.ChainMapID
	}
	for _, m := range a.ds.ChainMaps {
		c := ChainCoverage{ChainMap: m.ID}
		perSegment := map[string]int{}
		firms, reported, byProvince := map[string]bool{}, map[string]bool{}, map[string]int{}
		for _, e := range a.ds.Enterprises {
			for _, s := range e.SegmentIDs {
				if chainOf[s] != m.ID {
					continue
				}
				firms[e.ID] = true
				if e.Confidence == chainmap.Reported {
					perSegment[s]++
					if !reported[e.ID] {
						reported[e.ID] = true
						for p := range provinces[e.ID] {
							byProvince[p]++
						}
					}
				}
			}
		}
		c.Firms, c.ReportedFirms, c.ByProvince = len(firms), len(reported), sortedCounts(byProvince, false)
		for _, it := range a.p.segments {
			if it.v.ChainMap != m.ID {
				continue
			}
			c.Segments++
			if it.v.Confidence == string(chainmap.Reported) {
				c.ReportedSegments++
			}
			if n := perSegment[it.v.ID]; n >= MinSegmentFirms {
				c.SegmentsWith3++
			} else if !strings.Contains(it.v.SourcingNote, thinSegmentMark) {
				a.add(LevelWarning, "record/thin-segment", it.at, "id", it.v.ID,
					"%d REPORTED firms (want %d): add the firms first-party sources place here, or say in sourcingNote, after %q, what was searched",
					n, MinSegmentFirms, thinSegmentMark)
			}
		}
		for _, b := range a.ds.Bottlenecks {
			for _, s := range b.SegmentIDs {
				if chainOf[s] == m.ID {
					c.Bottlenecks++
					if b.Confidence == chainmap.Reported {
						c.ReportedBottlenecks++
					}
					break
				}
			}
		}
		a.rep.Coverage = append(a.rep.Coverage, c)
	}
}

// tacklersInRegion returns the enterprises with a site, and the institutions, in Beijing, Tianjin or Hebei.
func (a *auditor) tacklersInRegion() map[string]bool {
	in := func(code string) bool {
		return strings.HasPrefix(code, "11") || strings.HasPrefix(code, "12") || strings.HasPrefix(code, "13")
	}
	out := map[string]bool{}
	for _, s := range a.ds.Sites {
		if in(s.RegionCode) {
			out[s.EnterpriseID] = true
		}
	}
	for _, i := range a.ds.Institutions {
		if in(i.RegionCode) {
			out[i.ID] = true
		}
	}
	return out
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

// planRE is wording that makes a link a deal or a plan rather than a transfer that happened.
var planRE = regexp.MustCompile(`(?i)签约|签署|意向|拟在|拟建|计划|\bsigned\b|\bsigning\b|\bplans? to\b|\bplanned\b|\bintend|agreement to`)

// transfers checks that each R&D→manufacturing link says what kind of link it is, and that the ends fit it.
func (a *auditor) transfers() {
	kindOfSite := map[string]string{}
	for _, s := range a.ds.Sites {
		kindOfSite[s.ID] = string(s.Kind)
	}
	for _, it := range a.p.techTransfers {
		t, at := it.v, it.at
		if planRE.MatchString(t.Description + " " + t.Evidence) {
			a.add(LevelWarning, "rule/transfer-plan", at, "description", t.ID,
				"the text speaks of a signing, a plan or an intention: record a link only once it is realised")
		}
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
