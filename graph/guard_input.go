package graph

// The guard on input values: variables and literals, enums, lists and strings.

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/chainmap/chainmap"
)

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
