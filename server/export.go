package server

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
)

// Exporter is what the export routes need from the store: lists and graphs streamed to a writer.
type Exporter = export.Store

// MaxExports is how many exports run at once; more get 503 with Retry-After, since each holds a Neo4j
// transaction open for as long as the download lasts.
const MaxExports = 4

// exportWriteTimeout replaces the server's write timeout for a download, which may take longer than a query.
const exportWriteTimeout = 10 * time.Minute

// exportHandler serves GET /export/{file}: the files of export.Files, with the list filters (or chainMapId)
// as query parameters.
func exportHandler(store Exporter, log *slog.Logger) http.Handler {
	slots := make(chan struct{}, MaxExports)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := export.Parse(r.PathValue("file"), r.URL.Query())
		switch {
		case errors.Is(err, export.ErrNoSuchExport):
			httpError(w, err.Error(), http.StatusNotFound)
			return
		case err != nil:
			httpError(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			w.Header().Set("Retry-After", "5")
			httpError(w, "too many exports at once; retry shortly", http.StatusServiceUnavailable)
			return
		}
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTimeout))
		sw := &startWriter{ResponseWriter: w, start: func(h http.Header) {
			h.Set("Content-Type", export.ContentType(req.Format))
			h.Set("Content-Disposition", `attachment; filename="`+req.File+`"`)
			h.Set("Cache-Control", "no-store")
		}}
		if err := req.Write(r.Context(), store, sw); err != nil {
			failExport(w, sw, r, log, err)
		}
	})
}

// failExport answers an export that failed: with a status when nothing was sent yet; otherwise by aborting the
// connection, so that the client sees a broken download rather than a file that looks complete.
func failExport(w http.ResponseWriter, sw *startWriter, r *http.Request, log *slog.Logger, err error) {
	if r.Context().Err() != nil {
		return // the client went away
	}
	if sw.started {
		log.ErrorContext(r.Context(), "export failed after it started; aborting the download", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	code, msg := http.StatusInternalServerError, "internal error"
	switch {
	case errors.Is(err, chainmap.ErrNotFound):
		code, msg = http.StatusNotFound, err.Error()
	case errors.Is(err, chainmap.ErrUnavailable):
		code, msg = http.StatusServiceUnavailable, "neo4j unavailable"
		w.Header().Set("Retry-After", "5")
	case errors.Is(err, chainmap.ErrBusy):
		code, msg = http.StatusServiceUnavailable, err.Error()
		w.Header().Set("Retry-After", "5")
	case errors.Is(err, chainmap.ErrTimeout):
		code, msg = http.StatusGatewayTimeout, "the export took too long"
	default:
		log.ErrorContext(r.Context(), "export failed", "path", r.URL.Path, "err", err)
	}
	httpError(w, msg, code)
}

// startWriter sets the response's headers on the first write, so that an export that fails before writing
// anything can still answer with an error status.
type startWriter struct {
	http.ResponseWriter
	start   func(http.Header)
	started bool
}

func (s *startWriter) Write(p []byte) (int, error) {
	if !s.started {
		s.started = true
		s.start(s.Header())
	}
	return s.ResponseWriter.Write(p)
}

func httpError(w http.ResponseWriter, msg string, code int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg + "\n"))
}
