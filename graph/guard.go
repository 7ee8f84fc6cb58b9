package graph

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
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
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

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	pick(&l.MaxDepth, d.MaxDepth)
	pick(&l.MaxComplexity, d.MaxComplexity)
	pick(&l.ParserTokenLimit, d.ParserTokenLimit)
	pick(&l.MaxQueryBytes, d.MaxQueryBytes)
	pick(&l.MaxFields, d.MaxFields)
	pick(&l.MaxAliases, d.MaxAliases)
	pick(&l.MaxFragmentSpreads, d.MaxFragmentSpreads)
	pick(&l.MaxRepeats, d.MaxRepeats)
	pick(&l.MaxListItems, d.MaxListItems)
	pick(&l.MaxStringBytes, d.MaxStringBytes)
	return l
}

// refuse is a BAD_USER_INPUT error about the shape of the query, with a reason clients can switch on.
func refuse(reason, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": chainmap.CodeBadUserInput, "reason": reason}
	return err
}

// queryGuard bounds the size and shape of a query before gqlgen parses and validates it: validation (the
// overlapping-fields rule above all) costs time exponential in nested fragment spreads and quadratic in fields
// sharing a response name, so those are counted first, in one linear pass with fragments memoised.
type queryGuard struct {
	lim    Limits
	passed graphql.Cache[struct{}] // query texts already counted and found within the limits
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*queryGuard)(nil)

func newQueryGuard(lim Limits) *queryGuard {
	return &queryGuard{lim: lim, passed: lru.New[struct{}](1000)}
}

func (*queryGuard) ExtensionName() string                   { return "QueryGuard" }
func (*queryGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g *queryGuard) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Query) > g.lim.MaxQueryBytes {
		return refuse("QUERY_TOO_LARGE", "the query is %d bytes; the limit is %d", len(p.Query), g.lim.MaxQueryBytes)
	}
	if _, ok := g.passed.Get(ctx, p.Query); ok || p.Query == "" {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, g.lim.ParserTokenLimit)
	if err != nil {
		return nil // a syntax error or too many tokens: gqlgen's parser reports it, at the same (linear) cost
	}
	if err := g.count(doc); err != nil {
		return err
	}
	g.passed.Add(ctx, p.Query, struct{}{})
	return nil
}

// count checks a parsed document against the limits on spreads, aliases, fields (fragments expanded) and
// fields sharing one response name in one selection set.
func (g *queryGuard) count(doc *ast.QueryDocument) *gqlerror.Error {
	c := &counter{lim: g.lim, frags: map[string]*ast.FragmentDefinition{}, size: map[string]int{}, keys: map[string]map[string]int{}}
	for _, f := range doc.Fragments {
		c.frags[f.Name] = f
	}
	var sets []ast.SelectionSet
	for _, op := range doc.Operations {
		sets = append(sets, op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		sets = append(sets, f.SelectionSet)
	}
	// Raw counts: every selection set once, as written.
	for len(sets) > 0 {
		set := sets[len(sets)-1]
		sets = sets[:len(sets)-1]
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Alias != "" && s.Alias != s.Name {
					c.aliases++
				}
				sets = append(sets, s.SelectionSet)
			case *ast.InlineFragment:
				sets = append(sets, s.SelectionSet)
			case *ast.FragmentSpread:
				c.spreads++
			}
		}
		if c.err == nil {
			c.repeats(set)
		}
	}
	switch {
	case c.spreads > g.lim.MaxFragmentSpreads:
		return refuse("TOO_MANY_FRAGMENT_SPREADS", "the query has %d fragment spreads; the limit is %d", c.spreads, g.lim.MaxFragmentSpreads)
	case c.aliases > g.lim.MaxAliases:
		return refuse("TOO_MANY_ALIASES", "the query has %d aliases; the limit is %d", c.aliases, g.lim.MaxAliases)
	case c.err != nil:
		return c.err
	}
	total := 0
	for _, op := range doc.Operations {
		total = c.add(total, c.setSize(op.SelectionSet))
	}
	for _, f := range doc.Fragments {
		total = c.add(total, c.fragSize(f.Name))
	}
	if c.err != nil {
		return c.err
	}
	if total > g.lim.MaxFields {
		return refuse("TOO_MANY_FIELDS", "the query selects more than %d fields once its fragments are expanded", g.lim.MaxFields)
	}
	return nil
}

