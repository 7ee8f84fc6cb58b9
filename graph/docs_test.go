package graph

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// The statements of docs/api.md marked ✔, checked against the code.

func apiDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the table that follows the first line of the doc containing start (up to the first line after
// it that is not a table row), or, when no table follows before the next heading, the text up to that heading.
func section(t *testing.T, doc, start string) string {
	t.Helper()
	i := strings.Index(doc, start)
	if i < 0 {
		t.Fatalf("docs/api.md has no %q", start)
	}
	rest := doc[i+len(start):]
	if j := strings.Index(rest, "\n#"); j >= 0 {
		rest = rest[:j]
	}
	lines := strings.Split(rest, "\n")
	var table []string
	for _, line := range lines {
		if strings.HasPrefix(line, "|") {
			table = append(table, line)
		} else if len(table) > 0 {
			break
		}
	}
	if len(table) == 0 {
		return rest
	}
	return strings.Join(table, "\n")
}

// tableRows returns the cells of the table rows of text, header and rule left out.
func tableRows(text string) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), " | ") {
			cells = append(cells, strings.TrimSpace(c))
		}
		out = append(out, cells)
	}
	if len(out) > 0 {
		out = out[1:] // the header
	}
	return out
}

// sourceStrings collects, from the non-test Go files of the folders, the first group of every match of re.
func sourceStrings(t *testing.T, re *regexp.Regexp, dirs ...string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "generated.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				out[m[1]] = true
			}
		}
	}
	return out
}

func sameSet(t *testing.T, what string, doc []string, code map[string]bool) {
	t.Helper()
	inDoc := map[string]bool{}
	for _, c := range doc {
		inDoc[strings.Trim(c, "`")] = true
	}
	for c := range code {
		if !inDoc[c] {
			t.Errorf("docs/api.md: the %s table lacks %s, which the server sends", what, c)
		}
	}
	for c := range inDoc {
		if !code[c] {
			t.Errorf("docs/api.md: the %s table lists %s, which no code sends", what, c)
		}
	}
}

// TestDocErrorCodes: the table of codes lists every extensions.code the server sends — the domain's
// (errors.go), the transport's (guard_http.go), none else.
func TestDocErrorCodes(t *testing.T) {
	codes := sourceStrings(t, regexp.MustCompile(`\bCode[A-Za-z]+\s*=\s*"([A-Z_]+)"`), "..", ".")
	if len(codes) < 10 {
		t.Fatalf("found only %d codes in the source: %v", len(codes), codes)
	}
	var doc []string
	for _, row := range tableRows(section(t, apiDoc(t), "✔ Codes")) {
		doc = append(doc, row[0])
	}
	sameSet(t, "codes", doc, codes)
}

// TestDocReasons: the table of reasons lists every extensions.reason: our refusals (graph, server), and the
// codes of gqlgen that the error presenter turns into reasons.
func TestDocReasons(t *testing.T) {
	reasons := sourceStrings(t, regexp.MustCompile(`(?:refuse\(|"reason":\s*"?|\\"reason\\":\\")"?([A-Z][A-Z_]+)`), ".", "../server")
	for _, c := range []string{errcode.ParseFailed, errcode.ValidationFailed, "COMPLEXITY_LIMIT_EXCEEDED", "PERSISTED_QUERY_NOT_FOUND"} {
		reasons[c] = true // gqlgen's (the last two are unexported constants of its extension package)
	}
	if !reasons["QUERY_TOO_LARGE"] || !reasons["RESPONSE_TOO_LARGE"] || !reasons["PERSISTED_QUERY_INVALID"] {
		t.Fatalf("the source scan missed reasons: %v", reasons)
	}
	var doc []string
	for _, row := range tableRows(section(t, apiDoc(t), "✔ Reasons")) {
		doc = append(doc, row[0])
	}
	sameSet(t, "reasons", doc, reasons)
}

