package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/i18n"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/server"
)

// The planner's answers downloaded and printed agree, row by row, with what the store answers.
func TestPlannerExportsAndPages(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	srv := httptest.NewServer(server.New(server.Config{
		GraphQL: graph.NewHandler(db, graph.Options{}), Ready: db.Ping, Metrics: server.NewMetrics(), Exports: db, Reports: db,
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	get := func(t *testing.T, path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	readCSV := func(t *testing.T, path string) [][]string {
		t.Helper()
		resp, b := get(t, path)
		if resp.StatusCode != 200 || !bytes.HasPrefix(b, []byte("\uFEFF")) {
			t.Fatalf("GET %s = %d %.200s", path, resp.StatusCode, b)
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}

	t.Run("bad requests", func(t *testing.T) {
		for _, tc := range []struct {
			path     string
			code     int
			contains string
		}{
			{"/export/region-gaps.csv?regionCode=130600", 400, "regionCode and chainMapId are required"},
			{"/export/region-gaps.csv?regionCode=130600&chainMapId=hydrogen&thinAtMost=99", 400, "from 0 to 50"},
			{"/export/region-gaps.xlsx?regionCode=999999&chainMapId=hydrogen", 404, "no region 999999"},
			{"/export/scenario.csv", 400, "at least one of regionCodes"},
			{"/export/scenario.csv?regionCodes=130900,13", 400, `"13" is not a region code`},
			{"/export/scenario.csv?siteIds=no-such-site", 404, "no-such-site"},
			{"/export/changes.csv?from=2023-13", 400, "no month 13"},
			{"/export/changes.csv?from=2025&to=2024", 400, "is after to"},
			{"/report/region/130600", 400, "chainMapId are required"},
			{"/report/region/999999?chainMapId=hydrogen", 404, "no region 999999"},
			{"/report/scenario?enterpriseIds=Bad", 400, "is not an id"},
		} {
			resp, b := get(t, tc.path)
			if resp.StatusCode != tc.code || !strings.Contains(string(b), tc.contains) {
				t.Errorf("GET %s = %d %q, want %d containing %q", tc.path, resp.StatusCode, b, tc.code, tc.contains)
			}
		}
	})

	t.Run("region-gaps", func(t *testing.T) {
		want, err := db.RegionGaps(ctx, chainmap.RegionGapQuery{RegionCode: "130600", ChainMapID: "hydrogen", ThinAtMost: 1, First: chainmap.MaxCandidates})
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, g := range want.Gaps {
			n := 0
			for _, c := range g.FirmCandidates {
				rows, n = append(rows, g.Segment.ID+" FIRM "+c.Actor.ID), n+1
			}
			for _, c := range g.RDCandidates {
				rows, n = append(rows, g.Segment.ID+" RD "+c.Actor.ID), n+1
			}
			for _, p := range g.Parks {
				rows, n = append(rows, g.Segment.ID+" PARK "+p.Park.ID), n+1
			}
			if n == 0 {
				rows = append(rows, g.Segment.ID+"  ")
			}
		}
		recs := readCSV(t, "/export/region-gaps.csv?regionCode=130600&chainMapId=hydrogen")
		if !slices.Equal(recs[0], export.RegionGapColumns) {
			t.Fatalf("header %v", recs[0])
		}
		col := func(name string) int { return slices.Index(export.RegionGapColumns, name) }
		var got []string
		for _, r := range recs[1:] {
			got = append(got, r[col("segmentId")]+" "+r[col("list")]+" "+r[col("candidateId")])
			if r[col("list")] != "" && !strings.Contains(r[col("why")], "SEGMENT_FIT") {
				t.Errorf("row %v does not explain its score", r)
			}
		}
		if !slices.Equal(got, rows) {
			t.Errorf("rows\n got  %v\n want %v", got, rows)
		}
		resp, b := get(t, "/export/region-gaps.xlsx?regionCode=130600&chainMapId=hydrogen")
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if resp.StatusCode != 200 || err != nil {
			t.Fatalf("xlsx: %d %v", resp.StatusCode, err)
		}
		sheet, err := f.GetRows(f.GetSheetName(0))
		if err != nil || len(sheet) != len(recs) || sheet[1][col("candidateId")] != recs[1][col("candidateId")] {
			t.Errorf("xlsx: %d rows (csv %d), err %v", len(sheet), len(recs), err)
		}
	})

	t.Run("scenario", func(t *testing.T) {
		want, err := db.Scenario(ctx, chainmap.ScenarioQuery{RegionCodes: []string{"130900"}, First: chainmap.MaxRows, Alternatives: chainmap.DefaultAlts})
		if err != nil {
			t.Fatal(err)
		}
		recs := readCSV(t, "/export/scenario.csv?regionCodes=130900")
		sections := map[string]int{}
		for _, r := range recs[1:] {
			sections[r[1]]++
			if r[0] != "沧州市" {
				t.Errorf("row %v: removed %q, want 沧州市", r, r[0])
			}
		}
		if sections["SEGMENT"] != len(want.Segments) || sections["CUT_OFF"] != len(want.CutOff) || sections["ORPHANED_BOTTLENECK"] != len(want.OrphanedBottlenecks) ||
			sections["CUT_LINK"] != len(want.CutLinks) || sections["CHAIN"] != len(want.Chains) || len(want.CutLinks) == 0 {
			t.Errorf("sections %v; store: %d segments, %d cut off, %d orphaned, %d links, %d chains", sections, len(want.Segments), len(want.CutOff),
				len(want.OrphanedBottlenecks), len(want.CutLinks), len(want.Chains))
		}
		resp, b := get(t, "/report/scenario?regionCodes=130900")
		page := string(b)
		if resp.StatusCode != 200 || !strings.Contains(page, "北京现代汽车有限公司") || strings.Contains(page, "<script") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("scenario page: %d %.300s", resp.StatusCode, page)
		}
	})

	t.Run("changes", func(t *testing.T) {
		to := chainmap.DateOf(time.Now())
		want, err := db.ChangesSummary(ctx, chainmap.ChangesQuery{ChainMapID: "machine-tools", To: to, First: chainmap.MaxEvents})
		if err != nil {
			t.Fatal(err)
		}
		recs := readCSV(t, "/export/changes.csv?chainMapId=machine-tools")
		if !slices.Equal(recs[0], export.ChangesColumns) || len(recs)-1 != len(want.Events) || len(want.Events) == 0 {
			t.Fatalf("%d rows for %d events: %v", len(recs)-1, len(want.Events), recs[0])
		}
		for i, e := range want.Events {
			if r := recs[i+1]; r[0] != e.Date || r[1] != string(e.Kind) || r[3] != e.Label {
				t.Errorf("row %d %v, event %+v", i, r, e)
			}
		}
		// The chain report has the section, with the same newest change.
		resp, b := get(t, "/report/machine-tools?lang=en")
		if resp.StatusCode != 200 || !strings.Contains(string(b), "What changed since the map") || !strings.Contains(string(b), want.Events[0].Label) {
			t.Errorf("report: %d, no changes section with %q", resp.StatusCode, want.Events[0].Label)
		}
	})

	t.Run("region page", func(t *testing.T) {
		gaps, err := db.RegionGaps(ctx, chainmap.RegionGapQuery{RegionCode: "130600", ChainMapID: "hydrogen", ThinAtMost: 1, First: chainmap.DefaultCandidates})
		if err != nil {
			t.Fatal(err)
		}
		resp, b := get(t, "/report/region/130600?chainMapId=hydrogen")
		page := string(b)
		if resp.StatusCode != 200 || strings.Contains(page, "<script") {
			t.Fatalf("region page: %d", resp.StatusCode)
		}
		for _, want := range []string{"补链：本地缺什么，谁能补", "风险：若本地停摆", "本地的变化"} {
			if !strings.Contains(page, want) {
				t.Errorf("region page lacks %q", want)
			}
		}
		resp, en := get(t, "/report/region/130600?chainMapId=hydrogen&lang=en")
		for _, want := range []string{"What the region lacks, and who could fill it", "If the region stopped", "What changed in the region"} {
			if resp.StatusCode != 200 || !strings.Contains(string(en), want) {
				t.Errorf("the English region page (%d) lacks %q", resp.StatusCode, want)
			}
		}
		for _, g := range gaps.Gaps {
			if !strings.Contains(page, g.Segment.ID) {
				t.Errorf("region page lacks gap %s", g.Segment.ID)
			}
			for _, c := range g.FirmCandidates {
				for l, p := range map[i18n.Lang]string{i18n.Zh: page, i18n.En: string(en)} {
					if why := i18n.Why(l, c.Parts[0].Why); !strings.Contains(html.UnescapeString(p), why) {
						t.Errorf("the %s region page lacks the explanation of %s: %q", l, c.Actor.ID, why)
					}
				}
			}
		}
	})
}