type counter struct {
	lim              Limits
	frags            map[string]*ast.FragmentDefinition
	size             map[string]int            // expanded field count of each fragment; -1 while being counted
	keys             map[string]map[string]int // response names at a fragment's top level, with multiplicity
	spreads, aliases int
	err              *gqlerror.Error
}

// add sums field counts, saturating just past the limit so that a fragment bomb cannot overflow an int.
func (c *counter) add(a, b int) int { return min(a+b, c.lim.MaxFields+1) }

func (c *counter) setSize(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n = c.add(n, c.add(1, c.setSize(s.SelectionSet)))
		case *ast.InlineFragment:
			n = c.add(n, c.setSize(s.SelectionSet))
		case *ast.FragmentSpread:
			n = c.add(n, c.fragSize(s.Name))
		}
	}
	return n
}

func (c *counter) fragSize(name string) int {
	if n, ok := c.size[name]; ok {
		if n < 0 && c.err == nil {
			c.err = refuse("FRAGMENT_CYCLE", "fragment %s spreads itself", name)
		}
		return max(n, 0)
	}
	f := c.frags[name]
	if f == nil {
		return 0 // validation reports the unknown fragment
	}
	c.size[name] = -1
	n := c.setSize(f.SelectionSet)
	c.size[name] = n
	return n
}

// repeats refuses a selection set in which one response name is selected more than MaxRepeats times,
// counting the fields that fragments at this level bring.
func (c *counter) repeats(set ast.SelectionSet) {
	for key, n := range c.setKeys(set, map[string]bool{}) {
		if n > c.lim.MaxRepeats {
			c.err = refuse("TOO_MANY_REPEATS", "%q is selected %d times in one selection set; the limit is %d", key, n, c.lim.MaxRepeats)
			return
		}
	}
}

func (c *counter) setKeys(set ast.SelectionSet, visiting map[string]bool) map[string]int {
	keys := map[string]int{}
	merge := func(m map[string]int) {
		for k, n := range m {
			keys[k] = min(keys[k]+n, c.lim.MaxRepeats+1)
		}
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			keys[key] = min(keys[key]+1, c.lim.MaxRepeats+1)
		case *ast.InlineFragment:
			merge(c.setKeys(s.SelectionSet, visiting))
		case *ast.FragmentSpread:
			merge(c.fragKeys(s.Name, visiting))
		}
	}
	return keys
}

func (c *counter) fragKeys(name string, visiting map[string]bool) map[string]int {
	if m, ok := c.keys[name]; ok {
		return m
	}
	f := c.frags[name]
	if f == nil || visiting[name] {
		return nil // unknown fragments and cycles are reported elsewhere
	}
	visiting[name] = true
	m := c.setKeys(f.SelectionSet, visiting)
	delete(visiting, name)
	c.keys[name] = m
	return m
}

// inputGuard checks every input value, variables and literals alike, after gqlgen has coerced them: enum values
// spelled exactly as the schema spells them (gqlparser accepts any case), lists and strings within the limits,
// and no control or bidirectional-override characters in strings.
type inputGuard struct {
	lim    Limits
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = inputGuard{}

func (inputGuard) ExtensionName() string                   { return "InputGuard" }
func (inputGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g inputGuard) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	var err error
	for _, vd := range oc.Operation.VariableDefinitions {
		if err = g.variable("$"+vd.Variable, oc.Variables[vd.Variable], vd.Type, g.schema.Types[vd.Type.Name()]); err != nil {
			break
		}
	}
	if err == nil {
		err = g.literals(oc)
	}
	if err != nil {
		return &gqlerror.Error{Message: err.Error(), Err: err} // presentError gives it its code and field
	}
	return nil
}

// variable checks a coerced variable value against its declared type. def is the definition of the type's
// named type; input objects are walked through their fields' definitions, which gqlparser links.
func (g inputGuard) variable(path string, v any, t *ast.Type, def *ast.Definition) error {
	if v == nil || t == nil {
		return nil
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return g.variable(path, v, t.Elem, def) // a single value where a list is expected
		}
		if len(list) > g.lim.MaxListItems {
			return chainmap.Invalid(path, "has %d items; the limit is %d", len(list), g.lim.MaxListItems)
		}
		for i, item := range list {
			if err := g.variable(fmt.Sprintf("%s[%d]", path, i), item, t.Elem, def); err != nil {
				return err
			}
		}
		return nil
	}
	if def == nil {
		if s, ok := v.(string); ok {
			return g.str(path, s)
		}
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		s, _ := v.(string)
		return g.enum(path, s, def)
	case ast.InputObject:
		m, _ := v.(map[string]any)
		for _, f := range def.Fields {
			if err := g.variable(path+"."+f.Name, m[f.Name], f.Type, g.schema.Types[f.Type.Name()]); err != nil {
				return err
			}
		}
	default:
		if s, ok := v.(string); ok {
			return g.str(path, s)
		}
	}
	return nil
}

