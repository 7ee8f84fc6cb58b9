package graph_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/seeds"
)

// verdict is what one surface made of a record: accepted (refused empty), or refused naming these fields,
// spelled as the API spells them (sourceIds, sites[0].since).
type verdict struct{ refused []string }

func (v verdict) String() string {
	if len(v.refused) == 0 {
		return "accepted"
	}
	return "refused on " + strings.Join(v.refused, ", ")
}

// TestRulesAgree feeds the same hostile records to the API (a mutation against Neo4j) and to `chainmap load`
// (the loader's validation of the seeds plus one file holding the record), and wants the same verdict from
// both: both accept, or both refuse naming the same field. The domain rules are written once
// (chainmap's rules.go); this is the test that catches a surface counting or spelling one differently.
func TestRulesAgree(t *testing.T) {
	srv := newServer(t, graph.Options{})
	cleanRules := func() {
		neo4jtest.Query(t, `MATCH (n) WHERE (n:Enterprise OR n:Site OR n:Source) AND n.id STARTS WITH 'mt-rules'
			DETACH DELETE n`, nil)
		neo4jtest.Query(t, `MATCH ()-[r:SUPPLIES]->() WHERE r.product STARTS WITH 'mt-rules' DELETE r`, nil)
		reindex(t)
	}
	cleanRules()
	t.Cleanup(cleanRules)
	seedFiles, err := loader.ReadFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}

	zh := func(n int) string { return strings.Repeat("氢", n) }
	en := func(n int) string { return strings.Repeat("a", n) }

	t.Run("enterprise", func(t *testing.T) {
		const m = `mutation($in: EnterpriseInput!) { upsertEnterprise(input: $in) { id } }`
		for i, tc := range []struct {
			name string
			edit func(in map[string]any)
			want string // the field both refuse, "" when both accept
		}{
			{"as is", func(map[string]any) {}, ""},
			{"70-character Chinese name", func(in map[string]any) { in["nameZh"] = zh(70) }, ""},
			{"200-character Chinese name", func(in map[string]any) { in["nameZh"] = zh(200) }, ""},
			{"201-character Chinese name", func(in map[string]any) { in["nameZh"] = zh(201) }, "nameZh"},
			{"201-character name", func(in map[string]any) { in["nameEn"] = en(201) }, "nameEn"},
			{"blank name", func(in map[string]any) { in["nameEn"] = "   " }, "nameEn"},
			{"no name", func(in map[string]any) { delete(in, "nameZh"); delete(in, "nameEn") }, "nameZh"},
			{"blank Chinese name, no English one", func(in map[string]any) { in["nameZh"] = "\t "; delete(in, "nameEn") }, "nameZh"},
			{"name on two lines", func(in map[string]any) { in["nameEn"] = "Test\nFirm" }, "nameEn"},
			{"control character in name", func(in map[string]any) { in["nameEn"] = "Test\aFirm" }, "nameEn"},
			{"bidi override in name", func(in map[string]any) { in["nameEn"] = "Test\u202eFirm" }, "nameEn"},
			{"escape sequence in description", func(in map[string]any) { in["description"] = "red \x1b[31m text" }, "description"},
			{"description over two lines", func(in map[string]any) { in["description"] = "one\ntwo\tand a tab" }, ""},
			{"4,000-character Chinese description", func(in map[string]any) { in["description"] = zh(4000) }, ""},
			{"over-long description", func(in map[string]any) { in["description"] = en(4001) }, "description"},
			{"no source", func(in map[string]any) { in["sourceIds"] = []string{} }, "sourceIds"},
			{"bad id", func(in map[string]any) { in["id"] = "Not An Id" }, "id"},
			{"over-long id", func(in map[string]any) { in["id"] = "mt-rules-" + en(100) }, "id"},
			{"site in 1800", func(in map[string]any) { site(in)["since"] = 1800 }, "sites[0].since"},
			{"site in 2101", func(in map[string]any) { site(in)["since"] = 2101 }, "sites[0].since"},
			{"site in year 0", func(in map[string]any) { site(in)["since"] = 0 }, "sites[0].since"},
			{"site in 1900", func(in map[string]any) { site(in)["since"] = 1900 }, ""},
			{"bad site id", func(in map[string]any) { site(in)["id"] = "Site 1" }, "sites[0].id"},
			{"site name of 201 characters", func(in map[string]any) { site(in)["name"] = en(201) }, "sites[0].name"},
			{"Chinese site capacity of 100 characters", func(in map[string]any) { site(in)["capacity"] = zh(100) }, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := map[string]any{"id": fmt.Sprintf("mt-rules-firm-%d", i), "nameZh": "规则测试公司", "nameEn": "Rules Test Firm",
					"segmentIds": []string{"h2-fc-stack"}, "confidence": "REPORTED", "sourceIds": []string{"s13"},
					"sites": []map[string]any{{"id": fmt.Sprintf("mt-rules-firm-%d-bd", i), "kind": "MANUFACTURING", "regionCode": "130600"}}}
				tc.edit(in)
				api := apiVerdict(t, do(t, srv, editor, m, map[string]any{"in": in}))
				load := loadVerdict(t, seedFiles, "enterprises", seedRecord(in))
				if api.String() != load.String() {
					t.Errorf("the API: %s; chainmap load: %s", api, load)
				}
				if want := (verdict{refused: nonEmpty(tc.want)}); api.String() != want.String() {
					t.Errorf("the API: %s, want %s", api, want)
				}
			})
		}
	})

	t.Run("source", func(t *testing.T) {
		const m = `mutation($in: SourceInput!) { createSource(input: $in) { id } }`
		for i, tc := range []struct {
			name string
			edit func(in map[string]any)
			want string
		}{
			{"as is", func(map[string]any) {}, ""},
			{"70-character Chinese title", func(in map[string]any) { in["title"] = zh(70) }, ""},
			{"201-character title", func(in map[string]any) { in["title"] = en(201) }, "title"},
			{"blank title", func(in map[string]any) { in["title"] = "  " }, "title"},
			{"Chinese publisher of 150 characters", func(in map[string]any) { in["publisher"] = zh(150) }, ""},
			{"URL with no host", func(in map[string]any) { in["url"] = "https://" }, "url"},
			{"ftp URL", func(in map[string]any) { in["url"] = "ftp://example.com/a" }, "url"},
			{"URL with a space", func(in map[string]any) { in["url"] = "https://example.com/a b" }, "url"},
			{"month 13", func(in map[string]any) { in["date"] = "2023-13" }, "date"},
			{"February 30", func(in map[string]any) { in["date"] = "2023-02-30" }, "date"},
			{"year 1850", func(in map[string]any) { in["date"] = "1850" }, "date"},
			{"date with a time", func(in map[string]any) { in["date"] = "2023-01-02T10:00" }, "date"},
			{"language with a region", func(in map[string]any) { in["language"] = "zh-hans" }, ""},
			{"upper-case language", func(in map[string]any) { in["language"] = "ZH" }, "language"},
			{"over-long note", func(in map[string]any) { in["note"] = en(4001) }, "note"},
			{"Chinese note of 4,000 characters", func(in map[string]any) { in["note"] = zh(4000) }, ""},
			{"control character in note", func(in map[string]any) { in["note"] = "a\x00b" }, "note"},
			{"bad id", func(in map[string]any) { in["id"] = "S 1" }, "id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := map[string]any{"id": fmt.Sprintf("mt-rules-src-%d", i), "title": "规则测试", "publisher": "Test",
					"url": fmt.Sprintf("https://example.com/rules/%d", i), "date": "2024-05-06", "reliability": "MEDIA", "language": "zh"}
				tc.edit(in)
				api := apiVerdict(t, do(t, srv, editor, m, map[string]any{"in": in}))
				load := loadVerdict(t, seedFiles, "sources", seedRecord(in))
				if api.String() != load.String() {
					t.Errorf("the API: %s; chainmap load: %s", api, load)
				}
				if want := (verdict{refused: nonEmpty(tc.want)}); api.String() != want.String() {
					t.Errorf("the API: %s, want %s", api, want)
				}
			})
		}
	})

	// A supply link is named by its product, so both want one (the loader once let seed files leave it out).
	t.Run("supply", func(t *testing.T) {
		const m = `mutation($in: SupplyInput!) { linkSupplier(input: $in) { product } }`
		for i, tc := range []struct {
			name string
			edit func(in map[string]any)
			want string
		}{
			{"as is", func(map[string]any) {}, ""},
			{"no product", func(in map[string]any) { in["product"] = "" }, "product"},
			{"blank product", func(in map[string]any) { in["product"] = "  " }, "product"},
			{"Chinese product of 150 characters", func(in map[string]any) { in["product"] = "mt-rules " + zh(150) }, ""},
			{"201-character product", func(in map[string]any) { in["product"] = "mt-rules " + en(192) }, "product"},
			{"product on two lines", func(in map[string]any) { in["product"] = "mt-rules\npart" }, "product"},
			{"since 1800", func(in map[string]any) { in["since"] = 1800 }, "since"},
			{"no source", func(in map[string]any) { in["sourceIds"] = []string{} }, "sourceIds"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := map[string]any{"supplierId": "sinohytec", "customerId": "tianjin-jingdiao",
					"product": fmt.Sprintf("mt-rules part %d", i), "confidence": "REPORTED", "sourceIds": []string{"s13"}}
				tc.edit(in)
				api := apiVerdict(t, do(t, srv, editor, m, map[string]any{"in": in}))
				load := loadVerdict(t, seedFiles, "supplies", seedRecord(in))
				if api.String() != load.String() {
					t.Errorf("the API: %s; chainmap load: %s", api, load)
				}
				if want := (verdict{refused: nonEmpty(tc.want)}); api.String() != want.String() {
					t.Errorf("the API: %s, want %s", api, want)
				}
			})
		}
	})
}

