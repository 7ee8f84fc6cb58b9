package loader

import (
	"strings"
	"testing"
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
		{name: "copy only", file: "sources:\n  - {id: cp, title: 标题, publisher: X, url: \"https://example.org/c\", date: 2024, reliability: AGGREGATOR, language: zh}\n" +
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
			rep, err := Audit(files)
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
	if _, err := Audit([]File{{Name: "bad.yaml", Data: []byte("companies: []\n")}}); err == nil {
		t.Fatal("Audit(invalid) = nil error, want the validation problems")
	}
}
