package server

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
)

// The planner's printable pages: a region's page for one chain (/report/region/{code}?chainMapId=: what it
// lacks and whom to call, what the chain would lose if it stopped, what changed in it) and a scenario
// (/report/scenario?regionCodes=…&enterpriseIds=…&siteIds=…&chainMapId=…), with the parameters of the exports.
// Like the chain report, each is one self-contained page that prints to A4.

//go:embed planner.html
var plannerHTML string

// plannerFuncs are the functions of the planner's templates (the chain report parses them too).
var plannerFuncs = template.FuncMap{
	"labels": func(ns []chainmap.Named) string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.Label()
		}
		return strings.Join(out, "、")
	},
}

var plannerTemplate = template.Must(template.New("planner").Funcs(plannerFuncs).Parse(plannerHTML))

// regionPage is what the region page shows.
type regionPage struct {
	Gaps      *chainmap.RegionGaps
	Exposure  *chainmap.Scenario
	Changes   *chainmap.ChangesSummary
	Thin      int
	Generated string
}

// scenarioPage is what the scenario page shows.
type scenarioPage struct {
	Scenario  *chainmap.Scenario
	Removed   string
	ChainMap  string
	Generated string
}

// regionPageHandler serves GET /report/region/{code}?chainMapId=&thinAtMost=&first=.
func regionPageHandler(store Reporter, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("regionCode", r.PathValue("code"))
		if !q.Has("first") {
			q.Set("first", fmt.Sprint(chainmap.DefaultCandidates)) // a page shows the first few; the download has them all
		}
		gq, err := export.RegionGapQuery(q)
		if err != nil {
			httpError(w, err.Error(), http.StatusBadRequest)
			return
		}
		now := time.Now()
		page := regionPage{Thin: gq.ThinAtMost, Generated: now.UTC().Format("2006-01-02 15:04 UTC")}
		err = func() (err error) {
			ctx := r.Context()
			if page.Gaps, err = store.RegionGaps(ctx, gq); err != nil || page.Gaps == nil {
				return cmpErr(err, fmt.Errorf("no region %s or no chain map %s: %w", gq.RegionCode, gq.ChainMapID, chainmap.ErrNotFound))
			}
			if page.Exposure, err = store.Scenario(ctx, chainmap.ScenarioQuery{RegionCodes: []string{gq.RegionCode}, ChainMapID: gq.ChainMapID,
				First: 20, Alternatives: 3}); err != nil {
				return err
			}
			page.Changes, err = store.ChangesSummary(ctx, chainmap.ChangesQuery{ChainMapID: gq.ChainMapID, RegionCode: gq.RegionCode,
				To: chainmap.DateOf(now), First: 30})
			return err
		}()
		writePage(w, r, log, err, "region", page)
	})
}

// scenarioPageHandler serves GET /report/scenario with the parameters of /export/scenario.csv.
func scenarioPageHandler(store Reporter, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sq, err := export.ScenarioQuery(r.URL.Query())
		if err != nil {
			httpError(w, err.Error(), http.StatusBadRequest)
			return
		}
		sq.First = chainmap.DefaultRows
		page := scenarioPage{ChainMap: sq.ChainMapID, Generated: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
		page.Scenario, err = store.Scenario(r.Context(), sq)
		if err == nil && len(page.Scenario.Unknown) > 0 {
			err = fmt.Errorf("no region, enterprise or site %s in the graph: %w", strings.Join(page.Scenario.Unknown, ", "), chainmap.ErrNotFound)
		}
		if err == nil {
			var removed []string
			for _, g := range page.Scenario.Regions {
				removed = append(removed, g.Label())
			}
			page.Removed = strings.Join(append(append(removed, sq.EnterpriseIDs...), sq.SiteIDs...), "、")
		}
		writePage(w, r, log, err, "scenario", page)
	})
}

// writePage answers with the page, or with the status an error calls for.
func writePage(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error, name string, data any) {
	switch {
	case errors.Is(err, chainmap.ErrNotFound):
		httpError(w, err.Error(), http.StatusNotFound)
		return
	case errors.Is(err, chainmap.ErrUnavailable):
		w.Header().Set("Retry-After", "5")
		httpError(w, "neo4j unavailable", http.StatusServiceUnavailable)
		return
	case errors.Is(err, chainmap.ErrTimeout):
		httpError(w, "the page took too long to read", http.StatusGatewayTimeout)
		return
	case err != nil:
		log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
		httpError(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := plannerTemplate.ExecuteTemplate(&buf, name, data); err != nil {
		log.ErrorContext(r.Context(), "page template", "path", r.URL.Path, "err", err)
		httpError(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	_, _ = w.Write(buf.Bytes())
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
