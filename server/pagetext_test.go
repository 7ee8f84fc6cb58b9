package server

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/i18n"
)

// Every string of the printable pages has Chinese and English that take the same values, every key a template
// asks for is in the table, and every key of the table is asked for somewhere.
func TestPageText(t *testing.T) {
	for _, err := range pageText.Check() {
		t.Error(err)
	}
	templates := reportHTML + plannerHTML
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bt "([^"]+)"`).FindAllStringSubmatch(templates, -1) {
		used[m[1]] = true
		if _, ok := pageText[m[1]]; !ok {
			t.Errorf("a template asks for %q, which pageText lacks", m[1])
		}
	}
	groups := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bte "([^"]+)"`).FindAllStringSubmatch(templates, -1) {
		groups[m[1]] = true
	}
	var goSource strings.Builder
	for _, f := range []string{"report.go", "planner.go", "pages.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		goSource.Write(b)
	}
	for key := range pageText {
		group, _, _ := strings.Cut(key, ".")
		if used[key] || groups[group] || strings.Contains(goSource.String(), `"`+key+`"`) ||
			(group == "error" && strings.Contains(goSource.String(), `"error."+statusKey`)) {
			continue
		}
		t.Errorf("pageText has %q, which nothing asks for", key)
	}
}

// fakeReporter answers every question with one of everything, so that each page's every part is drawn.
type fakeReporter struct{}

var (
	fakeSeg  = chainmap.Named{ID: "h-cells", Name: "Fuel cells", NameZh: "燃料电池"}
	fakeFirm = chainmap.Named{ID: "sinohytec", Name: "SinoHytec", NameZh: "亿华通"}
	fakeReg  = chainmap.Named{ID: "130900", Name: "Cangzhou", NameZh: "沧州市"}
	fakeMap  = chainmap.Named{ID: "hydrogen", Name: "Hydrogen", NameZh: "氢能"}
	// fakeParts are a candidate's parts, whose reasons the region page says in its language.
	fakeParts = []chainmap.ScorePart{
		{Factor: chainmap.FactorDistance, Points: 3, Why: chainmap.Why{Reason: chainmap.WhyWithin, Count: 1, Place: fakeReg, Shared: fakeReg, Region: fakeReg}},
		{Factor: chainmap.FactorPastMoves, Points: 1, Why: chainmap.Why{Reason: chainmap.WhyMovesStated, Moves: []chainmap.PastMove{{Kind: chainmap.Relocation, Year: 2020, ToRegion: fakeReg}}}},
	}
)

func (fakeReporter) Report(_ context.Context, id string) (*chainmap.Report, error) {
	if id != "hydrogen" {
		return nil, fmt.Errorf("chain map %q: %w", id, chainmap.ErrNotFound)
	}
	item := chainmap.ReportItem{ID: "h-cells", Name: "Fuel cells", NameZh: "燃料电池", NameEn: "Fuel cell stacks", SourceIDs: []string{"s1"}}
	return &chainmap.Report{
		ChainMap:  chainmap.ReportItem{ID: "hydrogen", Name: "Hydrogen", NameZh: "氢能", SourceIDs: []string{"s1"}},
		Segments:  []chainmap.ReportSegment{{ReportItem: item, Stage: chainmap.Midstream, Order: 1, Firms: 3, OpenBottlenecks: 1, Feeds: []chainmap.Named{fakeSeg}}},
		Firms:     3,
		Provinces: []chainmap.ReportProvince{{Code: "110000", Name: "Beijing", NameZh: "北京市", Firms: 3, Synthetic: 1, Names: []chainmap.Named{fakeFirm}}},
		Bottlenecks: []chainmap.ReportBottleneck{{ReportItem: item, Kind: "CHOKEPOINT", Category: "MATERIAL", Severity: 4, Status: "IN_PROGRESS",
			Segments: []chainmap.Named{fakeSeg}, Tacklers: []chainmap.ReportTackler{{Named: fakeFirm, Since: 2021, Status: "IN_PROGRESS"}}}},
		Links: []chainmap.ReportLink{
			{ID: "l1", From: fakeFirm, To: fakeFirm, Enterprise: fakeFirm, FromRegion: fakeReg, ToRegion: fakeReg, Kind: "RELOCATION", Year: 2020, SourceIDs: []string{"s1"}},
			{ID: "l2", From: fakeFirm, To: fakeFirm, Derived: true},
		},
		LinksTotal: 3,
		Gaps:       []chainmap.CoverageGap{{SegmentID: "h-cells", Kind: "NO_FIRM_IN_REGION"}, {SegmentID: "h-cells", Kind: "RD_WITHOUT_MANUFACTURING"}},
		Indicators: []chainmap.ReportIndicator{{ReportItem: item, Unit: "亿元", Values: []chainmap.ReportValue{{Year: 2023, Value: 1.5, SourceIDs: []string{"s1"}}}}},
		Progress:   []chainmap.YearProgress{{Year: 2022, Started: 1, Open: 2, InProgress: 1, ResolvedSoFar: 1}},
		Sources:    []chainmap.Source{{ID: "s1", Title: "来源", Publisher: "市政府", URL: "https://example.org/s1", Date: "2015-01-01", Reliability: "OFFICIAL"}},
	}, nil
}

