package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
)

// Importer is what the upload routes need from the store (neo4jdb.DB): what an upload would change, and
// applying it in one transaction with the change log.
type Importer interface {
	PreviewImport(ctx context.Context, imp chainmap.SheetImport) (chainmap.ImportResult, error)
	ApplyImport(ctx context.Context, imp chainmap.SheetImport, plan, author string) (chainmap.ImportResult, error)
}

// MaxImports is how many uploads are read and checked at once; more get 503 with Retry-After.
const MaxImports = 2

// maxUploadBody bounds an upload's request: the file (a seed file's limit) and the multipart framing around it.
const maxUploadBody = loader.MaxFileBytes + 64<<10

const importWriteTimeout = 5 * time.Minute

// importHandler serves POST /import/preview and /import/apply: an editor's spreadsheet (CSV or XLSX), as a
// multipart form (fields file and, for apply, plan) or as the raw body with ?name=enterprises.xlsx (and &plan=).
// It needs a bearer token with the editor role (editor), which a browser never sends by itself: a page of
// another site cannot make an editor's browser upload (no cookie is honoured here); requests that say they
// come from another origin are refused as well.
func importHandler(store Importer, editor func(*http.Request) (string, error), allowedOrigins []string, log *slog.Logger, apply bool) http.Handler {
	slots := make(chan struct{}, MaxImports)
	allowed := map[string]bool{}
	for _, o := range allowedOrigins {
		allowed[o] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r) && !allowed[origin] && !allowed["*"] {
			importError(w, http.StatusForbidden, chainmap.CodeForbidden, "uploads are accepted from this site's own pages only", nil)
			return
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			importError(w, http.StatusForbidden, chainmap.CodeForbidden, "uploads are accepted from this site's own pages only", nil)
			return
		}
		author, err := editor(r)
		if err != nil {
			code := chainmap.ErrorCode(err)
			status := http.StatusUnauthorized
			if code == chainmap.CodeForbidden {
				status = http.StatusForbidden
			} else {
				w.Header().Set("WWW-Authenticate", `Bearer realm="chainmap"`)
			}
			importError(w, status, code, err.Error(), nil)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			w.Header().Set("Retry-After", "5")
			importError(w, http.StatusServiceUnavailable, chainmap.CodeUnavailable, "too many uploads at once; retry shortly", nil)
			return
		}
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(importWriteTimeout))
		name, data, plan, status, msg := readUpload(w, r)
		if status != 0 {
			importError(w, status, chainmap.CodeBadUserInput, msg, nil)
			return
		}
		imp, err := loader.ReadUpload(name, data)
		if err == nil {
			if apply {
				var res chainmap.ImportResult
				res, err = store.ApplyImport(r.Context(), imp, plan, author)
				if err == nil {
					log.InfoContext(r.Context(), "spreadsheet applied", "file", name, "author", author, "added", res.Added,
						"changed", res.Changed, "changes", len(res.Changes))
					writeJSON(w, http.StatusOK, res)
					return
				}
			} else {
				var res chainmap.ImportResult
				if res, err = store.PreviewImport(r.Context(), imp); err == nil {
					writeJSON(w, http.StatusOK, res)
					return
				}
			}
		}
		failImport(w, r, log, err)
	})
}

func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// readUpload reads the file from the request: its name, bytes and the plan to apply; or a status and message.
func readUpload(w http.ResponseWriter, r *http.Request) (name string, data []byte, plan string, status int, msg string) {
	tooLarge := func() (string, []byte, string, int, string) {
		return "", nil, "", http.StatusRequestEntityTooLarge, fmt.Sprintf("the upload is larger than the %d MB a spreadsheet may be (split it)",
			loader.MaxFileBytes>>20)
	}
	if r.ContentLength > maxUploadBody {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	var maxErr *http.MaxBytesError
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return "", nil, "", http.StatusBadRequest, "cannot read the form: " + err.Error()
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if errors.As(err, &maxErr) {
				return tooLarge()
			}
			if err != nil {
				return "", nil, "", http.StatusBadRequest, "cannot read the form: " + err.Error()
			}
			b, err := io.ReadAll(part)
			if errors.As(err, &maxErr) {
				return tooLarge()
			}
			if err != nil {
				return "", nil, "", http.StatusBadRequest, "cannot read the form: " + err.Error()
			}
			switch part.FormName() {
			case "file":
				name, data = path.Base(part.FileName()), b
			case "plan":
				plan = strings.TrimSpace(string(b))
			}
		}
		if data == nil {
			return "", nil, "", http.StatusBadRequest, `the form has no file: send it in the field "file"`
		}
	} else {
		b, err := io.ReadAll(r.Body)
		if errors.As(err, &maxErr) {
			return tooLarge()
		}
		if err != nil {
			return "", nil, "", http.StatusBadRequest, "cannot read the upload: " + err.Error()
		}
		name, data, plan = path.Base(r.URL.Query().Get("name")), b, r.URL.Query().Get("plan")
		if r.URL.Query().Get("name") == "" {
			return "", nil, "", http.StatusBadRequest, "name the file: ?name=enterprises.xlsx (or send a multipart form)"
		}
	}
	if len(data) == 0 {
		return "", nil, "", http.StatusBadRequest, "the file is empty"
	}
	if len(data) > loader.MaxFileBytes {
		return tooLarge()
	}
	return name, data, plan, 0, ""
}

// failImport answers an upload the loader or the store refused.
func failImport(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var sheet *chainmap.SheetError
	var cmErr *chainmap.Error
	switch {
	case errors.As(err, &sheet):
		status := http.StatusBadRequest
		if sheet.Code == chainmap.CodeConflict {
			status = http.StatusConflict
		}
		importError(w, status, sheet.Code, sheet.Error(), sheet.Problems)
	case r.Context().Err() != nil:
		return
	case errors.Is(err, chainmap.ErrUnavailable), errors.Is(err, chainmap.ErrTimeout):
		w.Header().Set("Retry-After", "5")
		importError(w, http.StatusServiceUnavailable, chainmap.CodeUnavailable, "the graph database is unavailable; retry shortly", nil)
	case errors.As(err, &cmErr) && cmErr.Code == chainmap.CodeConflict:
		importError(w, http.StatusConflict, cmErr.Code, cmErr.Message, nil)
	case errors.As(err, &cmErr) && cmErr.Code == chainmap.CodeBadUserInput:
		importError(w, http.StatusBadRequest, cmErr.Code, cmErr.Error(), nil)
	default:
		log.ErrorContext(r.Context(), "upload failed", "path", r.URL.Path, "err", err)
		importError(w, http.StatusInternalServerError, chainmap.CodeInternal, "internal error", nil)
	}
}

// importError writes {"error": {"code", "message", "problems": [{sheet, row, column, cell, message}]}}.
func importError(w http.ResponseWriter, status int, code, msg string, problems []chainmap.SheetProblem) {
	if problems == nil {
		problems = []chainmap.SheetProblem{}
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg, "problems": problems}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
