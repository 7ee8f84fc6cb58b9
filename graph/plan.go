package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/chainmap/chainmap"
)

// Planning. A root field's resolver asks for its plan before it reads anything: the whole selection below the
// field — fragments expanded, @skip/@include applied, arguments checked — as a chainmap.Selection, which the
// store compiles into one statement. Resolvers below a root field only read what came back (related.go), so a
// request's round trips follow from its text alone.

// planner knows the schema: which named type each field has, and which unions each object type belongs to.
type planner struct {
	schema *ast.Schema
	unions map[string][]string // object type → the unions it is a member of
}

func newPlanner(schema *ast.Schema) *planner {
	p := &planner{schema: schema, unions: map[string][]string{}}
	for _, t := range schema.Types {
		if t.Kind == ast.Union {
			for _, m := range t.Types {
				p.unions[m] = append(p.unions[m], t.Name)
			}
		}
	}
	return p
}

// plan returns the selection below the field that ctx resolves.
func (p *planner) plan(ctx context.Context) (*chainmap.Selection, error) {
	fc := graphql.GetFieldContext(ctx)
	return p.selection(graphql.GetOperationContext(ctx), fc.Field.Selections, fc.Field.Definition.Type.Name())
}

// selection plans the selection set of an object type.
func (p *planner) selection(oc *graphql.OperationContext, set ast.SelectionSet, typ string) (*chainmap.Selection, error) {
	sel := &chainmap.Selection{Kind: chainmap.Kind(typ)}
	for _, cf := range graphql.CollectFields(oc, set, append([]string{typ}, p.unions[typ]...)) {
		if strings.HasPrefix(cf.Name, "__") {
			continue // __typename: gqlgen answers it
		}
		f := chainmap.SelectedField{Key: cf.Alias, Name: cf.Name}
		var err error
		if f.Args, err = fieldArgs(typ, cf, oc.Variables); err != nil {
			return nil, err
		}
		def := p.schema.Types[cf.Definition.Type.Name()]
		switch def.Kind {
		case ast.Object:
			f.Sel, err = p.selection(oc, cf.Selections, def.Name)
		case ast.Union:
			for _, member := range def.Types {
				var s *chainmap.Selection
				if s, err = p.selection(oc, cf.Selections, member); err != nil {
					break
				}
				f.Cases = append(f.Cases, s)
			}
		}
		if err != nil {
			return nil, err
		}
		sel.Fields = append(sel.Fields, f)
	}
	return sel, nil
}

// list plans a connection (edges { node }, nodes, totalCount, pageInfo): the selection of its items — the
// nodes of every edges and nodes field, merged — and whether the total is asked for.
func (p *planner) list(ctx context.Context) (chainmap.ListRequest, error) {
	conn, err := p.plan(ctx)
	if err != nil {
		return chainmap.ListRequest{}, err
	}
	var req chainmap.ListRequest
	add := func(s *chainmap.Selection) (err error) {
		req.Node, err = merge(req.Node, s)
		return err
	}
	for _, f := range conn.Fields {
		switch f.Name {
		case "totalCount":
			req.Count = true
		case "nodes":
			err = add(f.Sel)
		case "edges":
			for _, g := range f.Sel.Fields {
				if g.Name == "node" {
					err = firstErr(err, add(g.Sel))
				}
			}
		}
		if err != nil {
			return req, err
		}
	}
	return req, nil
}

// merge joins two selections of the same kind. Plain values merge by name; related records by response key,
// which must then ask for the same field with the same arguments.
func merge(a, b *chainmap.Selection) (*chainmap.Selection, error) {
	if a == nil {
		return b, nil
	}
	out := &chainmap.Selection{Kind: a.Kind, Fields: append([]chainmap.SelectedField(nil), a.Fields...)}
	for _, f := range b.Fields {
		i := indexOf(out.Fields, f.Key)
		if i < 0 {
			out.Fields = append(out.Fields, f)
			continue
		}
		g := &out.Fields[i]
		if g.Name != f.Name || g.Args != f.Args {
			return nil, chainmap.Invalid(f.Key, "asks for %s here and for %s elsewhere in the same list: give them different aliases", f.Name, g.Name)
		}
		if f.Sel != nil {
			s, err := merge(g.Sel, f.Sel)
			if err != nil {
				return nil, err
			}
			g.Sel = s
		}
		for _, c := range f.Cases {
			j := -1
			for k, gc := range g.Cases {
				if gc.Kind == c.Kind {
					j = k
				}
			}
			s, err := merge(g.Cases[j], c)
			if err != nil {
				return nil, err
			}
			g.Cases[j] = s
		}
	}
	return out, nil
}

func indexOf(fields []chainmap.SelectedField, key string) int {
	for i, f := range fields {
		if f.Key == key {
			return i
		}
	}
	return -1
}

// fieldArgs checks the arguments of a field below a root field, each by its name, into the one type of field
// arguments: which fields take which arguments is the schema's to say. An argument the planner does not know
// is refused here, before anything is read.
func fieldArgs(typ string, cf graphql.CollectedField, vars map[string]any) (chainmap.FieldArgs, error) {
	var a chainmap.FieldArgs
	if len(cf.Definition.Arguments) == 0 {
		return a, nil
	}
	args := cf.ArgumentMap(vars) // with the schema's defaults
	for _, def := range cf.Definition.Arguments {
		v := args[def.Name]
		var err error
		switch def.Name {
		case "first":
			a.First, err = pageSize(intArg(v), intDefault(typ+"."+cf.Name, def))
		case "regionCode":
			code := strArg(v)
			a.RegionCode, err = deref(code), checkRegion("regionCode", code)
		case "role":
			a.Role = chainmap.ChainRole(deref(strArg(v)))
		case "chainMapId":
			if a.ChainMapID = deref(strArg(v)); a.ChainMapID != "" {
				err = chainmap.CheckID("chainMapId", a.ChainMapID)
			}
		case "tiers":
			a.Tiers, err = hops("tiers", intArg(v), intDefault(typ+"."+cf.Name, def))
		case "lang":
			// The language of a sentence (ScorePart.note), which the resolver says from what was read: nothing to plan.
		default:
			err = fmt.Errorf("argument %s of %s.%s is not one the planner knows", def.Name, typ, cf.Name)
		}
		if err != nil {
			return a, err
		}
	}
	return a, nil
}

// intArg reads an Int argument: a literal (int64) or a variable (decoded from JSON).
func intArg(v any) *int {
	var n int
	switch x := v.(type) {
	case int:
		n = x
	case int64:
		n = int(x)
	case float64:
		n = int(x)
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			return nil
		}
		n = int(i)
	default:
		return nil
	}
	return &n
}

func strArg(v any) *string {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	return &s
}

// withArgs sets the arguments of the field name of every selection of kind, at any depth.
func withArgs(sel *chainmap.Selection, kind chainmap.Kind, name string, args chainmap.FieldArgs) {
	if sel == nil {
		return
	}
	for i := range sel.Fields {
		f := &sel.Fields[i]
		if sel.Kind == kind && f.Name == name {
			f.Args = args
		}
		withArgs(f.Sel, kind, name, args)
		for _, c := range f.Cases {
			withArgs(c, kind, name, args)
		}
	}
}
