package chainmap

import (
	"fmt"
	"testing"
)

func TestSourceProblems(t *testing.T) {
	ok := Source{ID: "s1", Title: "A report", URL: "https://example.org/r", Date: "2023-05-26", Reliability: Official, Language: "zh"}
	for _, tc := range []struct {
		name string
		edit func(*Source)
		want string // "field: message", "" for none
	}{
		{"valid", func(*Source) {}, ""},
		{"year only, no language", func(s *Source) { s.Date, s.Language = "2023", "" }, ""},
		{"language with a region", func(s *Source) { s.Language = "zh-hans" }, ""},
		{"no title", func(s *Source) { s.Title = "  " }, "title: is required"},
		{"no url", func(s *Source) { s.URL = "" }, "url: is required"},
		{"not http", func(s *Source) { s.URL = "ftp://example.org" }, `url: "ftp://example.org" is not an http(s) URL with a host`},
		{"bad date", func(s *Source) { s.Date = "2023/05" }, `date: "2023/05" is not YYYY, YYYY-MM or YYYY-MM-DD`},
		{"no reliability", func(s *Source) { s.Reliability = "" }, "reliability: is required (one of OFFICIAL, MEDIA, MIRROR, AGGREGATOR, REFERENCE)"},
		{"bad reliability", func(s *Source) { s.Reliability = "GOOD" }, `reliability: "GOOD" is not one of OFFICIAL, MEDIA, MIRROR, AGGREGATOR, REFERENCE`},
		{"bad language", func(s *Source) { s.Language = "Chinese" }, `language: "Chinese" is not a lower-case language code such as zh or en`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.edit(&s)
			got := ""
			if p := s.Problems(); len(p) > 0 {
				got = fmt.Sprintf("%s: %s", p[0].Field, p[0].Message)
				if len(p) > 1 {
					t.Errorf("more than one problem: %v", p)
				}
			}
			if got != tc.want {
				t.Errorf("Problems() = %q, want %q", got, tc.want)
			}
		})
	}
}