func (g inputGuard) enum(path, s string, def *ast.Definition) error {
	if def.EnumValues.ForName(s) != nil {
		return nil
	}
	names := make([]string, len(def.EnumValues))
	for i, v := range def.EnumValues {
		names[i] = v.Name
	}
	return chainmap.Invalid(path, "%q is not a %s; use one of %s, spelled as here", s, def.Name, strings.Join(names, ", "))
}

func (g inputGuard) str(path, s string) error {
	if len(s) > g.lim.MaxStringBytes {
		return chainmap.Invalid(path, "is %d bytes long; the limit is %d", len(s), g.lim.MaxStringBytes)
	}
	// The characters no text may hold are the domain's rule (seed files are held to it too).
	if at, r, what := chainmap.BadCharacter(s); what != "" {
		return chainmap.Invalid(path, "contains %s (U+%04X) at character %d", what, r, utf8.RuneCountInString(s[:at])+1)
	}
	return nil
}

// literals checks the values written in the query text: those on the operation's fields and on the fields of
// the fragments it uses, each fragment once.
func (g inputGuard) literals(oc *graphql.OperationContext) error {
	seen := map[string]bool{}
	sets := []ast.SelectionSet{oc.Operation.SelectionSet}
	for len(sets) > 0 {
		set := sets[len(sets)-1]
		sets = sets[:len(sets)-1]
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, a := range s.Arguments {
					if err := g.literal(s.Alias+"("+a.Name+")", a.Value); err != nil {
						return err
					}
				}
				sets = append(sets, s.SelectionSet)
			case *ast.InlineFragment:
				sets = append(sets, s.SelectionSet)
			case *ast.FragmentSpread:
				if f := oc.Doc.Fragments.ForName(s.Name); f != nil && !seen[s.Name] {
					seen[s.Name] = true
					sets = append(sets, f.SelectionSet)
				}
			}
		}
	}
	return nil
}

func (g inputGuard) literal(path string, v *ast.Value) error {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return g.str(path, v.Raw)
	case ast.EnumValue:
		if v.Definition != nil && v.Definition.Kind == ast.Enum {
			return g.enum(path, v.Raw, v.Definition)
		}
	case ast.ListValue:
		if len(v.Children) > g.lim.MaxListItems {
			return chainmap.Invalid(path, "has %d items; the limit is %d", len(v.Children), g.lim.MaxListItems)
		}
		for i, c := range v.Children {
			if err := g.literal(fmt.Sprintf("%s[%d]", path, i), c.Value); err != nil {
				return err
			}
		}
	case ast.ObjectValue:
		for _, c := range v.Children {
			if err := g.literal(path+"."+c.Name, c.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkHTTP answers requests that are not GraphQL over HTTP before gqlgen sees them, with a 4xx status and an
// extensions.code: methods other than GET and POST (405), POST bodies that are not application/json (415),
// bodies that are not one JSON object with a string query and object variables (400: batches are refused),
// and mutations over GET (405). It logs the reason and the size, never the body.
func checkHTTP(log *slog.Logger, lim Limits, next http.Handler) http.Handler {
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
			if operationKind(query, opName, lim) == ast.Mutation {
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
			if msg := checkBody(body); msg != "" {
				fail(http.StatusBadRequest, CodeBadRequest, "%s", msg)
				return
			}
			var req struct{ Query, OperationName string }
			_ = json.Unmarshal(body, &req)
			query, opName = req.Query, req.OperationName
			r.Body = io.NopCloser(bytes.NewReader(body))
		default:
			w.Header().Set("Allow", "GET, POST")
			fail(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use GET or POST")
			return
		}
		// The operation must suit the transport: a subscription on a plain request would hold an admission
		// slot for nothing, a query on a stream would escape it. (A WebSocket's operations come later, in
		// its messages; the handler checks those.)
		if kind := operationKind(query, opName, lim); kind != "" && !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
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
// guard report).
func operationKind(query, name string, lim Limits) ast.Operation {
	if query == "" || len(query) > lim.MaxQueryBytes {
		return ""
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, lim.ParserTokenLimit)
	if err != nil {
		return ""
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
