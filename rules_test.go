package chainmap

import (
	"errors"
	"strings"
	"testing"
)

// problem spells a rule's answer as "field: message", "" for nil; it fails the test when the answer is not a
// BAD_USER_INPUT *Error.
func problem(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBadUserInput {
		t.Fatalf("%v is not a BAD_USER_INPUT *Error", err)
	}
	return e.Field + ": " + e.Message
}

func TestCheckText(t *testing.T) {
	zh := func(n int) string { return strings.Repeat("氢", n) }
	en := func(n int) string { return strings.Repeat("a", n) }
	for _, tc := range []struct {
		path, text, want string
	}{
		{"nameZh", "", ""},
		{"nameZh", zh(200), ""}, // 600 bytes: characters are counted
		{"nameZh", zh(201), "nameZh: is 201 characters, more than the 200 allowed"},
		{"input.nameEn", en(201), "input.nameEn: is 201 characters, more than the 200 allowed"},
		{"input.sites[0].name", en(201), "input.sites[0].name: is 201 characters, more than the 200 allowed"},
		{"aliases[3]", en(201), "aliases[3]: is 201 characters, more than the 200 allowed"},
		{"formerNames[0]", en(200), ""},
		{"title", "\U0001F600" + en(199), ""}, // a 4-byte character is one
		{"description", zh(4000), ""},
		{"enterprises[2].description", en(4001), "enterprises[2].description: is 4001 characters, more than the 4000 allowed"},
		{"note", zh(4001), "note: is 4001 characters, more than the 4000 allowed"},
		{"url", "https://example.com/" + en(300), ""},
		{"nameEn", "   ", "nameEn: must not be blank"},
		{"description", "   ", ""},
		{"nameEn", "a\nb", "nameEn: must be one line of text, without tabs"},
		{"capacity", "a\tb", "capacity: must be one line of text, without tabs"},
		{"description", "line one\r\nline two\tand a tab", ""},
		{"nameEn", "a\x00b", "nameEn: contains a control character (U+0000) at character 2"},
		{"note", "氢\x1b[31m", "note: contains a control character (U+001B) at character 2"},
		{"note", "a\u0085b", "note: contains a control character (U+0085) at character 2"},
		{"note", "ab\x7f", "note: contains a control character (U+007F) at character 3"},
		{"nameZh", "公司\u202e", "nameZh: contains a bidirectional control character (U+202E) at character 3"},
		{"nameZh", "\u2066x", "nameZh: contains a bidirectional control character (U+2066) at character 1"},
		{"description", "a\xffb", "description: contains invalid UTF-8 (U+FFFD) at character 2"},
		{"description", "a\uFFFDb", ""}, // the replacement character itself is text
	} {
		if got := problem(t, CheckText(tc.path, tc.text)); got != tc.want {
			t.Errorf("CheckText(%q, %.20q…) = %q, want %q", tc.path, tc.text, got, tc.want)
		}
	}
}

func TestTextLimit(t *testing.T) {
	for path, want := range map[string]int{"name": 200, "nameZh": 200, "input.nameEn": 200, "title": 200,
		"publisher": 200, "aliases[1]": 200, "formerNames": 200, "input.product": 200, "sites[0].capacity": 200,
		"description": 4000, "note": 4000, "evidence": 4000, "sourcingNote": 4000, "url": 4000, "label": 4000,
		"input.sites[0].regionCode": 4000} {
		if got := TextLimit(path); got != want {
			t.Errorf("TextLimit(%q) = %d, want %d", path, got, want)
		}
	}
}

