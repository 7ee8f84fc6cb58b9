package analysis

import (
	"math"
	"testing"
)

func TestBetweennessKnownGraphs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		edges [][2]int
		want  []float64
	}{
		// a → b → c: only b lies between two others (a to c).
		{"chain", 3, [][2]int{{0, 1}, {1, 2}}, []float64{0, 1, 0}},
		// a → b → d, a → c → d: two shortest a→d paths, half through each of b and c.
		{"diamond", 4, [][2]int{{0, 1}, {0, 2}, {1, 3}, {2, 3}}, []float64{0, 0.5, 0.5, 0}},
		// A hub between three suppliers and two customers carries all 3×2 paths.
		{"hub", 6, [][2]int{{0, 3}, {1, 3}, {2, 3}, {3, 4}, {3, 5}}, []float64{0, 0, 0, 6, 0, 0}},
		{"no edges", 2, nil, []float64{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Betweenness(tc.n, tc.edges)
			if len(got) != len(tc.want) {
				t.Fatalf("Betweenness gave %d values, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if math.Abs(got[i]-tc.want[i]) > 1e-9 {
					t.Fatalf("Betweenness = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestBetweennessSampledOnLargeNetworks(t *testing.T) {
	// A long chain of ExactLimit+500 nodes: the estimate must rank the middle above the ends and repeat.
	n := ExactLimit + 500
	var edges [][2]int
	for i := 0; i+1 < n; i++ {
		edges = append(edges, [2]int{i, i + 1})
	}
	a, b := Betweenness(n, edges), Betweenness(n, edges)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("the sampled estimate does not repeat")
		}
	}
	if a[n/2] <= a[1] || a[0] != 0 || a[n-1] != 0 {
		t.Errorf("middle %.0f, near the start %.0f, ends %.0f and %.0f: not the shape of a chain", a[n/2], a[1], a[0], a[n-1])
	}
}
