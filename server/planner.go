package server

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
	"github.com/chainmap/chainmap/i18n"
)

// The planner's printable pages: a region's page for one chain (/report/region/{code}?chainMapId=: what it
// lacks and whom to call, what the chain would lose if it stopped, what changed in it) and a scenario
// (/report/scenario?regionCodes=…&enterpriseIds=…&siteIds=…&chainMapId=…), with the parameters of the exports.
// Like the chain report, each is one self-contained page that prints to A4.

//go:embed planner.html
var plannerHTML string

// plannerTemplates are the planner's pages (and the printable pages' error page) in each language.
var plannerTemplates = pageTemplates("planner", nil, plannerHTML)

// regionPage is what the region page shows.
type regionPage struct {
	Gaps      *chainmap.RegionGaps
	Exposure  *chainmap.Scenario
	Changes   *chainmap.ChangesSummary
	Thin      int
	Generated string
	Langs     []langLink
}

// scenarioPage is what the scenario page shows.
type scenarioPage struct {
	Scenario  *chainmap.Scenario
	Removed   string
	ChainMap  string
	Generated string
	Langs     []langLink
}

// regionPageHandler serves GET /report/region/{code}?chainMapId=&thinAtMost=&first=.
func regionPageHandler(store Reporter, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Del(i18n.Param) // the page's language, not a question
		q.Set("regionCode", r.PathValue("code"))
		if !q.Has("first") {
			q.Set("first", fmt.Sprint(chainmap.DefaultCandidates)) // a page shows the first few; the download has them all
		}
		gq, err := export.RegionGapQuery(q)
		if err != nil {
			pageError(w, r, log, http.StatusBadRequest, err.Error(), "error.badRequest")
			return
		}
		now := time.Now()
		page := regionPage{Thin: gq.ThinAtMost, Generated: now.UTC().Format("2006-01-02 15:04 UTC"), Langs: langLinks(r, i18n.FromRequest(r))}
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
		q := r.URL.Query()
		q.Del(i18n.Param) // the page's language, not a question
		sq, err := export.ScenarioQuery(q)
		if err != nil {
			pageError(w, r, log, http.StatusBadRequest, err.Error(), "error.badRequest")
			return
		}
		sq.First = chainmap.DefaultRows
		page := scenarioPage{ChainMap: sq.ChainMapID, Generated: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Langs: langLinks(r, i18n.FromRequest(r))}
		page.Scenario, err = store.Scenario(r.Context(), sq)
		if err == nil && len(page.Scenario.Unknown) > 0 {
			err = fmt.Errorf("no region, enterprise or site %s in the graph: %w", strings.Join(page.Scenario.Unknown, ", "), chainmap.ErrNotFound)
		}
		if err == nil {
			lang := i18n.FromRequest(r)
			var removed []string
			for _, g := range page.Scenario.Regions {
				if lang == i18n.En {
					removed = append(removed, cmpOr(g.Name, g.Label()))
				} else {
					removed = append(removed, g.Label())
				}
			}
			sep := "、"
			if lang == i18n.En {
				sep = ", "
			}
			page.Removed = strings.Join(append(append(removed, sq.EnterpriseIDs...), sq.SiteIDs...), sep)
		}
		writePage(w, r, log, err, "scenario", page)
	})
}

// writePage answers with the page, or with the error page err calls for.
func writePage(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error, name string, data any) {
	if err != nil {
		writeError(w, r, log, err, "error.notFound")
		return
	}
	lang := i18n.FromRequest(r)
	var buf bytes.Buffer
	if err := plannerTemplates[lang].ExecuteTemplate(&buf, name, data); err != nil {
		log.ErrorContext(r.Context(), "page template", "path", r.URL.Path, "err", err)
		pageError(w, r, log, http.StatusInternalServerError, "", "error.internal")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(lang))
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	_, _ = w.Write(buf.Bytes())
}

// writeError answers with the error page a store's error calls for; notFound (with its values) is the
// message of chainmap.ErrNotFound.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error, notFound string, args ...any) {
	switch {
	case errors.Is(err, chainmap.ErrNotFound):
		pageError(w, r, log, http.StatusNotFound, err.Error(), notFound, args...)
	case errors.Is(err, chainmap.ErrUnavailable):
		w.Header().Set("Retry-After", "5")
		pageError(w, r, log, http.StatusServiceUnavailable, "neo4j unavailable", "error.unavailable")
	case errors.Is(err, chainmap.ErrBusy):
		w.Header().Set("Retry-After", "5")
		pageError(w, r, log, http.StatusServiceUnavailable, err.Error(), "error.busy")
	case errors.Is(err, chainmap.ErrTimeout):
		pageError(w, r, log, http.StatusGatewayTimeout, "the page took too long to read", "error.timeout")
	default:
		log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
		pageError(w, r, log, http.StatusInternalServerError, "", "error.internal")
	}
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
