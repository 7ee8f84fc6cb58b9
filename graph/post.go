package graph

// GraphQL over POST without the work done twice: the body checkHTTP read and decoded is not read and decoded
// again, and the response's data is copied into the body once instead of being compacted again by
// json.Marshal. The answers are gqlgen's transport.POST's, byte for byte (TestPostAnswersAsGqlgenDoes).

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

type paramsKey struct{}

// withParams gives the request the parameters checkHTTP decoded from its body, for post.
func withParams(r *http.Request, p *graphql.RawParams) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), paramsKey{}, p))
}

// decodeParams decodes a POST body as gqlgen's transport does (numbers kept as json.Number), or says no when
// the body is anything but one JSON object that decodes so: checkBody then says what is wrong, or gqlgen does.
func decodeParams(body []byte) (*graphql.RawParams, bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var p graphql.RawParams
	if err := dec.Decode(&p); err != nil || dec.InputOffset() != int64(len(body)) {
		return nil, false
	}
	return &p, true
}

// post is gqlgen's POST transport for the requests checkHTTP decoded; the others it hands to gqlgen's.
type post struct{ transport.POST }

func (t post) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	params, ok := r.Context().Value(paramsKey{}).(*graphql.RawParams)
	if !ok {
		t.POST.Do(w, r, exec)
		return
	}
	ctx := r.Context()
	contentType := responseContentType(r.Header.Get("Accept"))
	w.Header().Add("Content-Type", contentType)
	p := *params
	p.Headers = r.Header
	now := graphql.Now()
	p.ReadTime = graphql.TraceTiming{Start: now, End: now}
	rc, errs := exec.CreateOperationContext(ctx, &p)
	if errs != nil {
		w.WriteHeader(statusFor(contentType, errs))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseContentType is gqlgen's choice of the response's media type from the Accept header.
func responseContentType(accept string) string {
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// statusFor is gqlgen's status for an operation that could not start: 422 (400 under
// application/graphql-response+json) for errors in the request, else 200.
func statusFor(contentType string, errs gqlerror.List) int {
	switch {
	case errcode.GetErrorKind(errs) != errcode.KindProtocol:
		return http.StatusOK
	case contentType == mediaGraphQLResponse:
		return http.StatusBadRequest
	default:
		return http.StatusUnprocessableEntity
	}
}

var bodies = sync.Pool{New: func() any { return new([]byte) }}

// writeResponse writes resp as json.Marshal would, in one Write. Responses with the fields of incremental
// delivery, which plain POST does not send, go through json.Marshal.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		b, err := json.Marshal(resp)
		if err != nil {
			panic(err)
		}
		_, _ = w.Write(b)
		return
	}
	bp := bodies.Get().(*[]byte)
	b := append((*bp)[:0], '{')
	if len(resp.Errors) > 0 {
		b = appendField(append(b, `"errors":`...), resp.Errors)
		b = append(b, ',')
	}
	b = append(b, `"data":`...)
	if resp.Data == nil {
		b = append(b, "null"...)
	} else {
		b = appendData(b, resp.Data)
	}
	if len(resp.Extensions) > 0 {
		b = appendField(append(b, `,"extensions":`...), resp.Extensions)
	}
	b = append(b, '}')
	_, _ = w.Write(b)
	if cap(b) <= 1<<16 { // keep the common sizes, let a rare large body go
		*bp = b
		bodies.Put(bp)
	}
}

func appendField(b []byte, v any) []byte {
	enc, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return append(b, enc...)
}

const hexDigits = "0123456789abcdef"

// appendData appends JSON as json.Marshal appends a json.RawMessage: without whitespace between tokens, and
// with <, >, & and U+2028/U+2029 escaped as \u003c and so on. Unlike json.Marshal it does not validate: data
// comes from gqlgen's marshallers.
func appendData(dst, src []byte) []byte {
	start := 0
	inString, escaped := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			dst = append(dst, src[start:i]...)
			start = i + 1
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[src[i+2]&0xF])
			i += 2
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}
