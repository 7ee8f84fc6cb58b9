package server

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
	"github.com/chainmap/chainmap/i18n"
)

// Reporter is what the report routes need from the store: the chain report, and the planner's answers for
// its "what changed" section and for the region and scenario pages.
type Reporter interface {
	Report(ctx context.Context, chainMapID string) (*chainmap.Report, error)
	export.PlannerStore
}

//go:embed report.html
var reportHTML string

// reportTemplates are the report's templates in each language; its "what changed" section is drawn by the
// planner pages' template of it.
var reportTemplates = pageTemplates("report", template.FuncMap{
	"add1": func(i int) int { return i + 1 },
	"num": func(v float64) string {
		if v == float64(int64(v)) {
			return fmt.Sprintf("%d", int64(v))
		}
		return fmt.Sprintf("%.2f", v)
	},
}, reportHTML, plannerHTML)

// reportPage is what the template reads: the report plus the citation numbers and the chart.
type reportPage struct {
	*chainmap.Report
	Generated string
	Stages    []stageColumn
	GapNames  map[string]string
	Cite      func(ids []string) template.HTML
	// AsOf is the date of the newest dated source among ids: how fresh a row's facts are.
	AsOf  func(ids []string) string
	Chart template.HTML
	// DataAsOf is the newest source date in the report; Stale counts the cited sources over five years older.
	DataAsOf string
	Stale    int
	// Changes is what changed since the map was published (or 2023): the newest changes and the counts.
	Changes *chainmap.ChangesSummary
	// Langs is the page's language switch.
	Langs []langLink
}

type stageColumn struct {
	Stage    chainmap.Stage
	Segments []chainmap.ReportSegment
}

// reportHandler serves GET /report/{chainMapId}: the printable report of a chain map, one HTML page with
// no outside resources.
func reportHandler(store Reporter, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("chainMapId")
		if !chainmap.ValidID(id) {
			pageError(w, r, log, http.StatusBadRequest, "", "error.badChainId", id)
			return
		}
		rep, err := store.Report(r.Context(), id)
		if err != nil {
			writeError(w, r, log, err, "error.noChainMap", id)
			return
		}
		lang := i18n.FromRequest(r)
		now := time.Now()
		page := newReportPage(rep, now, lang)
		page.Langs = langLinks(r, lang)
		if page.Changes, err = store.ChangesSummary(r.Context(), chainmap.ChangesQuery{ChainMapID: id, To: chainmap.DateOf(now), First: 30}); err != nil {
			writeError(w, r, log, err, "error.noChainMap", id)
			return
		}
		var buf bytes.Buffer
		if err := reportTemplates[lang].Execute(&buf, page); err != nil {
			log.ErrorContext(r.Context(), "report template", "chainMapId", id, "err", err)
			pageError(w, r, log, http.StatusInternalServerError, "", "error.internal")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Language", string(lang))
		w.Header().Set("Cache-Control", "no-cache")
		// The page is self-contained: nothing may load from elsewhere.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
		_, _ = w.Write(buf.Bytes())
	})
}

func newReportPage(rep *chainmap.Report, now time.Time, lang i18n.Lang) reportPage {
	num := map[string]int{}
	for i, s := range rep.Sources {
		num[s.ID] = i + 1
	}
	p := reportPage{Report: rep, Generated: now.UTC().Format("2006-01-02 15:04 UTC"), GapNames: map[string]string{}}
	date := map[string]string{}
	for _, s := range rep.Sources {
		date[s.ID] = s.Date
		p.DataAsOf = max(p.DataAsOf, s.Date)
		if s.Date != "" && s.Date[:4] < fmt.Sprint(now.Year()-5) {
			p.Stale++
		}
	}
	p.AsOf = func(ids []string) string {
		newest := ""
		for _, id := range ids {
			newest = max(newest, date[id])
		}
		return newest
	}
	p.Cite = func(ids []string) template.HTML {
		var parts []string
		for _, id := range ids {
			if n, ok := num[id]; ok {
				parts = append(parts, fmt.Sprintf(`<a href="#src-%d">%d</a>`, n, n))
			}
		}
		if len(parts) == 0 {
			return ""
		}
		return template.HTML(`<sup class="cite">[` + strings.Join(parts, ", ") + `]</sup>`)
	}
	for _, st := range chainmap.Stages {
		col := stageColumn{Stage: st}
		for _, s := range rep.Segments {
			if s.Stage == st {
				col.Segments = append(col.Segments, s)
			}
		}
		p.Stages = append(p.Stages, col)
	}
	for _, s := range rep.Segments {
		if lang == i18n.En {
			p.GapNames[s.ID] = cmpOr(s.NameEn, cmpOr(s.Name, s.NameZh))
		} else {
			p.GapNames[s.ID] = cmpOr(s.NameZh, s.Name)
		}
	}
	p.Chart = progressChart(rep.Progress, lang)
	return p
}

// progressChart draws the bottlenecks per year as stacked bars (resolved, in progress, open) in inline SVG.
func progressChart(years []chainmap.YearProgress, lang i18n.Lang) template.HTML {
	if len(years) == 0 {
		return ""
	}
	const barW, gap, h, top, bottom, left = 36, 14, 160, 10, 24, 30
	total := 1
	for _, y := range years {
		total = max(total, y.Open+y.InProgress+y.ResolvedSoFar)
	}
	width := left + len(years)*(barW+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		template.HTMLEscapeString(pageText["chart.label"].In(lang)), width, h+top+bottom, width, h+top+bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555"/>`, left, top+h, width, top+h)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" text-anchor="end">%d</text><text x="%d" y="%d" font-size="10" text-anchor="end">0</text>`,
		left-4, top+8, total, left-4, top+h)
	for i, y := range years {
		x := left + gap + i*(barW+gap)
		base := top + h
		for _, part := range []struct {
			n     int
			class string
			label string
		}{{y.ResolvedSoFar, "resolved", pageText["progress.RESOLVED"].In(lang)}, {y.InProgress, "progress", pageText["progress.IN_PROGRESS"].In(lang)},
			{y.Open, "open", pageText["progress.OPEN"].In(lang)}} {
			if part.n == 0 {
				continue
			}
			ph := part.n * h / total
			base -= ph
			fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d"><title>%d: %d %s</title></rect>`,
				part.class, x, base, barW, ph, y.Year, part.n, template.HTMLEscapeString(part.label))
			if ph >= 12 {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" text-anchor="middle" fill="#fff">%d</text>`, x+barW/2, base+ph/2+4, part.n)
			}
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" text-anchor="middle">%d</text>`, x+barW/2, top+h+14, y.Year)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
