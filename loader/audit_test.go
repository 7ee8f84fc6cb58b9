package loader

import (
	"strings"
	"testing"
	"time"
)

// Each case adds a file to the base (or edits it) and expects a finding of the class at the file and line.
func TestAuditFindings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		file      string
		replace   [2]string
		wantClass string
		wantLevel Level
		wantFile  string
		wantLine  int
	}{
		{name: "transfer without kind", wantClass: "rule/transfer-kind", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 32},
		{name: "bare IP host", file: "sources:\n  - {id: ip, title: 标题, publisher: X, url: \"http://1.2.3.4/a.php\", date: 2024, reliability: MIRROR, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: ILLUSTRATIVE, sources: [ip]}\n",
			wantClass: "source/bare-ip-host", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "uncited source", file: "sources:\n  - {id: lone, title: 标题, publisher: X, url: \"https://example.org/l\", date: 2024, reliability: MEDIA, language: zh}\n",
			wantClass: "source/uncited", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "undated source", file: "sources:\n  - {id: nd, title: 标题, publisher: X, url: \"https://example.org/n\", reliability: MEDIA, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [nd]}\n",
			wantClass: "source/undated", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "copy only", file: "sources:\n  - {id: cp, title: 标题, publisher: X, url: \"https://copy.example.net/c\", date: 2024, reliability: AGGREGATOR, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [cp]}\n",
			wantClass: "record/copy-only", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 4},
		{name: "language", file: "sources:\n  - {id: en, title: An English headline, publisher: X, url: \"https://example.org/e\", date: 2024, reliability: MEDIA, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [en]}\n",
			wantClass: "source/language", wantLevel: LevelWarning, wantFile: "extra.yaml", wantLine: 2},
		{name: "resolved rated 4", replace: [2]string{"severity: 5, status: OPEN", "severity: 4, status: RESOLVED"},
			wantClass: "rule/resolved-severity", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 29},
		{name: "resolved with unfinished tackler", replace: [2]string{"severity: 5, status: OPEN,\n     segments: [cnc], tacklers: [{id: uni, since: 2023}]",
			"severity: 1, status: RESOLVED,\n     segments: [cnc], tacklers: [{id: uni, since: 2023, status: IN_PROGRESS}]"},
			wantClass: "rule/resolved-unfinished", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 30},
		{name: "gap rated 5", replace: [2]string{"kind: CHOKEPOINT", "kind: GAP"},
			wantClass: "rule/severity", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 29},
		{name: "site named after another firm", file: "enterprises:\n  - {id: other, nameEn: Other, confidence: REPORTED, sources: [src-a], sites: [{id: maker-tj, kind: HQ, region: \"131000\"}]}\n",
			wantClass: "rule/site-two-firms", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "same name twice", file: "enterprises:\n  - {id: jd2, nameZh: 北京精雕有限公司, confidence: REPORTED, sources: [src-a]}\n",
			wantClass: "duplicate/name", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "former name", file: "enterprises:\n  - {id: jd2, nameZh: 新精雕, formerNames: [北京精雕], confidence: REPORTED, sources: [src-a]}\n",
			wantClass: "duplicate/former-name", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "multi-year total in an annual series", replace: [2]string{"values: [{year: 2023, value: 10.4}]", "values: [{year: 2023, value: 10.4}, {year: 2023, period: 2014-2023, value: 80}]"},
			wantClass: "rule/indicator-period", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 36},
		// The host decides, not the tag (issue 16).
		{name: "media tag on an unreviewed host", file: "sources:\n  - {id: un, title: 标题, publisher: X, url: \"https://unknown.example.net/u\", date: 2024, reliability: MEDIA, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [un]}\n",
			wantClass: "record/copy-only", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 4},
		{name: "unreviewed host named", file: "sources:\n  - {id: un, title: 标题, publisher: X, url: \"https://unknown.example.net/u\", date: 2024, reliability: MEDIA, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: ILLUSTRATIVE, sources: [un]}\n",
			wantClass: "source/unreviewed-host", wantLevel: LevelWarning, wantFile: "extra.yaml", wantLine: 2},
		{name: "the firm's own site is first-party", file: "sources:\n  - {id: own, title: 标题, publisher: X, url: \"https://www.firm.example.net/about\", date: 2024, reliability: OFFICIAL, language: zh}\n" +
			"enterprises:\n  - {id: firm, nameEn: Firm, website: \"https://firm.example.net\", confidence: REPORTED, sources: [own], sites: [{id: firm-hq, kind: HQ, region: \"131000\"}]}\n" +
			"  - {id: firm2, nameEn: Firm Two, confidence: REPORTED, sources: [un], sites: [{id: firm2-hq, kind: HQ, region: \"131000\"}]}\n" +
			"  - {id: firm3, nameEn: Firm Three, confidence: ILLUSTRATIVE, sources: [src-a], sites: [{id: firm3-hq, kind: HQ, region: \"131000\"}]}\n" +
			"sources:\n  - {id: un, title: 标题, publisher: X, url: \"https://other.example.net/u\", date: 2024, reliability: OFFICIAL, language: zh}\n",
			wantClass: "record/copy-only", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 5},
		{name: "official tag on a re-post host", file: "sources:\n  - {id: bj, title: 标题, publisher: X, url: \"https://baijiahao.baidu.com/s?id=1\", date: 2024, reliability: MEDIA, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: ILLUSTRATIVE, sources: [bj]}\n",
			wantClass: "source/tag-host", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "spam host", file: "sources:\n  - {id: sp, title: 标题, publisher: X, url: \"https://lotto.example.net/n/1.html\", date: 2024, reliability: MIRROR, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: ILLUSTRATIVE, sources: [sp]}\n" +
			"hosts:\n  - {host: lotto.example.net, class: SPAM, note: lottery adverts around the text}\n",
			wantClass: "source/host-spam", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "unrelated host behind a reported fact", file: "sources:\n  - {id: sh, title: 标题, publisher: X, url: \"https://socks.example.net/n/1.html\", date: 2024, reliability: MIRROR, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [src-a, sh]}\n" +
			"hosts:\n  - {host: socks.example.net, class: UNRELATED, note: a socks shop}\n",
			wantClass: "source/host-unrelated", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "one host two tags", file: "sources:\n  - {id: a2, title: 标题, publisher: X, url: \"https://example.org/b\", date: 2024, reliability: MIRROR, language: zh}\n" +
			"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: ILLUSTRATIVE, sources: [a2]}\n",
			wantClass: "source/host-two-tags", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "a reported firm's site resting on copies", file: "sources:\n  - {id: cp, title: 标题, publisher: X, url: \"https://copy.example.net/c\", date: 2024, reliability: MIRROR, language: zh}\n" +
			"enterprises:\n  - id: firm\n    nameEn: Firm\n    confidence: REPORTED\n    sources: [src-a]\n    sites:\n      - {id: firm-plant, kind: MANUFACTURING, region: \"131000\", sources: [cp]}\n",
			wantClass: "record/copy-only", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 9},
		{name: "reported firm without a site", file: "enterprises:\n  - {id: firm, nameEn: Firm, confidence: REPORTED, sources: [src-a]}\n",
			wantClass: "record/no-site", wantLevel: LevelError, wantFile: "extra.yaml", wantLine: 2},
		{name: "open while a tackler works on it", replace: [2]string{"tacklers: [{id: uni, since: 2023}]", "tacklers: [{id: uni, since: 2023, status: IN_PROGRESS}]"},
			wantClass: "rule/open-in-progress", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 30},
		{name: "resolved by a firm outside the region", replace: [2]string{"severity: 5, status: OPEN,\n     segments: [cnc], tacklers: [{id: uni, since: 2023}]",
			"severity: 1, status: RESOLVED,\n     segments: [cnc], tacklers: [{id: far, since: 2023}]"},
			file: "enterprises:\n  - {id: far, nameEn: Far away, confidence: REPORTED, sources: [src-a], sites: [{id: far-hq, kind: HQ, region: \"310000\"}]}\n" +
				"regions:\n  - {code: \"310000\", nameZh: 上海市, nameEn: Shanghai, level: PROVINCE, confidence: REPORTED, sources: [src-a]}\n",
			wantClass: "rule/resolved-outside", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 29},
		{name: "a 5 on old data", replace: [2]string{"date: 2024-04-15", "date: 2014-04-15"},
			wantClass: "rule/stale-rating", wantLevel: LevelError, wantFile: "base.yaml", wantLine: 29},
		{name: "old data, stated", replace: [2]string{"date: 2024-04-15", "date: 2014-04-15"},
			wantClass: "record/stale", wantLevel: LevelWarning, wantFile: "base.yaml", wantLine: 19},
		{name: "thin segment", wantClass: "record/thin-segment", wantLevel: LevelWarning, wantFile: "base.yaml", wantLine: 11},
		{name: "thin segment with a note on its structure only", replace: [2]string{"order: 1, feeds: [machines], confidence: ILLUSTRATIVE,",
			"order: 1, feeds: [machines], confidence: ILLUSTRATIVE, sourcingNote: The map's own breakdown was not found.,"},
			wantClass: "record/thin-segment", wantLevel: LevelWarning, wantFile: "base.yaml", wantLine: 11},
		{name: "transfer that is a plan", replace: [2]string{"year: 2014, confidence", "year: 2014, description: 双方签约共建生产基地, confidence"},
			wantClass: "rule/transfer-plan", wantLevel: LevelWarning, wantFile: "base.yaml", wantLine: 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := baseFile(t)
			if tc.replace[0] != "" {
				if !strings.Contains(string(base.Data), tc.replace[0]) {
					t.Fatalf("base has no %q", tc.replace[0])
				}
				base.Data = []byte(strings.Replace(string(base.Data), tc.replace[0], tc.replace[1], 1))
			}
			files := []File{base}
			if tc.file != "" {
				files = append(files, File{Name: "extra.yaml", Data: []byte(tc.file)})
			}
			rep, err := Audit(files, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatalf("Audit = %v", err)
			}
			for _, f := range rep.Findings {
				if f.Class == tc.wantClass && f.File == tc.wantFile && f.Line == tc.wantLine && f.Level == tc.wantLevel {
					return
				}
			}
			t.Errorf("no %s %s at %s:%d; got:\n%v", tc.wantLevel, tc.wantClass, tc.wantFile, tc.wantLine, rep.Findings)
		})
	}
}