// pageDefault is the page size a list gives when not asked for one: the default of its `first` in the schema,
// which must be the same on every list (the test fails where one differs or has none). The planner's and the
// analyses' questions whose first is a budget of its own, not a page, are left out.
func pageDefault(t *testing.T) int {
	t.Helper()
	budgets := map[string]bool{"Query.supplyPaths": true, "Query.regionChainGaps": true, "Query.scenario": true,
		"Query.changesSummary": true}
	lists := map[string][]string{}
	for _, typ := range parsedSchema.Types {
		for _, f := range typ.Fields {
			name := typ.Name + "." + f.Name
			if a := f.Arguments.ForName("first"); a != nil && !budgets[name] {
				def := "none"
				if a.DefaultValue != nil {
					def = a.DefaultValue.Raw
				}
				lists[def] = append(lists[def], name)
			}
		}
	}
	if len(lists) != 1 || lists["none"] != nil {
		t.Fatalf("the lists' first should share one default in the schema; by default: %v", lists)
	}
	var def string
	for d, names := range lists {
		if def = d; len(names) < 10 {
			t.Fatalf("only %d lists with first found (%v): the schema walk is broken", len(names), names)
		}
	}
	n, err := strconv.Atoi(def)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDocLimits: the limits table gives the defaults the server has.
func TestDocLimits(t *testing.T) {
	d := DefaultLimits
	want := map[string]string{
		"depth": strconv.Itoa(d.MaxDepth), "complexity": strconv.Itoa(d.MaxComplexity),
		"parser tokens": strconv.Itoa(d.ParserTokenLimit), "query bytes": strconv.Itoa(d.MaxQueryBytes),
		"fields, fragments expanded": strconv.Itoa(d.MaxFields), "aliases": strconv.Itoa(d.MaxAliases),
		"fragment spreads": strconv.Itoa(d.MaxFragmentSpreads), "fields sharing one name in a selection": strconv.Itoa(d.MaxRepeats),
		"items of an input list": strconv.Itoa(d.MaxListItems), "bytes of an input string": strconv.Itoa(d.MaxStringBytes),
		"page size (`first`)": strconv.Itoa(maxPage) + " (default " + strconv.Itoa(pageDefault(t)) + ")",
	}
	rows := tableRows(section(t, apiDoc(t), "✔ Limits"))
	seen := map[string]bool{}
	for _, row := range rows {
		if w, ok := want[row[0]]; !ok {
			t.Errorf("docs/api.md limits: %q is no limit the test knows", row[0])
		} else if row[1] != w {
			t.Errorf("docs/api.md limits: %s = %s, the server's default is %s", row[0], row[1], w)
		}
		seen[row[0]] = true
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("docs/api.md limits: %s missing", name)
		}
	}
	if PersistedQueryCacheSize != 1000 || !strings.Contains(apiDoc(t), "last 1,000 queries") {
		t.Errorf("docs/api.md says each process keeps the last 1,000 persisted queries; the cache holds %d", PersistedQueryCacheSize)
	}
}

// TestDocComplexityExamples: each worked example costs what the doc says, computed as the server does.
func TestDocComplexityExamples(t *testing.T) {
	cfg := Config{Resolvers: &Resolver{}}
	complexity(&cfg.Complexity)
	es := NewExecutableSchema(cfg)
	rows := tableRows(section(t, apiDoc(t), "✔ Worked examples"))
	if len(rows) < 3 {
		t.Fatalf("only %d worked examples", len(rows))
	}
	for _, row := range rows {
		q := strings.Trim(row[0], "`")
		doc, err := gqlparser.LoadQuery(es.Schema(), q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		got := gqlcomplexity.Calculate(context.Background(), es, doc.Operations[0], nil)
		if strconv.Itoa(got) != row[1] {
			t.Errorf("docs/api.md: %s costs %s; the server computes %d", q, row[1], got)
		}
	}
}

// TestDocSchemaChangelog: every root field and type the changelog says was added exists.
func TestDocSchemaChangelog(t *testing.T) {
	s := NewExecutableSchema(Config{}).Schema()
	names := regexp.MustCompile("`([A-Za-z]+)(?:\\.([A-Z_]+))?`").FindAllStringSubmatch(section(t, apiDoc(t), "### Schema changelog"), -1)
	if len(names) < 5 {
		t.Fatalf("the schema changelog names only %d things", len(names))
	}
	for _, m := range names {
		name, value := m[1], m[2]
		switch {
		case value != "":
			if def := s.Types[name]; def == nil || !slices.ContainsFunc(def.EnumValues, func(v *ast.EnumValueDefinition) bool { return v.Name == value }) {
				t.Errorf("schema changelog: %s.%s is no enum value", name, value)
			}
		case name[0] >= 'A' && name[0] <= 'Z':
			if s.Types[name] == nil {
				t.Errorf("schema changelog: no type %s", name)
			}
		default:
			if s.Query.Fields.ForName(name) == nil && s.Mutation.Fields.ForName(name) == nil && !strings.Contains(name, "schema") {
				t.Errorf("schema changelog: no root field %s", name)
			}
		}
	}
}
