package i18n

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFromRequest(t *testing.T) {
	for _, tc := range []struct {
		name, query, cookie, accept string
		want                        Lang
	}{
		{"nothing: Chinese", "", "", "", Zh},
		{"the address first", "lang=en", "zh", "zh-CN", En},
		{"the address, Chinese over an English cookie", "lang=zh", "en", "en", Zh},
		{"a wrong lang= is passed over", "lang=fr", "en", "", En},
		{"then the cookie", "", "en", "zh-CN,zh;q=0.9", En},
		{"a wrong cookie is passed over", "", "xx", "en-US,en;q=0.9", En},
		{"then Accept-Language", "", "", "en-GB,en;q=0.9,zh;q=0.8", En},
		{"the highest weight wins", "", "", "en;q=0.5,zh-TW;q=0.8", Zh},
		{"languages other than zh and en are passed over", "", "", "fr-FR,de;q=0.9,en;q=0.1", En},
		{"only others: Chinese", "", "", "fr-FR,de;q=0.9", Zh},
		{"a weight of zero is refusal", "", "", "en;q=0", Zh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/report/x?"+tc.query, nil)
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: Cookie, Value: tc.cookie})
			}
			if tc.accept != "" {
				r.Header.Set("Accept-Language", tc.accept)
			}
			if got := FromRequest(r); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	good := Table{
		"a":        {Zh: "甲", En: "A"},
		"n":        {Zh: "%d 家企业", En: "%d firms"},
		"order":    {Zh: "%[2]s的%[1]d", En: "%d of %s"},
		"percent":  {Zh: "100%%", En: "100%%"},
		"stage.UP": {Zh: "上游", En: "Upstream"},
	}
	if errs := good.Check(); len(errs) > 0 {
		t.Fatalf("a good table: %v", errs)
	}
	bad := Table{
		"noEn":   {Zh: "甲"},
		"noZh":   {En: "A"},
		"verbs":  {Zh: "%d 家", En: "%s firms"},
		"count":  {Zh: "%d", En: "%d of %d"},
		"broken": {Zh: "%[x]d", En: "%d"},
	}
	errs := bad.Check()
	var text []string
	for _, e := range errs {
		text = append(text, e.Error())
	}
	got := strings.Join(text, "\n")
	for _, want := range []string{"noEn: no English", "noZh: no Chinese", "verbs: the Chinese", "count: the Chinese", "broken (zh)"} {
		if !strings.Contains(got, want) {
			t.Errorf("Check said\n%s\nwithout %q", got, want)
		}
	}
	if s, err := good.Say(Zh, "order", 3, "氢能"); err != nil || s != "氢能的3" {
		t.Errorf("Say: %q %v", s, err)
	}
	if _, err := good.Say(En, "missing"); err == nil {
		t.Error("an unknown key said nothing wrong")
	}
	if got := good.Enum(En, "stage", "UP"); got != "Upstream" {
		t.Errorf("Enum: %q", got)
	}
	if got := good.Enum(Zh, "stage", "NEW"); got != "NEW" {
		t.Errorf("Enum of a value without an entry: %q", got)
	}
}