func TestAuditInvalidFiles(t *testing.T) {
	if _, err := Audit([]File{{Name: "bad.yaml", Data: []byte("companies: []\n")}}, time.Now()); err == nil {
		t.Fatal("Audit(invalid) = nil error, want the validation problems")
	}
}

// TestAuditNoFinding pins what must not be flagged: a stale rating that says so, a site on its enterprise's
// sources, a source whose host a reviewed record makes first-party.
func TestAuditNoFinding(t *testing.T) {
	for _, tc := range []struct {
		name, class string
		replace     [2]string
		file        string
	}{
		{name: "stale rating stated", class: "rule/stale-rating", replace: [2]string{"date: 2024-04-15", "date: 2014-04-15"},
			file: "bottlenecks:\n  - {id: b2, nameEn: B, kind: GAP, category: MATERIAL, severity: 4, status: OPEN, segments: [cnc], confidence: REPORTED, sources: [src-a], sourcingNote: rated on data from 2014; no newer source found}\n"},
		{name: "the firm's own website", class: "record/copy-only",
			file: "sources:\n  - {id: own, title: 标题, publisher: X, url: \"https://www.firm.example.net/about\", date: 2024, reliability: OFFICIAL, language: zh}\n" +
				"enterprises:\n  - {id: firm, nameEn: Firm, website: \"https://firm.example.net\", confidence: REPORTED, sources: [own], sites: [{id: firm-hq, kind: HQ, region: \"131000\"}]}\n"},
		{name: "reviewed host", class: "record/copy-only",
			file: "sources:\n  - {id: rv, title: 标题, publisher: X, url: \"https://paper.example.net/r\", date: 2024, reliability: MEDIA, language: zh}\n" +
				"parks:\n  - {id: p2, nameEn: P, region: \"131000\", confidence: REPORTED, sources: [rv]}\n" +
				"hosts:\n  - {host: example.net, class: MEDIA, outlet: a paper}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := baseFile(t)
			if tc.replace[0] != "" {
				base.Data = []byte(strings.Replace(string(base.Data), tc.replace[0], tc.replace[1], 1))
			}
			files := []File{base}
			if tc.file != "" {
				files = append(files, File{Name: "extra.yaml", Data: []byte(tc.file)})
			}
			rep, err := Audit(files, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatalf("Audit = %v", err)
			}
			for _, f := range rep.Findings {
				if f.Class == tc.class && (f.File == "extra.yaml" || tc.name == "stale rating stated" && f.ID == "b2") {
					t.Errorf("unexpected %v", f)
				}
			}
		})
	}
}