func (fakeReporter) RegionGaps(_ context.Context, q chainmap.RegionGapQuery) (*chainmap.RegionGaps, error) {
	parts := fakeParts
	cand := chainmap.GapCandidate{Rank: 1, Kind: chainmap.CandidateEnterprise, Actor: fakeFirm, ChainRole: "LEAD", Score: 4, Parts: parts}
	inst := chainmap.GapCandidate{Rank: 1, Kind: chainmap.CandidateInstitution, Actor: fakeFirm, Score: 4, Parts: parts}
	return &chainmap.RegionGaps{Region: fakeReg, ChainMap: fakeMap, Segments: 5, Held: 3, Gaps: []chainmap.SegmentGap{{
		Segment: fakeSeg, Order: 2, Status: "THIN", FirmsInRegion: 1, Firms: []chainmap.Named{fakeFirm}, OpenBottlenecks: 1,
		Upstream: []chainmap.GapNeighbour{{Segment: fakeSeg, FirmsInRegion: 2}}, Downstream: []chainmap.GapNeighbour{{Segment: fakeSeg}},
		FirmCandidates: []chainmap.GapCandidate{cand}, FirmCandidatesTotal: 4, RDCandidates: []chainmap.GapCandidate{inst}, RDCandidatesTotal: 1,
		Parks: []chainmap.ParkCandidate{{Rank: 1, Park: fakeFirm, Score: 2, Parts: parts}},
	}}}, nil
}

func (fakeReporter) Scenario(_ context.Context, q chainmap.ScenarioQuery) (*chainmap.Scenario, error) {
	return &chainmap.Scenario{
		Regions: []chainmap.Named{fakeReg}, StoppedEnterprises: 2, SegmentsLost: 1, CutOffTotal: 2, SegmentsTotal: 2, CutLinksTotal: 2,
		Segments: []chainmap.ScenarioSegment{{Segment: fakeSeg, ChainMapID: "hydrogen", Status: "LOST", FirmsBefore: 1, FirmsLost: 1,
			Left: []chainmap.Named{fakeFirm}, InstitutionsLeft: []chainmap.Named{fakeFirm}}},
		CutOff: []chainmap.CutOff{{Enterprise: fakeFirm, Segment: fakeSeg, SuppliersLost: []chainmap.Named{fakeFirm},
			Alternatives: []chainmap.ScenarioAlternative{{Name: "亿华通", RegionDistance: 1}, {Name: "Other", RegionDistance: -1}}}},
		OrphanedBottlenecks: []chainmap.OrphanedBottleneck{{Bottleneck: fakeSeg, Severity: 5, EnterprisesLost: []chainmap.Named{fakeFirm},
			EnterpriseAlts: []chainmap.Named{fakeFirm}, InstitutionAlts: []chainmap.Named{fakeFirm}}},
		OrphanedBottlenecksTotal: 1,
		CutLinks: []chainmap.CutLink{{Kind: "RD_TO_PRODUCTION", Derived: true, From: fakeFirm, To: fakeFirm, FromStops: true, ToStops: true,
			Standing: []chainmap.Named{fakeFirm}}},
		Chains: []chainmap.ScenarioChain{{ChainMapID: "hydrogen", ChainMap: fakeMap, SegmentsLost: 1}},
	}, nil
}