func TestCheckID(t *testing.T) {
	for id, want := range map[string]string{
		"sinohytec": "", "a": "", "h2-fc-stack": "", "0-1": "", strings.Repeat("a", 100): "",
		"":                       "id: is required",
		"Not An Id":              `id: "Not An Id" is not a valid id (lower-case letters, digits and '-', at most 100 characters)`,
		"-lead":                  `id: "-lead" is not a valid id (lower-case letters, digits and '-', at most 100 characters)`,
		"a_b":                    `id: "a_b" is not a valid id (lower-case letters, digits and '-', at most 100 characters)`,
		"氢能":                     `id: "氢能" is not a valid id (lower-case letters, digits and '-', at most 100 characters)`,
		strings.Repeat("a", 101): `id: "` + strings.Repeat("a", 101) + `" is not a valid id (lower-case letters, digits and '-', at most 100 characters)`,
	} {
		if got := problem(t, CheckID("id", id)); got != want {
			t.Errorf("CheckID(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestCheckYear(t *testing.T) {
	for y, want := range map[int]string{1900: "", 2013: "", 2100: "",
		0:    "since: 0 is not a plausible year (1900 to 2100)",
		1899: "since: 1899 is not a plausible year (1900 to 2100)",
		2101: "since: 2101 is not a plausible year (1900 to 2100)",
		-5:   "since: -5 is not a plausible year (1900 to 2100)"} {
		if got := problem(t, CheckYear("since", y)); got != want {
			t.Errorf("CheckYear(%d) = %q, want %q", y, got, want)
		}
		if ValidYear(y) != (want == "") {
			t.Errorf("ValidYear(%d) = %v", y, ValidYear(y))
		}
	}
}

func TestCheckNames(t *testing.T) {
	for _, tc := range []struct{ prefix, zh, en, want string }{
		{"", "氢能", "", ""},
		{"", "", "Hydrogen", ""},
		{"input.", "氢能", "Hydrogen", ""},
		{"", "", "", "nameZh: nameZh or nameEn is required"},
		{"input.", " ", "\t", "input.nameZh: nameZh or nameEn is required"},
	} {
		if got := problem(t, CheckNames(tc.prefix, tc.zh, tc.en)); got != tc.want {
			t.Errorf("CheckNames(%q, %q, %q) = %q, want %q", tc.prefix, tc.zh, tc.en, got, tc.want)
		}
	}
}

func TestCheckSources(t *testing.T) {
	if got := problem(t, CheckSources("sources", []string{"s1"})); got != "" {
		t.Errorf("one source: %q", got)
	}
	for _, ids := range [][]string{nil, {}} {
		if got, want := problem(t, CheckSources("input.sourceIds", ids)), "input.sourceIds: at least one source is required: every fact cites one"; got != want {
			t.Errorf("CheckSources(%v) = %q, want %q", ids, got, want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	for u, ok := range map[string]bool{
		"https://example.com": true, "http://www.gov.cn/a/b.html?x=1#f": true, "HTTPS://example.com/": true,
		"https://例子.中国/页": true, "http://127.0.0.1:8080/x": true,
		"": false, "https://": false, "http:///path": false, "ftp://example.com": false, "example.com": false,
		"//example.com/a": false, "https://example.com/a b": false, "https://example.com/<script>": false,
		`https://example.com/"q"`: false, "javascript:alert(1)": false, "https://exa mple.com": false,
	} {
		got := problem(t, CheckURL("url", u))
		if (got == "") != ok {
			t.Errorf("CheckURL(%q) = %q, want ok %v", u, got, ok)
		}
		if ValidURL(u) != ok {
			t.Errorf("ValidURL(%q) = %v, want %v", u, !ok, ok)
		}
	}
}

func TestCheckDate(t *testing.T) {
	for d, want := range map[string]string{
		"2023": "", "2023-05": "", "2023-05-26": "", "2024-02-29": "", "1900": "", "2100-12-31": "",
		"2023/05":          `date: "2023/05" is not YYYY, YYYY-MM or YYYY-MM-DD`,
		"23-05-26":         `date: "23-05-26" is not YYYY, YYYY-MM or YYYY-MM-DD`,
		"2023-5":           `date: "2023-5" is not YYYY, YYYY-MM or YYYY-MM-DD`,
		"2023-05-26T10:00": `date: "2023-05-26T10:00" is not YYYY, YYYY-MM or YYYY-MM-DD`,
		"2023-13":          `date: "2023-13": no month 13`,
		"2023-00":          `date: "2023-00": no month 0`,
		"2023-02-29":       `date: "2023-02-29": no such day`,
		"2023-04-31":       `date: "2023-04-31": no such day`,
		"1850":             `date: "1850": the year must be 1900 to 2100`,
		"2101-01":          `date: "2101-01": the year must be 1900 to 2100`,
	} {
		if got := problem(t, CheckDate("date", d)); got != want {
			t.Errorf("CheckDate(%q) = %q, want %q", d, got, want)
		}
		if ValidDate(d) != (want == "") {
			t.Errorf("ValidDate(%q) = %v", d, ValidDate(d))
		}
	}
}

func TestCheckSeverity(t *testing.T) {
	for n := -1; n <= 6; n++ {
		got := problem(t, CheckSeverity("severity", n))
		if ok := n >= 1 && n <= 5; (got == "") != ok {
			t.Errorf("CheckSeverity(%d) = %q", n, got)
		}
	}
}

func TestValidLanguage(t *testing.T) {
	for lang, ok := range map[string]bool{"zh": true, "en": true, "ja": true, "yue": true, "zh-hans": true, "zh-hant-tw": true,
		"": false, "ZH": false, "Chinese": false, "z": false, "zh_hans": false, "zh-": false} {
		if ValidLanguage(lang) != ok {
			t.Errorf("ValidLanguage(%q) = %v, want %v", lang, !ok, ok)
		}
	}
}
