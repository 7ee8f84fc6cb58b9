package graph

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/chainmap/chainmap"
)

// Argument checks. Every error names the argument path and has extensions.code BAD_USER_INPUT. The rules of
// the domain (ids, names, texts, years) are the root package's (chainmap's rules.go), which the loader applies
// to seed files too; what is here is the API's own: search texts and traversal bounds.

// maxSearchText bounds a search text (filter.text), in characters.
const maxSearchText = 200

func checkRegion(path string, code *string) error {
	if code != nil && !chainmap.ValidRegionCode(*code) {
		return chainmap.Invalid(path, "%q is not a six-digit GB/T 2260 region code", *code)
	}
	return nil
}

// checkRDLinkFilter checks what the links' filter holds beyond its types.
func checkRDLinkFilter(f *chainmap.RDLinkFilter) error {
	if f == nil {
		return nil
	}
	return checkRegion("filter.toRegionCode", f.ToRegionCode)
}

// checkSearchText checks a filter's text: not blank, at most maxSearchText characters.
func checkSearchText(path string, text *string) error {
	if text == nil {
		return nil
	}
	if strings.TrimSpace(*text) == "" {
		return chainmap.Invalid(path, "must not be blank")
	}
	if utf8.RuneCountInString(*text) > maxSearchText {
		return chainmap.Invalid(path, "must be at most %d characters", maxSearchText)
	}
	return nil
}

// checkText checks an input text, if given, by chainmap.CheckText.
func checkText(path string, text *string) error {
	if text == nil {
		return nil
	}
	return chainmap.CheckText(path, *text)
}

// checkYear checks a year, if given, by chainmap.CheckYear.
func checkYear(path string, y *int) error {
	if y == nil {
		return nil
	}
	return chainmap.CheckYear(path, *y)
}

func checkEnterpriseFilter(f *chainmap.EnterpriseFilter) error {
	if f == nil {
		return nil
	}
	if err := checkRegion("filter.regionCode", f.RegionCode); err != nil {
		return err
	}
	return checkSearchText("filter.text", f.Text)
}

func checkBottleneckFilter(f *chainmap.BottleneckFilter) error {
	if f == nil {
		return nil
	}
	for path, code := range map[string]*string{"filter.regionCode": f.RegionCode,
		"filter.noTacklerInRegionCode": f.NoTacklerInRegionCode, "filter.affectsRegionCode": f.AffectsRegionCode} {
		if err := checkRegion(path, code); err != nil {
			return err
		}
	}
	if f.MinSeverity != nil {
		if err := chainmap.CheckSeverity("filter.minSeverity", *f.MinSeverity); err != nil {
			return err
		}
	}
	return checkSearchText("filter.text", f.Text)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// argDefault is the default the schema gives the Int argument arg of typ.field. A resolver falls back on it
// when the client sends null, so that null and leaving the argument out answer alike and the number is
// written once, in the schema. It panics when the schema gives no such default: a resolver asks for one that
// is not there, which any request for the field shows.
func argDefault(typ, field, arg string) int {
	return intDefault(typ+"."+field, argDef(typ, field, arg))
}

// enumListDefault is the default value of an argument whose type is a list of enum values, as the schema gives
// it. It panics when the argument has no such default.
func enumListDefault(typ, field, arg string) []string {
	def := argDef(typ, field, arg)
	if def.DefaultValue == nil || def.DefaultValue.Kind != ast.ListValue {
		panic(fmt.Sprintf("graph: %s.%s(%s) has no list default in the schema", typ, field, arg))
	}
	out := make([]string, 0, len(def.DefaultValue.Children))
	for _, c := range def.DefaultValue.Children {
		out = append(out, c.Value.Raw)
	}
	return out
}

// argDef is the schema's definition of the argument arg of typ.field. It panics when there is none.
func argDef(typ, field, arg string) *ast.ArgumentDefinition {
	if t := parsedSchema.Types[typ]; t != nil {
		if f := t.Fields.ForName(field); f != nil {
			if def := f.Arguments.ForName(arg); def != nil {
				return def
			}
		}
	}
	panic(fmt.Sprintf("graph: the schema has no argument %s.%s(%s)", typ, field, arg))
}

// firstDefault is argDefault for the `first` argument of the field ctx resolves: a list resolver's page size
// when the client sends first: null.
func firstDefault(ctx context.Context) int {
	fc := graphql.GetFieldContext(ctx)
	return argDefault(fc.Object, fc.Field.Name, "first")
}

// intDefault is the default value of an Int argument. It panics when the argument has none.
func intDefault(field string, def *ast.ArgumentDefinition) int {
	if def.DefaultValue == nil || def.DefaultValue.Kind != ast.IntValue {
		panic(fmt.Sprintf("graph: %s(%s) has no Int default in the schema", field, def.Name))
	}
	n, err := strconv.Atoi(def.DefaultValue.Raw)
	if err != nil {
		panic(fmt.Sprintf("graph: %s(%s): %v", field, def.Name, err))
	}
	return n
}

// hops checks a traversal bound: 1 to 6 (the deepest the store goes), def when not given.
func hops(path string, v *int, def int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < 1 || *v > 6 {
		return 0, chainmap.Invalid(path, "must be 1 to 6, got %d", *v)
	}
	return *v, nil
}

// budget checks a size limit: 1 to max, def when not given.
func budget(path string, v *int, def, max int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < 1 || *v > max {
		return 0, chainmap.Invalid(path, "must be 1 to %d, got %d", max, *v)
	}
	return *v, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optional turns the domain's "0 means unknown" into null.
func optional[T int | float64](v T) *T {
	if v == 0 {
		return nil
	}
	return &v
}
