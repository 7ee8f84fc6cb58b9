package graph

// The guard on the HTTP request itself: method, media type, body shape and transport, answered before
// GraphQL sees the request.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/chainmap/chainmap"
)

// Codes of errors about the HTTP request itself, answered before GraphQL sees it.
const (
	CodeBadRequest           = chainmap.CodeBadRequest
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	// CodeWrongTransport: a subscription sent as a plain request, or a query or mutation sent on a stream.
	CodeWrongTransport = "WRONG_TRANSPORT"
)

// checkHTTP answers requests that are not GraphQL over HTTP before gqlgen sees them, with a 4xx status and an
// extensions.code: methods other than GET and POST (405), POST bodies that are not application/json (415),
// bodies that are not one JSON object with a string query and object variables (400: batches are refused),
// and mutations over GET (405). It logs the reason and the size, never the body.
func checkHTTP(log *slog.Logger, lim Limits, docs graphql.Cache[*ast.QueryDocument], next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code, format string, args ...any) {
			msg := fmt.Sprintf(format, args...)
			log.InfoContext(r.Context(), "malformed request", "method", r.Method, "status", status, "reason", msg,
				"content_type", r.Header.Get("Content-Type"), "content_length", r.ContentLength)
			writeError(w, status, code, msg)
		}
		var query, opName string
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			query, opName = q.Get("query"), q.Get("operationName")
			if v := q.Get("variables"); v != "" && !isJSONObject([]byte(v)) {
				fail(http.StatusBadRequest, CodeBadRequest, "variables must be a JSON object")
				return
			}
			if e := q.Get("extensions"); e != "" && !isJSONObject([]byte(e)) {
				fail(http.StatusBadRequest, CodeBadRequest, "extensions must be a JSON object")
				return
			}
			if operationKind(query, opName, lim, docs) == ast.Mutation {
				w.Header().Set("Allow", "POST")
				fail(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "mutations must be sent with POST")
				return
			}
		case http.MethodPost:
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				fail(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "send the request as Content-Type: application/json")
				return
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					fail(http.StatusRequestEntityTooLarge, chainmap.CodeBadUserInput, "request body too large: the limit is %d bytes", tooLarge.Limit)
					return
				}
				fail(http.StatusBadRequest, CodeBadRequest, "could not read the request body")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if p, ok := decodeParams(body); ok {
				query, opName = p.Query, p.OperationName
				r = withParams(r, p) // post answers it without decoding the body again
				break
			}
			if msg := checkBody(body); msg != "" {
				fail(http.StatusBadRequest, CodeBadRequest, "%s", msg)
				return
			}
			var req struct{ Query, OperationName string }
			_ = json.Unmarshal(body, &req)
			query, opName = req.Query, req.OperationName
		default:
			w.Header().Set("Allow", "GET, POST")
			fail(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use GET or POST")
			return
		}
		// The operation must suit the transport: a subscription on a plain request would hold an admission
		// slot for nothing, a query on a stream would escape it. (A WebSocket's operations come later, in
		// its messages; the handler checks those.)
		if kind := operationKind(query, opName, lim, docs); kind != "" && !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			if stream := isStreamRequest(r); stream != (kind == ast.Subscription) {
				e := wrongTransport(string(kind))
				fail(http.StatusBadRequest, CodeWrongTransport, "%s", e.Message)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkBody says what is wrong with a POST body, or "" when it is one GraphQL request.
func checkBody(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		return "batched requests are not supported: send one request per POST"
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil || req == nil {
		return "the body is not a JSON object"
	}
	for name, want := range map[string]string{"query": "string", "operationName": "string", "variables": "object", "extensions": "object"} {
		v, ok := req[name]
		if !ok || string(v) == "null" {
			continue
		}
		if (want == "string" && v[0] != '"') || (want == "object" && v[0] != '{') {
			return fmt.Sprintf("%s must be a JSON %s", name, want)
		}
	}
	return ""
}

func isJSONObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && m != nil
}

// operationKind tells the kind of the operation a request would run ("" when it does not tell: no query
// text, as with a persisted query's hash, or one that does not parse or is too large, which gqlgen and the
// guard report). It reads a query gqlgen has seen from docs, gqlgen's cache of parsed and validated queries,
// and parses the others; it never adds to docs, which would skip gqlgen's validation.
func operationKind(query, name string, lim Limits, docs graphql.Cache[*ast.QueryDocument]) ast.Operation {
	if query == "" || len(query) > lim.MaxQueryBytes {
		return ""
	}
	doc, ok := docs.Get(context.Background(), query)
	if !ok {
		var err error
		if doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, lim.ParserTokenLimit); err != nil {
			return ""
		}
	}
	if op := doc.Operations.ForName(name); op != nil {
		return op.Operation
	}
	return ""
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