func TestHostRules(t *testing.T) {
	r := newHostRules(map[string]HostClass{"shop.example.com": HostUnrelated, "new.qq.com/rain/a/20240628A08JTB00": HostMedia},
		[]string{"https://www.maker.com.cn/"})
	for _, tc := range []struct {
		url  string
		want HostClass
	}{
		{"http://www.gov.cn/zhengce/1.htm", HostOfficial},
		{"https://kw.beijing.gov.cn/art/1.html", HostOfficial},
		{"https://www.tsinghua.edu.cn/info/1.htm", HostOfficial},
		{"http://static.cninfo.com.cn/finalpage/1.PDF", HostOfficial},
		{"http://hb.people.com.cn/n2/1.html", HostMedia},
		{"https://finance.sina.com.cn/a.shtml", HostMedia},
		{"https://k.sina.com.cn/article_1.html", HostRepost},
		{"https://www.163.com/dy/article/X.html", HostRepost},
		{"https://www.sohu.com/a/123_456", HostRepost},
		{"https://auto.sohu.com/20100101/n1.shtml", HostUnknown},
		{"https://news.maker.com.cn/1.html", HostFirm},
		{"http://shop.example.com/news/1.html", HostUnrelated},
		{"http://example.com/news/1.html", HostUnknown},
		{"https://notgov.cn/x", HostUnknown},
		{"https://new.qq.com/rain/a/20240628A08JTB00?suid=", HostMedia}, // a reviewed page, whatever the case of its path
		{"https://new.qq.com/rain/a/20240101A00000000", HostUnknown},
	} {
		if got, _ := r.class(tc.url); got != tc.want {
			t.Errorf("class(%s) = %q, want %q", tc.url, got, tc.want)
		}
	}
}