func (fakeReporter) ChangesSummary(_ context.Context, q chainmap.ChangesQuery) (*chainmap.ChangesSummary, error) {
	counts := &chainmap.ChangeCounts{FirmsAdded: 1, LinksMade: 2}
	return &chainmap.ChangesSummary{From: q.From, To: q.To, Totals: counts, Partial: true,
		ByYear:      []chainmap.ChangeGroup{{Key: "2024", Counts: counts}},
		Events:      []chainmap.ChangeEvent{{Date: "2024", Kind: chainmap.FirmAdded, Origin: chainmap.FromChangeLog, Label: "亿华通", Note: chainmap.ChangeNote{Kind: chainmap.NoteStatusStep, From: "OPEN", To: "IN_PROGRESS"}, Author: "eve"}},
		EventsTotal: 3}, nil
}

// Each page, drawn from the fake store in each language, says everything in that language: no string of the
// other language's table, no fmt complaint, the <html lang> of the language.
func TestPagesInEachLanguage(t *testing.T) {
	mux := http.NewServeMux()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux.Handle("GET /report/{chainMapId}", reportHandler(fakeReporter{}, log))
	mux.Handle("GET /report/region/{code}", regionPageHandler(fakeReporter{}, log))
	mux.Handle("GET /report/scenario", scenarioPageHandler(fakeReporter{}, log))
	// Strings long enough that one language's cannot occur in the other's page by chance.
	distinct := func(l i18n.Lang) []string {
		var out []string
		for key, e := range pageText {
			if s := e.In(l); len([]rune(s)) > 12 && !strings.Contains(s, "%") && e.Zh != e.En && !strings.HasPrefix(key, "error.") {
				out = append(out, s)
			}
		}
		return out
	}
	for _, path := range []string{"/report/hydrogen", "/report/region/130900?chainMapId=hydrogen", "/report/scenario?regionCodes=130900&chainMapId=hydrogen"} {
		for _, l := range i18n.Langs {
			other := i18n.Zh
			if l == i18n.Zh {
				other = i18n.En
			}
			t.Run(path+" "+string(l), func(t *testing.T) {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+sepOf(path)+"lang="+string(l), nil))
				page := rec.Body.String()
				if rec.Code != 200 {
					t.Fatalf("%d %.300s", rec.Code, page)
				}
				if !strings.Contains(page, `<html lang="`+l.HTML()+`">`) || rec.Header().Get("Content-Language") != string(l) {
					t.Errorf("not marked as %s", l)
				}
				if strings.Contains(page, "%!") {
					t.Errorf("a string was formatted with the wrong values: %s", page[strings.Index(page, "%!")-80:][:200])
				}
				unescaped := html.UnescapeString(page)
				for _, s := range distinct(other) {
					if strings.Contains(unescaped, s) {
						t.Errorf("the %s page has the %s %q", l, other, s)
					}
				}
				if strings.HasPrefix(path, "/report/region/") {
					for _, p := range fakeParts {
						if why := i18n.Why(l, p.Why); !strings.Contains(unescaped, why) {
							t.Errorf("the %s page lacks the reason %q", l, why)
						}
					}
				}
				if l == i18n.En && regexp.MustCompile(`<(h[123]|th|legend|figcaption)[^>]*>[^<]*\p{Han}`).MatchString(page) {
					t.Errorf("the English page has a Chinese heading: %s", regexp.MustCompile(`<(h[123]|th|legend|figcaption)[^>]*>[^<]*\p{Han}[^<]*`).FindString(page))
				}
			})
		}
	}
}

func sepOf(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
