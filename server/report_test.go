package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/server"
)

func TestReportRoute(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	srv := httptest.NewServer(server.New(server.Config{Ready: db.Ping, Metrics: server.NewMetrics(), Reports: db}))
	t.Cleanup(srv.Close)
	get := func(path string, header ...string) (int, http.Header, string) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}

	// In Chinese unless asked otherwise (a client that says no language, like this one).
	code, h, page := get("/report/hydrogen")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("Content-Language") != "zh" {
		t.Fatalf("%d %v %.300s", code, h, page)
	}
	for _, want := range []string{`<html lang="zh-CN">`, "氢能产业链", "产业链环节：上游 → 下游", "企业分布（按省）", "卡点堵点（按严重程度）",
		"攻关进展", "<svg", "北京研发 → 津冀制造", "覆盖缺口", "区域指标", "资料来源", "@media print"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report has no %q", want)
		}
	}
	// Upstream before midstream before downstream.
	if u, m, d := strings.Index(page, "<h3>上游</h3>"), strings.Index(page, "<h3>中游</h3>"), strings.Index(page, "<h3>下游</h3>"); !(u > 0 && u < m && m < d) {
		t.Errorf("stages out of order: %d %d %d", u, m, d)
	}
	// In English when the address, the explorer's cookie or the browser asks for it; the address first.
	for _, tc := range []struct {
		name, path string
		header     []string
		want       string
	}{
		{"lang=en", "/report/hydrogen?lang=en", nil, "en"},
		{"the cookie", "/report/hydrogen", []string{"Cookie", "chainmap_lang=en"}, "en"},
		{"Accept-Language", "/report/hydrogen", []string{"Accept-Language", "en-GB,en;q=0.9,zh;q=0.5"}, "en"},
		{"lang=zh over the cookie", "/report/hydrogen?lang=zh", []string{"Cookie", "chainmap_lang=en"}, "zh"},
	} {
		code, h, en := get(tc.path, tc.header...)
		if code != 200 || h.Get("Content-Language") != tc.want {
			t.Errorf("%s: %d, in %q, want %s", tc.name, code, h.Get("Content-Language"), tc.want)
		}
		if tc.want != "en" {
			continue
		}
		for _, want := range []string{`<html lang="en">`, "Hydrogen", "Segments, upstream → downstream", "Firms by province", "Open bottlenecks by severity",
			"Progress over time", "R&amp;D → manufacturing links", "Coverage gaps", "Indicators", "Sources"} {
			if !strings.Contains(en, want) {
				t.Errorf("%s: the English report has no %q", tc.name, want)
			}
		}
		if u, m, d := strings.Index(en, "<h3>Upstream</h3>"), strings.Index(en, "<h3>Midstream</h3>"), strings.Index(en, "<h3>Downstream</h3>"); !(u > 0 && u < m && m < d) {
			t.Errorf("%s: stages out of order: %d %d %d", tc.name, u, m, d)
		}
	}
	// No outside resource: no script, stylesheet link, image or font from elsewhere.
	if regexp.MustCompile(`<script|<link|<img|<iframe|@import|url\(`).MatchString(page) {
		t.Error("the report loads something")
	}
	// Every citation points at a listed source, and every listed source is cited.
	cited := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="#(src-\d+)"`).FindAllStringSubmatch(page, -1) {
		cited[m[1]] = true
	}
	listed := regexp.MustCompile(`<li id="(src-\d+)"`).FindAllStringSubmatch(page, -1)
	if len(listed) == 0 {
		t.Fatal("no source listed")
	}
	for _, m := range listed {
		if !cited[m[1]] {
			t.Errorf("source %s is listed but never cited", m[1])
		}
		delete(cited, m[1])
	}
	if len(cited) > 0 {
		t.Errorf("citations of unlisted sources: %v", cited)
	}

	// The report says how fresh it is: the newest date among its sources, and each bottleneck's own.
	newest := ""
	for _, li := range regexp.MustCompile(`<li id="src-\d+">(.*?)</li>`).FindAllStringSubmatch(page, -1) {
		if m := regexp.MustCompile(`, (\d{4}(?:-\d\d){0,2})`).FindStringSubmatch(li[1]); m != nil {
			newest = max(newest, m[1])
		}
	}
	if newest == "" || !strings.Contains(page, "数据截至 <b>"+newest+"</b>") {
		t.Errorf("the report does not give its data's date as %q", newest)
	}
	if rows, asOf := strings.Count(page, `<span class="sev sev-`), strings.Count(page, `<td class="asof">`); rows == 0 || rows != asOf {
		t.Errorf("%d bottleneck rows, %d with an as-of cell", rows, asOf)
	}

	// Errors are pages in the reader's language too.
	for _, tc := range []struct {
		path   string
		code   int
		header []string
		want   string
	}{
		{"/report/no-such-map", 404, nil, "没有编号为 no-such-map 的产业链图谱"},
		{"/report/no-such-map?lang=en", 404, nil, "There is no chain map no-such-map"},
		{"/report/Bad%20Id", 400, nil, "“Bad Id”不是产业链图谱的编号"},
		{"/report/Bad%20Id", 400, []string{"Accept-Language", "en"}, "“Bad Id” is not a chain map id"},
	} {
		code, h, body := get(tc.path, tc.header...)
		if code != tc.code || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(body, tc.want) {
			t.Errorf("%s %v: %d %s, want %d with %q: %.400s", tc.path, tc.header, code, h.Get("Content-Type"), tc.code, tc.want, body)
		}
	}
}
