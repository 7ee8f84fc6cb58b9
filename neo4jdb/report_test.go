package neo4jdb_test

import (
	"cmp"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

func TestReport(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	r, err := db.Report(ctx, "hydrogen")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments, %d firms in %d provinces, %d open bottlenecks, %d/%d links, %d gaps, %d indicators, %d years, %d sources",
		len(r.Segments), r.Firms, len(r.Provinces), len(r.Bottlenecks), len(r.Links), r.LinksTotal, len(r.Gaps), len(r.Indicators),
		len(r.Progress), len(r.Sources))
	if r.ChainMap.NameZh == "" || len(r.Segments) == 0 || len(r.Provinces) == 0 || len(r.Bottlenecks) == 0 ||
		len(r.Links) == 0 || len(r.Indicators) == 0 || len(r.Sources) == 0 || len(r.Progress) == 0 {
		t.Fatalf("a section is empty: %+v", r)
	}
	// Upstream first.
	rank := map[chainmap.Stage]int{chainmap.Upstream: 0, chainmap.Midstream: 1, chainmap.Downstream: 2}
	for i := 1; i < len(r.Segments); i++ {
		if rank[r.Segments[i].Stage] < rank[r.Segments[i-1].Stage] {
			t.Errorf("segment %s (%s) after %s (%s)", r.Segments[i].ID, r.Segments[i].Stage, r.Segments[i-1].ID, r.Segments[i-1].Stage)
		}
	}
	for i, b := range r.Bottlenecks {
		if b.Status == chainmap.Resolved || i > 0 && b.Severity > r.Bottlenecks[i-1].Severity {
			t.Errorf("bottleneck %d: %s %s severity %d out of order", i, b.ID, b.Status, b.Severity)
		}
	}
	// The names the report shows beside its records carry both languages, as the graph has them, so that a page
	// in English can name each in English and a page in Chinese in Chinese.
	segments := map[string]chainmap.ReportSegment{}
	for _, s := range r.Segments {
		segments[s.ID] = s
	}
	bilingual := 0
	for _, s := range r.Segments {
		for _, f := range s.Feeds {
			want, ok := segments[f.ID]
			if ok && (f.Name != want.Name || f.NameZh != want.NameZh) {
				t.Errorf("segment %s feeds %+v, which the graph names %q / %q", s.ID, f, want.Name, want.NameZh)
			}
			if f.Name != "" && f.NameZh != "" {
				bilingual++
			}
		}
	}
	for _, l := range r.Links {
		if l.From.ID == "" || l.To.ID == "" || l.FromRegion.ID == "" || l.ToRegion.Name == "" || l.ToRegion.NameZh == "" {
			t.Errorf("link %s: an end or region without its id or names: %+v", l.ID, l)
		}
	}
	for _, b := range r.Bottlenecks {
		for _, tk := range b.Tacklers {
			if tk.ID == "" || tk.Label() == tk.ID {
				t.Errorf("bottleneck %s: tackler %+v without a name", b.ID, tk)
			}
		}
	}
	if bilingual == 0 {
		t.Error("no segment feeds another with both its names")
	}

	// Every source cited anywhere is listed.
	listed := map[string]bool{}
	for _, s := range r.Sources {
		listed[s.ID] = true
	}
	for _, b := range r.Bottlenecks {
		for _, id := range b.SourceIDs {
			if !listed[id] {
				t.Errorf("bottleneck %s cites %s, which the report does not list", b.ID, id)
			}
		}
	}
	// The progress of the last year matches the statuses now.
	want := map[chainmap.BottleneckStatus]int{}
	for _, row := range neo4jtest.Query(t, `MATCH (:ChainMap {id: 'hydrogen'})-[:HAS_SEGMENT]->()<-[:CONSTRAINS]-(b:Bottleneck)
		WITH DISTINCT b RETURN b.status AS s, count(*) AS n`, nil) {
		want[chainmap.BottleneckStatus(row["s"].(string))] = int(row["n"].(int64))
	}
	last := r.Progress[len(r.Progress)-1]
	if last.ResolvedSoFar != want[chainmap.Resolved] || last.InProgress+last.Open != want[chainmap.InProgress]+want[chainmap.Open] {
		t.Errorf("last year %+v, statuses now %v", last, want)
	}

	if _, err := db.Report(ctx, "no-such-map"); !errors.Is(err, chainmap.ErrNotFound) {
		t.Errorf("Report(no-such-map) = %v, want not found", err)
	}

	// Every chain map's links are the API's list of them (the report reads stated and derived links apart, the
	// derived ones in site order, and counts the derived ones from the maintained aggregates): stated first, by
	// year then id, then derived by their ids; the total is the list's count.
	sel := &chainmap.Selection{Kind: chainmap.KindRDLink, Fields: []chainmap.SelectedField{{Key: "id", Name: "id"},
		{Key: "derived", Name: "derived"}, {Key: "year", Name: "year"}}}
	for _, m := range neo4jtest.Query(t, `MATCH (m:ChainMap) RETURN m.id AS id ORDER BY id`, nil) {
		id := m["id"].(string)
		r, err := db.Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.RDLinks(ctx, chainmap.RDLinkQuery{Filter: chainmap.RDLinkFilter{ChainMapID: &id}, Page: chainmap.Page{First: 1000}},
			chainmap.ListRequest{Node: sel, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		var want []*chainmap.RDLink
		for _, it := range page.Items {
			want = append(want, it.Item.(*chainmap.RDLink))
		}
		slices.SortStableFunc(want, func(a, b *chainmap.RDLink) int {
			year := func(l *chainmap.RDLink) int { return cmp.Or(l.Year, 9999) }
			if a.Derived != b.Derived {
				return map[bool]int{false: -1, true: 1}[a.Derived]
			}
			if a.Derived {
				return cmp.Compare(a.ID, b.ID)
			}
			return cmp.Or(cmp.Compare(year(a), year(b)), cmp.Compare(a.ID, b.ID))
		})
		var got, wanted []string
		for _, l := range r.Links {
			got = append(got, l.ID)
		}
		for _, l := range want {
			wanted = append(wanted, l.ID)
		}
		if len(want) != page.Total { // the count from the maintained aggregates against the links listed
			t.Errorf("%s: the list counts %d links and lists %d", id, page.Total, len(want))
		}
		if strings.Join(got, " ") != strings.Join(wanted, " ") || r.LinksTotal != page.Total {
			t.Errorf("%s: report links %v of %d, want the list's %v of %d", id, got, r.LinksTotal, wanted, page.Total)
		}
		if r.LinksTotal == 0 {
			t.Errorf("%s: no links: nothing compared", id)
		}
	}
}

// TestBottleneckProgressFollowsStatusChanges sets a status through the API's mutation and sees the year move.
func TestBottleneckProgressFollowsStatusChanges(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	id := neo4jtest.Query(t, `MATCH (:ChainMap {id: 'robots'})-[:HAS_SEGMENT]->()<-[:CONSTRAINS]-(b:Bottleneck)
		WHERE b.status <> 'RESOLVED' RETURN b.id AS id ORDER BY id LIMIT 1`, nil)[0]["id"].(string)
	before, err := db.BottleneckProgress(ctx, "robots")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetBottleneckStatus(ctx, id, chainmap.Resolved, "test", "tester"); err != nil {
		t.Fatal(err)
	}
	after, err := db.BottleneckProgress(ctx, "robots")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) == 0 {
		t.Fatalf("no progress after resolving %s", id)
	}
	last := after[len(after)-1]
	if last.ResolvedInYear < 1 || len(before) > 0 && last.ResolvedSoFar != before[len(before)-1].ResolvedSoFar+1 && last.Year == before[len(before)-1].Year {
		t.Errorf("after resolving %s: %+v (before: %+v)", id, last, before)
	}

	// Reopened the same year, it ends the year open again, still counts as resolved within it, and no longer as
	// taken on (it left OPEN only to come back).
	if _, err := db.SetBottleneckStatus(ctx, id, chainmap.Open, "test: reopened", "tester"); err != nil {
		t.Fatal(err)
	}
	reopened, err := db.BottleneckProgress(ctx, "robots")
	if err != nil {
		t.Fatal(err)
	}
	r := reopened[len(reopened)-1]
	if want := (chainmap.YearProgress{Year: last.Year, Started: last.Started - 1, ResolvedInYear: last.ResolvedInYear,
		Open: last.Open + 1, InProgress: last.InProgress, ResolvedSoFar: last.ResolvedSoFar - 1}); r != want {
		t.Errorf("after reopening %s: %+v, want %+v", id, r, want)
	}
}

// TestChainMapProgress reads ChainMap.progress for every chain map, in the one statement of a chain-map read,
// and finds the report's BottleneckProgress: from the seeds, and again after dated status changes.
func TestChainMapProgress(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	sel := &chainmap.Selection{Kind: chainmap.KindChainMap, Fields: []chainmap.SelectedField{{Key: "id", Name: "id"},
		{Key: "progress", Name: "progress", Sel: &chainmap.Selection{Kind: chainmap.KindYearProgress,
			Fields: []chainmap.SelectedField{{Key: "year", Name: "year"}}}}}}
	same := func(t *testing.T) map[string][]chainmap.YearProgress {
		t.Helper()
		maps, err := db.ChainMaps(ctx, sel)
		if err != nil {
			t.Fatal(err)
		}
		if len(maps) != 6 {
			t.Fatalf("%d chain maps, want 6", len(maps))
		}
		out := map[string][]chainmap.YearProgress{}
		for _, c := range maps {
			want, err := db.BottleneckProgress(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Progress, want) {
				t.Errorf("%s: progress\n%+v\nBottleneckProgress\n%+v", c.ID, c.Progress, want)
			}
			out[c.ID] = c.Progress
		}
		return out
	}

	seeded := same(t)
	// Counted by hand from seeds/actors/cyber-iiot.yaml: ten bottlenecks, six IN_PROGRESS and four OPEN; the
	// only dates are two tacklers' since 2021, so one year, in which the four undated IN_PROGRESS count too.
	want := []chainmap.YearProgress{{Year: 2021, Started: 6, Open: 4, InProgress: 6}}
	if got := seeded["cyber-iiot"]; !reflect.DeepEqual(got, want) {
		t.Errorf("cyber-iiot: got %+v, want %+v", got, want)
	}

	// Dated changes through the API move the years on; the field still follows the report.
	for _, id := range []string{"cy-bn-eda", "cy-bn-cpu-foreign"} {
		if _, err := db.SetBottleneckStatus(ctx, id, chainmap.Resolved, "test", "tester"); err != nil {
			t.Fatal(err)
		}
	}
	year := neo4jtest.Query(t, `MATCH (:Bottleneck {id: 'cy-bn-eda'})-[:HAS_STATUS_CHANGE]->(c:StatusChange)
		RETURN toInteger(substring(c.at, 0, 4)) AS year`, nil)[0]["year"].(int64)
	changed := same(t)["cyber-iiot"]
	last := changed[len(changed)-1]
	if int64(last.Year) != year || last.ResolvedSoFar != 2 || last.ResolvedInYear != 2 || last.Open+last.InProgress != 8 {
		t.Errorf("after resolving two in %d: %+v", year, changed)
	}

	if p, err := db.BottleneckProgress(ctx, "no-such-map"); err != nil || p != nil {
		t.Errorf("BottleneckProgress(no-such-map) = %v, %v; want nothing", p, err)
	}
}
