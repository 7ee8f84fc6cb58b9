// Package export writes chainmap's lists and graphs as files planners take away — CSV and XLSX for
// spreadsheets, GraphML for Gephi and yEd — row by row as the store reads them, and parses the filters of
// exports from query parameters (the GraphQL list filters, spelled as the schema spells them).
package export

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap"
)

// ErrBadFilter is wrapped by the errors of the filter parsers: the request is wrong, not the server.
var ErrBadFilter = errors.New("bad filter")

// EnterpriseParams and BottleneckParams are the query parameters of the two lists, as in the GraphQL filters.
var (
	EnterpriseParams = []string{"chainMapId", "segmentId", "stage", "regionCode", "siteKind", "chainRole", "text", "synthetic"}
	BottleneckParams = []string{"chainMapId", "segmentId", "stage", "regionCode", "noTacklerInRegionCode",
		"affectsRegionCode", "kind", "category", "minSeverity", "status", "hasTackler", "text"}
)

// params checks that q holds only known parameters, each once, and returns a reader of them.
type params struct {
	q   url.Values
	err error
}

func newParams(q url.Values, known []string) *params {
	p := &params{q: q}
	var unknown []string
	for k, vs := range q {
		if !contains(known, k) {
			unknown = append(unknown, k)
		} else if len(vs) > 1 {
			p.fail("parameter %s is given %d times; give it once", k, len(vs))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		p.fail("unknown parameter %s; the parameters are %s", strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return p
}

func (p *params) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: "+format, append([]any{ErrBadFilter}, args...)...)
	}
}

func (p *params) str(name string) *string {
	if !p.q.Has(name) {
		return nil
	}
	v := p.q.Get(name)
	if v == "" {
		p.fail("parameter %s is empty; leave it out or give a value", name)
		return nil
	}
	return &v
}

func (p *params) id(name string) *string {
	v := p.str(name)
	if v != nil && !chainmap.ValidID(*v) {
		p.fail("parameter %s=%q is not an id (lower-case letters, digits and '-')", name, *v)
	}
	return v
}

func (p *params) region(name string) *string {
	v := p.str(name)
	if v != nil && !chainmap.ValidRegionCode(*v) {
		p.fail("parameter %s=%q is not a region code: want six digits (GB/T 2260), e.g. 110000", name, *v)
	}
	return v
}

func (p *params) boolean(name string) *bool {
	v := p.str(name)
	if v == nil {
		return nil
	}
	switch *v {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	p.fail("parameter %s=%q: want true or false", name, *v)
	return nil
}

func (p *params) integer(name string, lo, hi int) *int {
	v := p.str(name)
	if v == nil {
		return nil
	}
	n, err := strconv.Atoi(*v)
	if err != nil || n < lo || n > hi {
		p.fail("parameter %s=%q: want a whole number from %d to %d", name, *v, lo, hi)
		return nil
	}
	return &n
}

func enum[T ~string](p *params, name string, values []T) *T {
	v := p.str(name)
	if v == nil {
		return nil
	}
	t := T(*v)
	if !chainmap.Valid(t, values) {
		names := make([]string, len(values))
		for i, x := range values {
			names[i] = string(x)
		}
		p.fail("parameter %s=%q: want one of %s", name, *v, strings.Join(names, ", "))
		return nil
	}
	return &t
}

// EnterpriseFilter parses the query parameters of an enterprise export. Its errors wrap ErrBadFilter and say
// which parameter is wrong and what it takes.
func EnterpriseFilter(q url.Values) (chainmap.EnterpriseFilter, error) {
	p := newParams(q, EnterpriseParams)
	f := chainmap.EnterpriseFilter{
		ChainMapID: p.id("chainMapId"),
		SegmentID:  p.id("segmentId"),
		Stage:      enum(p, "stage", chainmap.Stages),
		RegionCode: p.region("regionCode"),
		SiteKind:   enum(p, "siteKind", chainmap.SiteKinds),
		ChainRole:  enum(p, "chainRole", chainmap.ChainRoles),
		Text:       p.str("text"),
		Synthetic:  p.boolean("synthetic"),
	}
	return f, p.err
}

// BottleneckFilter parses the query parameters of a bottleneck export. Its errors wrap ErrBadFilter.
func BottleneckFilter(q url.Values) (chainmap.BottleneckFilter, error) {
	p := newParams(q, BottleneckParams)
	f := chainmap.BottleneckFilter{
		ChainMapID:            p.id("chainMapId"),
		SegmentID:             p.id("segmentId"),
		Stage:                 enum(p, "stage", chainmap.Stages),
		RegionCode:            p.region("regionCode"),
		NoTacklerInRegionCode: p.region("noTacklerInRegionCode"),
		AffectsRegionCode:     p.region("affectsRegionCode"),
		Kind:                  enum(p, "kind", chainmap.BottleneckKinds),
		Category:              enum(p, "category", chainmap.BottleneckCategories),
		MinSeverity:           p.integer("minSeverity", 1, 5),
		Status:                enum(p, "status", chainmap.BottleneckStatuses),
		HasTackler:            p.boolean("hasTackler"),
		Text:                  p.str("text"),
	}
	return f, p.err
}

// BottleneckFilters parses the query parameters of a bottleneck export whose status may list several statuses,
// comma-separated (status=OPEN,IN_PROGRESS: the unresolved bottlenecks the explorer's region panel shows): one
// filter per status, in the order given, the other parameters the same. Its errors wrap ErrBadFilter.
func BottleneckFilters(q url.Values) ([]chainmap.BottleneckFilter, error) {
	statuses := strings.Split(q.Get("status"), ",")
	if len(q["status"]) != 1 || len(statuses) == 1 {
		f, err := BottleneckFilter(q)
		return []chainmap.BottleneckFilter{f}, err
	}
	var out []chainmap.BottleneckFilter
	for i, s := range statuses {
		if slices.Contains(statuses[:i], s) {
			return nil, fmt.Errorf("%w: parameter status lists %q twice", ErrBadFilter, s)
		}
		one := url.Values{}
		for k, v := range q {
			one[k] = v
		}
		one.Set("status", s)
		f, err := BottleneckFilter(one)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// GraphParams parses the query parameters of a graph export: chainMapId, required. Its errors wrap ErrBadFilter.
func GraphParams(q url.Values) (chainMapID string, err error) {
	p := newParams(q, []string{"chainMapId"})
	id := p.id("chainMapId")
	if id == nil && p.err == nil {
		p.fail("parameter chainMapId is required")
	}
	if p.err != nil {
		return "", p.err
	}
	return *id, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
