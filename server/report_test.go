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
	get := func(path string) (int, http.Header, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}

	code, h, page := get("/report/hydrogen")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %v %.300s", code, h, page)
	}
	for _, want := range []string{"氢能产业链", "Segments, upstream → downstream", "Firms by province", "Open bottlenecks by severity",
		"Progress over time", "<svg", "R&amp;D → manufacturing links", "Coverage gaps", "Indicators", "Sources", "@media print"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report has no %q", want)
		}
	}
	// Upstream before midstream before downstream.
	if u, m, d := strings.Index(page, "上游 Upstream"), strings.Index(page, "中游 Midstream"), strings.Index(page, "下游 Downstream"); !(u > 0 && u < m && m < d) {
		t.Errorf("stages out of order: %d %d %d", u, m, d)
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
	if newest == "" || !strings.Contains(page, "Data as of <b>"+newest+"</b>") {
		t.Errorf("the report does not give its data's date as %q", newest)
	}
	if rows, asOf := strings.Count(page, `<span class="sev sev-`), strings.Count(page, `<td class="asof">`); rows == 0 || rows != asOf {
		t.Errorf("%d bottleneck rows, %d with an as-of cell", rows, asOf)
	}

	if code, _, _ := get("/report/no-such-map"); code != 404 {
		t.Errorf("unknown chain map: %d", code)
	}
	if code, _, _ := get("/report/Bad%20Id"); code != 400 {
		t.Errorf("bad id: %d", code)
	}
}
