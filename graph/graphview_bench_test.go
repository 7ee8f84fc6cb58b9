package graph_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
)

// viewStore serves one large graph view from memory: the benchmark measures serialisation, not Neo4j.
type viewStore struct {
	graph.Store
	view chainmap.GraphView
}

func (s viewStore) ChainGraph(context.Context, string, []string, int) (chainmap.GraphView, error) {
	return s.view, nil
}

func bigView(nodes, edges int) chainmap.GraphView {
	var v chainmap.GraphView
	for i := range nodes {
		v.Nodes = append(v.Nodes, chainmap.GraphNode{ID: fmt.Sprintf("syn-e%06d", i), Type: "Enterprise",
			Name: fmt.Sprintf("Synthetic Enterprise %d", i), NameZh: fmt.Sprintf("合成企业%d", i), ChainMapID: "hydrogen",
			Province: "130000", Provinces: []string{"130000"}})
	}
	for i := range edges {
		s, t := fmt.Sprintf("syn-e%06d", i%nodes), fmt.Sprintf("syn-e%06d", (i*7+1)%nodes)
		v.Edges = append(v.Edges, chainmap.GraphEdge{ID: s + ">SUPPLIES>" + t, Type: "SUPPLIES", Source: s, Target: t})
	}
	return v
}

// BenchmarkGraphViewSerialisation compares a 5,000-edge graph view sent as typed GraphQL lists (gqlgen
// marshals each list element in a goroutine of its own) with the same view sent as one pre-encoded JSON payload.
func BenchmarkGraphViewSerialisation(b *testing.B) {
	h := graph.NewHandler(viewStore{view: bigView(2000, 5000)}, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 30}})
	for _, tc := range []struct{ name, query string }{
		{"typed", `{ chainGraph(chainMapId: "hydrogen") { nodes { id type name nameZh chainMapId province provinces } edges { id type source target } } }`},
		{"payload", `{ chainGraph(chainMapId: "hydrogen") { payload } }`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			body := `{"query":` + fmt.Sprintf("%q", tc.query) + `}`
			var size int
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "response-bytes")
		})
	}
}