func site(in map[string]any) map[string]any { return in["sites"].([]map[string]any)[0] }

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// seedRecord spells an API input as a seed record: the seed files call sourceIds sources, segmentIds
// segments and a site's regionCode region.
func seedRecord(in map[string]any) map[string]any {
	rename := map[string]string{"sourceIds": "sources", "segmentIds": "segments", "regionCode": "region",
		"supplierId": "from", "customerId": "to"}
	out := map[string]any{}
	for k, v := range in {
		if sites, ok := v.([]map[string]any); ok {
			var recs []map[string]any
			for _, s := range sites {
				recs = append(recs, seedRecord(s))
			}
			v = recs
		}
		out[cmpOr(rename[k], k)] = v
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// apiField is the field an API error names, without its root (input. or the variable $in.).
var apiField = regexp.MustCompile(`^(input\.|\$in\.)`)

func apiVerdict(t *testing.T, r response) verdict {
	t.Helper()
	if len(r.Errors) == 0 {
		return verdict{}
	}
	if r.code() != "BAD_USER_INPUT" {
		t.Fatalf("the API answered %+v, want BAD_USER_INPUT or data", r.Errors)
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return verdict{refused: []string{apiField.ReplaceAllString(f, "")}}
}

// seedField is a problem's field without its record (enterprises[0].), spelled as the API spells it.
var seedField = regexp.MustCompile(`^[a-zA-Z]+\[0\]\.`)

func loadVerdict(t *testing.T, seedFiles []loader.File, kind string, rec map[string]any) verdict {
	t.Helper()
	data, err := yaml.Marshal(map[string]any{kind: []any{rec}})
	if err != nil {
		t.Fatal(err)
	}
	const name = "hostile.yaml"
	_, err = loader.Parse(append(slices.Clip(seedFiles), loader.File{Name: name, Data: data}))
	var invalid *loader.InvalidError
	switch {
	case err == nil:
		return verdict{}
	case !errors.As(err, &invalid):
		t.Fatal(err)
	}
	rename := map[string]string{"sources": "sourceIds", "segments": "segmentIds"}
	var v verdict
	for _, p := range invalid.Problems {
		if p.File != name {
			t.Fatalf("a problem outside the hostile file: %s", p)
		}
		f := seedField.ReplaceAllString(p.Field, "")
		f = cmpOr(rename[f], f)
		if !slices.Contains(v.refused, f) {
			v.refused = append(v.refused, f)
		}
	}
	if len(v.refused) > 1 {
		t.Logf("chainmap load: %v", invalid)
	}
	return v
}
